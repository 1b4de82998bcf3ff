package emulator_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
	"github.com/nhost-auth-wasm/sdk/emulator"
	"github.com/nhost-auth-wasm/sdk/internal/emutest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emulator-test")
	if err != nil {
		panic(err)
	}
	if binary, err = emutest.Build(dir); err != nil {
		panic("building the emulator: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// emu is one running emulator process.
type emu struct {
	*emutest.Process
}

func start(t testing.TB, env map[string]string, args ...string) *emu {
	t.Helper()
	return &emu{emutest.Start(t, binary, env, args...)}
}

func (e *emu) stop(testing.TB) { e.Stop() }

func (e *emu) waitLog(t testing.TB, re *regexp.Regexp) []string { return e.WaitLog(t, re) }

func (e *emu) client(chain ...core.ChainFunc) *core.Client {
	return nethttp.NewClient(e.URL, chain...)
}

// dev is the demo profile: anonymous users on, verification off.
var dev = map[string]string{
	"AUTH_ANONYMOUS_USERS_ENABLED":              "true",
	"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
	"AUTH_CLIENT_URL":                           "http://127.0.0.1:3000",
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

var ctx = context.Background()

var emailSeq struct {
	sync.Mutex
	n int
}

// newEmail returns a fresh address.
func newEmail(prefix string) string {
	emailSeq.Lock()
	defer emailSeq.Unlock()
	emailSeq.n++
	return prefix + "-" + strconv.Itoa(emailSeq.n) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10) + "@example.com"
}

func fetchErr(t testing.TB, err error) *core.FetchError {
	t.Helper()
	require.Error(t, err)
	var fe *core.FetchError
	require.True(t, errors.As(err, &fe), "not a FetchError: %v", err)
	return fe
}

func readAll(r io.Reader) string {
	b, _ := io.ReadAll(r)
	return string(b)
}

func nethttpClient(url string) *core.Client { return nethttp.NewClient(url) }

func strconvItoa(n int) string { return strconv.Itoa(n) }

// startClocked runs the emulator in this process, on loopback, with env
// as its environment and a clock the test moves.
func startClocked(t testing.TB, env map[string]string) (*emu, *emulator.TestClock) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "auth.db")
	cfg, err := emulator.Load(nil, func(k string) string {
		switch {
		case k == "AUTH_EMULATOR_DB":
			return db
		case k == "AUTH_PORT":
			return "0"
		}
		return env[k]
	})
	require.NoError(t, err)
	clock := &emulator.TestClock{}
	clock.Set(time.Now())
	srv, err := emulator.New(cfg, emulator.WithClock(clock.Now))
	require.NoError(t, err)
	run, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- srv.Serve(run, func(u string) { ready <- u }) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
		srv.Close()
	})
	return &emu{&emutest.Process{URL: url, DB: db}}, clock
}

package emulator_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emulator-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "nhost-auth-emulator")
	build := exec.Command("go", "build", "-o", binary, "./cmd/nhost-auth-emulator")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("building the emulator: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// emu is one running emulator process.
type emu struct {
	URL  string
	DB   string
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs []string
	done chan struct{}
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// start runs the emulator binary with env (on top of a clean environment)
// and args, waits for its startup line and stops it when the test ends.
// Unless given, it uses a fresh database file and a free port.
func start(t testing.TB, env map[string]string, args ...string) *emu {
	t.Helper()
	e := &emu{done: make(chan struct{})}
	full := map[string]string{"AUTH_PORT": "0", "AUTH_EMULATOR_DB": filepath.Join(t.TempDir(), "auth.db")}
	for k, v := range env {
		full[k] = v
	}
	e.DB = full["AUTH_EMULATOR_DB"]
	e.cmd = exec.Command(binary, args...)
	e.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range full {
		e.cmd.Env = append(e.cmd.Env, k+"="+v)
	}
	stdout, err := e.cmd.StdoutPipe()
	require.NoError(t, err)
	stderr, err := e.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, e.cmd.Start())

	urlCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				urlCh <- m[1]
			}
		}
	}()
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			e.mu.Lock()
			e.logs = append(e.logs, sc.Text())
			e.mu.Unlock()
		}
		close(e.done)
	}()
	select {
	case e.URL = <-urlCh:
	case <-time.After(30 * time.Second):
		e.cmd.Process.Kill()
		t.Fatalf("emulator did not start; log:\n%s", strings.Join(e.logLines(), "\n"))
	}
	t.Cleanup(func() { e.stop(t) })
	return e
}

func (e *emu) stop(t testing.TB) {
	if e.cmd.ProcessState != nil {
		return
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
	}
	_ = e.cmd.Wait()
}

func (e *emu) logLines() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.logs...)
}

// waitLog returns the first log line matching re, waiting up to 5 s.
func (e *emu) waitLog(t testing.TB, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range e.logLines() {
			if m := re.FindStringSubmatch(l); m != nil {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no log line matches %s", re)
	return nil
}

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

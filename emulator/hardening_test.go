package emulator_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

// peakRSS is a process's high-water resident set, in bytes (Linux).
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skip("no /proc on this system: ", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, err := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// send100MB posts a 100 MB body (with its length, or chunked) over a raw
// connection, writing as long as the server reads, and returns the
// answer's status line.
func send100MB(t *testing.T, base string, chunked bool) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	head := "POST /signin/email-password HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	if chunked {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		head += "Content-Length: " + strconv.Itoa(100<<20) + "\r\n\r\n"
	}
	_, err = io.WriteString(conn, head)
	require.NoError(t, err)
	go func() {
		chunk := []byte(`{"email":"` + strings.Repeat("a", 64<<10))
		for sent := 0; sent < 100<<20; sent += len(chunk) {
			var err error
			if chunked {
				_, err = fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
			} else {
				_, err = conn.Write(chunk)
			}
			if err != nil {
				return // the server closed: it has answered
			}
		}
	}()
	line, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(line)
}

// A 100 MB body answers 413 after at most 1 MB was read, six at once too,
// and the process stays small.
func TestHugeBodies(t *testing.T) {
	e := start(t, dev)
	var wg sync.WaitGroup
	status := make([]string, 8)
	begin := time.Now()
	for i := range status {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status[i] = send100MB(t, e.URL, i%2 == 0)
		}()
	}
	wg.Wait()
	took := time.Since(begin)
	for _, s := range status {
		assert.Equal(t, "HTTP/1.1 413 Request Entity Too Large", s)
	}
	rss := peakRSS(t, e.PID())
	t.Logf("8 bodies of 100 MB: answered in %s, peak RSS %d MB", took, rss>>20)
	assert.Less(t, rss, int64(150<<20), "peak RSS")
	// The server still serves.
	_, err := e.client().SignInAnonymous(ctx, nil)
	require.NoError(t, err)
}

// Sign-ups racing for one address: exactly one wins, the others are told
// it is taken, and one user exists.
func TestConcurrentSameEmailSignUps(t *testing.T) {
	e := start(t, with(dev, "AUTH_EMULATOR_BCRYPT_COST", "4"))
	c := e.client()
	email := newEmail("race")
	const n = 24
	var won, taken atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			// Case and Unicode form differ: the same address all the same.
			addr := email
			if i%2 == 1 {
				addr = strings.ToUpper(email)
			}
			_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: addr, Password: "Passw0rd!"})
			switch {
			case err == nil:
				won.Add(1)
			case code(t, err) == core.ErrEmailAlreadyInUse:
				taken.Add(1)
			default:
				t.Errorf("sign-up %d: %v", i, err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int32(1), won.Load(), "one winner")
	assert.Equal(t, int32(n-1), taken.Load())
}

// kill -9 in the middle of a burst of sign-ups: every sign-up that was
// answered 200 is there after a restart on the same database.
func TestKillDuringSignUpsLosesNothingAcknowledged(t *testing.T) {
	env := with(dev, "AUTH_EMULATOR_BCRYPT_COST", "4")
	e := start(t, env)
	env = with(env, "AUTH_EMULATOR_DB", e.DB)
	client := &http.Client{Timeout: 10 * time.Second}
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				email := fmt.Sprintf("burst-%d-%d-%d@example.com", w, i, time.Now().UnixNano())
				res, err := client.Post(e.URL+"/signup/email-password", "application/json",
					strings.NewReader(`{"email":"`+email+`","password":"Passw0rd!"}`))
				if err != nil {
					return // the process is gone
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					mu.Lock()
					acked = append(acked, email)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Let the burst run, then crash the server in its middle.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 150 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.Kill()
	close(stop)
	wg.Wait()
	require.NotEmpty(t, acked)

	store, err := emulator.OpenStore(e.DB)
	require.NoError(t, err, "the database opens after the crash")
	defer store.Close()
	for _, email := range acked {
		_, err := store.UserByEmail(ctx, email)
		assert.NoError(t, err, "acknowledged sign-up %s lost", email)
	}
	t.Logf("%d acknowledged sign-ups, all kept", len(acked))
	// And the emulator starts again on it.
	again := start(t, env)
	_, err = again.client().SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: acked[0], Password: "Passw0rd!"})
	require.NoError(t, err)
}

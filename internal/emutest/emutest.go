// Package emutest starts the emulator binary as a real process for tests:
// on a free loopback port, with a fresh database, stopped when the test
// ends, with its log readable.
package emutest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Build compiles the emulator binary into dir and returns its path.
func Build(dir string) (string, error) {
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..")
	bin := filepath.Join(dir, "nhost-auth-emulator")
	cmd := exec.Command("go", "build", "-o", bin, "./emulator/cmd/nhost-auth-emulator")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return bin, cmd.Run()
}

// Process is one running emulator.
type Process struct {
	URL  string
	DB   string
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs []string
	done chan struct{}
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// Start runs binary with env (on top of a clean environment) and args,
// waits for its startup line and stops it when the test ends. Unless env
// says otherwise it uses a fresh database file and a free port.
func Start(t testing.TB, binary string, env map[string]string, args ...string) *Process {
	t.Helper()
	p := &Process{done: make(chan struct{})}
	full := map[string]string{"AUTH_PORT": "0", "AUTH_EMULATOR_DB": filepath.Join(t.TempDir(), "auth.db")}
	for k, v := range env {
		full[k] = v
	}
	p.DB = full["AUTH_EMULATOR_DB"]
	p.cmd = exec.Command(binary, args...)
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range full {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
		// Read lines of any length: a reader that gave up on a long line
		// would leave the pipe full and the emulator blocked on its log.
		rd := bufio.NewReader(stderr)
		for {
			line, err := rd.ReadString('\n')
			if line != "" {
				p.mu.Lock()
				p.logs = append(p.logs, strings.TrimRight(line, "\n"))
				p.mu.Unlock()
			}
			if err != nil {
				break
			}
		}
		close(p.done)
	}()
	select {
	case p.URL = <-urlCh:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Fatalf("emulator did not start; log:\n%s", strings.Join(p.Logs(), "\n"))
	}
	t.Cleanup(p.Stop)
	return p
}

// Stop ends the process (SIGTERM, then SIGKILL after 10 s) and waits for it.
func (p *Process) Stop() {
	if p.cmd == nil || p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
	}
	_ = p.cmd.Wait()
}

// PID is the process's id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Kill ends the process at once with SIGKILL, as a crash would, and waits.
func (p *Process) Kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

// Logs returns the log lines so far.
func (p *Process) Logs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.logs...)
}

// WaitLog returns the submatches of the first log line matching re,
// waiting up to 5 s.
func (p *Process) WaitLog(t testing.TB, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range p.Logs() {
			if m := re.FindStringSubmatch(l); m != nil {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no log line matches %s", re)
	return nil
}

// Package e2e drives real pages in headless Chromium (chromedp) against the
// emulator process: the JS shim, auth.wasm and the npm package, end to end.
package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/internal/emutest"
)

var (
	repoRoot    string
	emulatorBin string
	siteDir     string // the shim, auth.wasm and wasm_exec.js under /js/
	pageOrigin  string // http://localhost:<port>, serving siteDir
	browser     context.Context
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	_, here, _, _ := runtime.Caller(0)
	repoRoot = filepath.Join(filepath.Dir(here), "..")
	tmp, err := os.MkdirTemp("", "e2e")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	if emulatorBin, err = emutest.Build(tmp); err != nil {
		return 0, fmt.Errorf("building the emulator: %w", err)
	}
	siteDir = filepath.Join(tmp, "site")
	if err := buildSite(filepath.Join(siteDir, "js")); err != nil {
		return 0, fmt.Errorf("building auth.wasm: %w", err)
	}
	stopServer, err := servePages(siteDir)
	if err != nil {
		return 0, err
	}
	defer stopServer()

	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return 0, fmt.Errorf("chromium is not installed; `make test` installs it (apt-get install chromium chromium-driver)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	var cancel context.CancelFunc
	browser, cancel = chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		return 0, fmt.Errorf("starting chromium: %w", err)
	}
	return m.Run(), nil
}

// buildSite writes the shim, auth.wasm and wasm_exec.js into dir.
func buildSite(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("go", "run", "./tools/buildwasm", "-out", dir)
	cmd.Dir = repoRoot
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(repoRoot, "js", "*.js"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if filepath.Base(f) == "wasm_exec.js" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// servePages serves dir on a loopback port, reached as http://localhost:<port>
// (localhost is a secure context, as WebAuthn will need).
func servePages(dir string) (func(), error) {
	port := os.Getenv("AUTH_E2E_PAGE_PORT") // a fixed one, for a server that must allow it
	if port == "" {
		port = "0"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(dir)))
	mux.HandleFunc("/blank.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>e2e</title><body></body>")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	pageOrigin = fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	return func() { srv.Close() }, nil
}

// server is the Nhost Auth server a test runs against: an emulator process
// of its own, or the server named by AUTH_E2E_URL.
type server struct {
	*emutest.Process
	external bool
}

// emulator starts an emulator process with the test profile plus env; with
// AUTH_E2E_URL set it returns that server instead, or skips the test when
// env asks for settings that server is not said to have.
func emulator(t *testing.T, env ...string) *server {
	t.Helper()
	e := map[string]string{
		"AUTH_ANONYMOUS_USERS_ENABLED":              "true",
		"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
		"AUTH_CLIENT_URL":                           pageOrigin,
		"AUTH_EMULATOR_BCRYPT_COST":                 "4",
	}
	for i := 0; i+1 < len(env); i += 2 {
		e[env[i]] = env[i+1]
	}
	if target.url != "" {
		if unmet := target.unmet(e); len(unmet) > 0 {
			t.Skipf("needs a server with %s; AUTH_E2E_URL=%s is not said to have it (AUTH_E2E_SERVER_ENV)", strings.Join(unmet, " "), target.url)
		}
		return &server{Process: &emutest.Process{URL: target.url}, external: true}
	}
	return &server{Process: emutest.Start(t, emulatorBin, e)}
}

// emulatorOnly skips a test that needs a hook only the emulator has.
func (s *server) emulatorOnly(t testing.TB, why string) {
	t.Helper()
	if s.external {
		t.Skipf("needs the emulator: %s; AUTH_E2E_URL=%s is an external server", why, s.URL)
	}
}

// logs is the emulator's log, for tests that count requests.
func (s *server) logs(t testing.TB) []string {
	t.Helper()
	s.emulatorOnly(t, "it reads the request log")
	return s.Logs()
}

// tab opens a new tab on a blank page of the test origin.
func tab(t *testing.T) context.Context {
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageOrigin+"/blank.html")))
	return ctx
}

// run evaluates the body of an async JS function in the page, with the
// given constants defined, and decodes what it returns (through JSON).
func run(t *testing.T, ctx context.Context, consts map[string]any, body string, out any) {
	t.Helper()
	var decl strings.Builder
	for k, v := range consts {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		fmt.Fprintf(&decl, "const %s = %s;\n", k, b)
	}
	expr := "(async () => {\n" + decl.String() + body + "\n})().then((r) => JSON.stringify(r === undefined ? null : r))"
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	res, err := chromedp.Run(tctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(res), out), res)
}

// serveLoopback serves h on a free 127.0.0.1 port until the test ends and
// returns the port.
func serveLoopback(t *testing.T, h http.Handler) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

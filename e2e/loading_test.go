package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flakyWasmServer serves the site, with /js/auth.wasm answered as mode
// says: "500", "html" (the page a dev server falls back to) or "ok".
type flakyWasmServer struct {
	origin    string
	mu        sync.Mutex
	mode      string
	downloads atomic.Int32
}

func (f *flakyWasmServer) set(mode string) {
	f.mu.Lock()
	f.mode = mode
	f.mu.Unlock()
}

func startFlakyWasmServer(t *testing.T, mode string) *flakyWasmServer {
	f := &flakyWasmServer{mode: mode}
	files := http.FileServer(http.Dir(siteDir))
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.HandleFunc("/blank.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>flaky</title>")
	})
	mux.HandleFunc("/js/auth.wasm", func(w http.ResponseWriter, r *http.Request) {
		f.downloads.Add(1)
		w.Header().Set("Cache-Control", "no-store")
		f.mu.Lock()
		mode := f.mode
		f.mu.Unlock()
		switch mode {
		case "500":
			http.Error(w, "internal error", http.StatusInternalServerError)
		case "html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!doctype html><html><body>app</body></html>")
		default:
			http.ServeFile(w, r, filepath.Join(siteDir, "js", "auth.wasm"))
		}
	})
	port := serveLoopback(t, mux)
	f.origin = fmt.Sprintf("http://localhost:%d", port)
	return f
}

// A failed download of auth.wasm (a 500, then an HTML page) rejects calls
// with a FetchError that says what happened; once the file is served, the
// next call works, with no reload.
func TestWasmDownloadFailureRecovers(t *testing.T) {
	emu := emulator(t)
	srv := startFlakyWasmServer(t, "500")
	ctx := tab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.origin+"/blank.html")))

	type failure struct {
		Name, Message string
		Status        int
	}
	call := `
const { createClient, FetchError } = await import('/js/index.js');
window.nhost ??= createClient({ authUrl: AUTH });
try {
  const r = await nhost.auth.getVersion();
  return { status: r.status };
} catch (e) {
  return { name: e instanceof FetchError ? 'FetchError' : e.name, message: e.message, status: e.status };
}`
	var first failure
	run(t, ctx, map[string]any{"AUTH": emu.URL}, call, &first)
	assert.Equal(t, "FetchError", first.Name)
	assert.Equal(t, 0, first.Status, "no response from the Auth server: status 0")
	assert.Contains(t, first.Message, "auth.wasm")
	assert.Contains(t, first.Message, srv.origin+"/js/auth.wasm")
	assert.Contains(t, first.Message, "HTTP 500")
	assert.Contains(t, first.Message, "wasmURL", "the message names the fix")

	srv.set("html")
	time.Sleep(1100 * time.Millisecond) // past the backoff
	var second failure
	run(t, ctx, map[string]any{"AUTH": emu.URL}, call, &second)
	assert.Equal(t, "FetchError", second.Name)
	assert.Equal(t, 0, second.Status)
	assert.Contains(t, second.Message, "text/html")
	assert.Contains(t, second.Message, "not WebAssembly")
	assert.Contains(t, second.Message, `"<!doctype html>`, "the message shows what arrived")

	srv.set("ok")
	time.Sleep(2100 * time.Millisecond)
	var third failure
	run(t, ctx, map[string]any{"AUTH": emu.URL}, call, &third)
	assert.Equal(t, "", third.Name, third.Message)
	assert.Equal(t, 200, third.Status)
	n := srv.downloads.Load()
	assert.LessOrEqual(t, n, int32(5), "retries are bounded, not a loop")
	assert.GreaterOrEqual(t, n, int32(3))

	// Calls made inside the backoff fail fast with the last error instead
	// of downloading again.
	srv.set("500")
	var fast struct {
		Messages []string
		Ms       float64
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createAPIClient } = await import('/js/auth.js');
const { loadWasm } = await import('/js/loader.js');
const url = '/js/auth.wasm?other';
const messages = [];
const t0 = performance.now();
for (let i = 0; i < 5; i++) {
  try { await loadWasm(url); messages.push('ok'); } catch (e) { messages.push(e.message); }
}
return { messages, ms: performance.now() - t0 };`, &fast)
	require.Len(t, fast.Messages, 5)
	for _, m := range fast.Messages {
		assert.Contains(t, m, "HTTP 500")
	}
	assert.LessOrEqual(t, srv.downloads.Load()-n, int32(2), "at most one immediate retry")
}

// A page may hand over a compiled module (wasmModule) instead of a URL;
// then auth.wasm is never fetched by the SDK.
func TestWasmModuleOption(t *testing.T) {
	emu := emulator(t)
	srv := startFlakyWasmServer(t, "ok")
	ctx := tab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.origin+"/blank.html")))
	var out struct {
		Status  int
		Wrong   string
		Version string
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const module = await WebAssembly.compileStreaming(fetch('/js/auth.wasm?copy'));
const { createClient, VERSION } = await import('/js/index.js');
let wrong = '';
try { createClient({ authUrl: AUTH, wasmModule: new ArrayBuffer(8) }); } catch (e) { wrong = e.name + ': ' + e.message; }
const nhost = createClient({ authUrl: AUTH, wasmModule: module });
const r = await nhost.auth.getVersion();
return { status: r.status, wrong, version: VERSION };`, &out)
	assert.Equal(t, 200, out.Status)
	assert.True(t, strings.HasPrefix(out.Wrong, "TypeError: "), out.Wrong)
	assert.NotEmpty(t, out.Version)
}

// A page whose Content-Security-Policy allows only its own scripts and
// WebAssembly ('wasm-unsafe-eval') works; without 'wasm-unsafe-eval' the
// browser refuses to compile auth.wasm, and the call says so.
func TestContentSecurityPolicy(t *testing.T) {
	emu := emulator(t)
	files := http.FileServer(http.Dir(siteDir))
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.HandleFunc("/csp/{policy}", func(w http.ResponseWriter, r *http.Request) {
		csp := "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'"
		if r.PathValue("policy") == "strict" {
			csp = "script-src 'self'"
		}
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><script type="module" src="/csp-app.js"></script>`)
	})
	mux.HandleFunc("/csp-app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprintf(w, `import { createClient } from '/js/index.js';
const nhost = createClient({ authUrl: %q });
nhost.auth.signInAnonymous().then((r) => { window.result = 'ok ' + r.status + ' ' + (nhost.getUserSession()?.user?.isAnonymous === true); },
  (e) => { window.result = 'error ' + e.name + ': ' + e.message; });
`, emu.URL)
	})
	port := serveLoopback(t, mux)
	origin := fmt.Sprintf("http://localhost:%d", port)

	result := func(policy string) string {
		ctx := tab(t)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(origin+"/csp/"+policy)))
		var out string
		run(t, ctx, nil, `for (let i = 0; i < 300 && !window.result; i++) await new Promise((r) => setTimeout(r, 50));
return window.result ?? 'timeout';`, &out)
		return out
	}
	assert.Equal(t, "ok 200 true", result("wasm"))
	strict := result("strict")
	assert.True(t, strings.HasPrefix(strict, "error FetchError: nhost-auth-wasm: cannot load auth.wasm"), strict)
	assert.Contains(t, strict, "wasm-unsafe-eval")
}

// When the Go runtime stops, the calls waiting on it reject with a
// FetchError, and the next call starts a new runtime; an auth.wasm of
// another version than the JS is refused.
func TestRuntimeExitRejectsPendingCalls(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "exiting.wasm"), "./e2e/testdata/exiting")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	module, err := os.ReadFile(filepath.Join(dir, "exiting.wasm"))
	require.NoError(t, err)

	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(siteDir)))
	mux.HandleFunc("/exiting.wasm", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		w.Write(module)
	})
	mux.HandleFunc("/blank.html", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "<!doctype html>") })
	port := serveLoopback(t, mux)

	ctx := tab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("http://localhost:%d/blank.html", port))))
	var res struct {
		Name, Message string
		Status        int
		Starts        int
		Second        string
		Mismatch      string
	}
	run(t, ctx, nil, `
const { createAPIClient, VERSION, loadWasm } = await import('/js/index.js');
window.exitingStarts = 0;
window.exitingVersion = VERSION;
const wasmModule = await WebAssembly.compileStreaming(fetch('/exiting.wasm'));
const rt = await loadWasm({ wasmModule });
const { makeClient } = await import('/js/auth.js');
const client = makeClient('http://localhost:1/v1', [], { wasm: { wasmModule } });
const pending = client.getVersion();
setTimeout(() => rt.api.exit(), 100);
let out = {};
try { await pending; out.name = 'resolved'; } catch (e) { out = { name: e.name, message: e.message, status: e.status }; }
// The next call runs in a new runtime (whose request never settles either).
const second = await Promise.race([client.getVersion().then(() => 'resolved', (e) => 'rejected: ' + e.message),
  new Promise((r) => setTimeout(() => r('pending'), 300))]);
const starts = window.exitingStarts;
// An auth.wasm of another version is refused with a message that says so.
window.exitingVersion = '0.0.0-other';
const other = await WebAssembly.compileStreaming(fetch('/exiting.wasm?other'));
let mismatch = '';
try { await loadWasm({ wasmModule: other }); } catch (e) { mismatch = e.name + ': ' + e.message; }
return { ...out, starts, second, mismatch };`, &res)
	assert.Equal(t, "FetchError", res.Name)
	assert.Equal(t, 0, res.Status)
	assert.Contains(t, res.Message, "runtime exited")
	assert.Equal(t, "pending", res.Second, "the next call waits in a new runtime")
	assert.Equal(t, 2, res.Starts, "a new runtime was started for it")
	assert.Contains(t, res.Mismatch, "FetchError: nhost-auth-wasm: auth.wasm is version 0.0.0-other but its JS is ")
}

// Where the browser blocks localStorage (here a sandboxed frame, whose
// origin is opaque), createClient does not throw: the session is kept in
// memory for the page, and one warning says so.
func TestBlockedLocalStorageFallsBackToMemory(t *testing.T) {
	emu := emulator(t)
	files := http.FileServer(http.Dir(siteDir))
	mux := http.NewServeMux()
	mux.Handle("/js/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*") // the frame's origin is "null"
		files.ServeHTTP(w, r)
	}))
	origin := fmt.Sprintf("http://localhost:%d", serveLoopback(t, mux)) // handlers follow
	frame := fmt.Sprintf(`<script type="module">
const warnings = [];
console.warn = (...a) => warnings.push(a.join(' '));
let result;
try {
  const { createClient } = await import(%[1]q + '/js/index.js');
  const a = createClient({ authUrl: %[2]q });
  const b = createClient({ authUrl: %[2]q });
  await a.auth.signInAnonymous();
  result = { anonymous: a.getUserSession()?.user?.isAnonymous === true, other: b.getUserSession(), warnings };
} catch (e) {
  result = { error: e.name + ': ' + e.message };
}
parent.postMessage(JSON.stringify(result), '*');
</script>`, origin, emu.URL)
	mux.HandleFunc("/sandbox.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><script>addEventListener('message', (e) => { window.result = e.data; });</script>
<iframe sandbox="allow-scripts" srcdoc="%s"></iframe>`, strings.ReplaceAll(frame, `"`, "&quot;"))
	})

	ctx := tab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(origin+"/sandbox.html")))
	var out struct {
		Error     string
		Anonymous bool
		Other     any
		Warnings  []string
	}
	var text string
	run(t, ctx, nil, `for (let i = 0; i < 300 && !window.result; i++) await new Promise((r) => setTimeout(r, 50));
return window.result ?? '{"error":"timeout"}';`, &text)
	require.NoError(t, json.Unmarshal([]byte(text), &out), text)
	assert.Empty(t, out.Error)
	assert.True(t, out.Anonymous, "signed in, with the session in memory")
	assert.Nil(t, out.Other, "memory storage is per client")
	require.Len(t, out.Warnings, 1, "one warning for two clients")
	assert.Contains(t, out.Warnings[0], "localStorage is not available")
}

// An Auth URL relative to the page ('/proxy/v1', a same-origin proxy) or
// protocol-relative ('//host:port/proxy/v1') gets the token attached.
func TestRelativeAuthURL(t *testing.T) {
	emu := emulator(t)
	target, err := url.Parse(emu.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(siteDir)))
	mux.Handle("/proxy/", http.StripPrefix("/proxy", proxy))
	mux.HandleFunc("/app/page.html", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "<!doctype html>") })
	port := serveLoopback(t, mux)

	ctx := tab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("http://localhost:%d/app/page.html", port))))
	var out map[string]any
	run(t, ctx, map[string]any{"PORT": port}, `
const { createClient, MemoryStorage } = await import('/js/index.js');
const out = {};
let n = 0;
for (const authUrl of ['/proxy/v1', '//localhost:' + PORT + '/proxy/v1']) {
  const nhost = createClient({ authUrl, storage: new MemoryStorage() });
  await nhost.auth.signUpEmailPassword({ email: 'relative-' + (++n) + '@example.com', password: 'Passw0rd!' });
  try { out[authUrl] = (await nhost.auth.getUser()).status; } catch (e) { out[authUrl] = e.status + ' ' + e.message; }
  out[authUrl + ' baseURL'] = nhost.auth.baseURL;
}
return out;`, &out)
	assert.Equal(t, float64(200), out["/proxy/v1"])
	assert.Equal(t, "/proxy/v1", out["/proxy/v1 baseURL"], "baseURL stays as given")
	pr := fmt.Sprintf("//localhost:%d/proxy/v1", port)
	assert.Equal(t, float64(200), out[pr])
}

// A /token that never answers (here a proxy that holds it) never freezes
// the client: a call waiting for that refresh rejects when its own
// AbortSignal says so, the refresh is given up after refreshTimeout and
// the request goes on; a wrong-typed signal is a TypeError.
func TestStalledRefresh(t *testing.T) {
	emu := emulator(t)
	target, err := url.Parse(emu.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	done := make(chan struct{})
	var tokens atomic.Int32
	stalled := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		if r.Method != http.MethodOptions && strings.HasSuffix(r.URL.Path, "/token") {
			tokens.Add(1)
			select {
			case <-r.Context().Done():
			case <-done:
			}
			return
		}
		w.Header().Del("Access-Control-Allow-Origin") // the emulator answers CORS itself
		proxy.ServeHTTP(w, r)
	})
	port := serveLoopback(t, stalled)
	t.Cleanup(func() { close(done) }) // before the server closes
	authURL := fmt.Sprintf("http://127.0.0.1:%d", port)

	type result struct {
		Aborted, Wrong, AfterTimeout string
		Session                      bool
	}
	script := expiredSession + `
const nhost = createClient({ authUrl: AUTH, refreshTimeout: 1.5, autoRefresh: false, storage: store });
const outcome = (p) => p.then((r) => 'ok ' + r.status, (e) => e.name + ': ' + e.message);
let firstDone = false;
const first = outcome(nhost.auth.getVersion()).finally(() => { firstDone = true; }); // starts the refresh, which stalls
await new Promise((r) => setTimeout(r, 200));
let aborted = await outcome(nhost.auth.healthCheckGet({ signal: AbortSignal.timeout(300) }));
if (firstDone) aborted = 'only after the refresh ended: ' + aborted;
const wrong = await outcome(nhost.auth.getVersion({ signal: 'x' }));
const afterTimeout = await first;
return { aborted, wrong, afterTimeout, session: nhost.getUserSession()?.refreshToken === s.refreshToken };`
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			before := tokens.Load()
			var out result
			inPageOrNode(t, where, map[string]any{"AUTH": authURL, "EMU": emu.URL}, script, &out)
			assert.True(t, strings.HasPrefix(out.Aborted, "TimeoutError"), "the waiting call ends with its own signal: %s", out.Aborted)
			assert.True(t, strings.HasPrefix(out.Wrong, "TypeError: getVersion: options.signal must be an AbortSignal"), out.Wrong)
			assert.Equal(t, "ok 200", out.AfterTimeout, "the refresh was given up and the request went on")
			assert.True(t, out.Session, "a refresh that timed out keeps the session")
			assert.Equal(t, int32(1), tokens.Load()-before, "one /token attempt")
		})
	}
}

// The session's token goes only to the Auth origin, after the page's chain
// functions ran: one that rewrites the URL to another origin sends no
// Authorization there; and a redirect of the refresh request is not
// followed, so the refresh token never reaches its target.
func TestTokenStaysWithTheAuthOrigin(t *testing.T) {
	emu := emulator(t)
	var mu sync.Mutex
	var captured []string
	capture := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "*")
		if r.Method == http.MethodOptions {
			return
		}
		mu.Lock()
		captured = append(captured, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"email":"captured"}`)
	})
	capturePort := serveLoopback(t, capture)
	captureURL := fmt.Sprintf("http://127.0.0.1:%d", capturePort)

	// The Auth URL: the emulator, except that /token redirects elsewhere.
	target, err := url.Parse(emu.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	redirecting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			http.Redirect(w, r, captureURL+"/token", http.StatusTemporaryRedirect)
			return
		}
		proxy.ServeHTTP(w, r)
	})
	proxyPort := serveLoopback(t, redirecting)
	authURL := fmt.Sprintf("http://127.0.0.1:%d", proxyPort)

	type result struct {
		Rewritten, Refresh string
		Kept               bool
	}
	script := `
const { createClient } = await import(INDEX);
const store = { v: null, get() { return this.v; }, set(x) { this.v = x; }, remove() { this.v = null; } };
const nhost = createClient({ authUrl: AUTH, autoRefresh: false, storage: store });
await nhost.auth.signUpEmailPassword({ email: 'token-origin-' + Math.random() + '@example.com', password: 'Passw0rd!' });
const outcome = (p) => p.then((r) => 'ok ' + r.status + ' ' + (r.body.email ?? ''), (e) => e.name + ' ' + e.status);
// A chain function that sends getUser elsewhere.
nhost.auth.pushChainFunction((next) => (url, init) =>
  next(String(url).endsWith('/user') ? CAPTURE + '/user' : url, init));
const rewritten = await outcome(nhost.auth.getUser());
const before = nhost.getUserSession().refreshToken;
const refresh = await outcome(nhost.refreshSession(0));
return { rewritten, refresh, kept: nhost.getUserSession()?.refreshToken === before };`
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			mu.Lock()
			captured = nil
			mu.Unlock()
			var out result
			inPageOrNode(t, where, map[string]any{"AUTH": authURL, "CAPTURE": captureURL}, script, &out)
			assert.Equal(t, "ok 200 captured", out.Rewritten)
			assert.Equal(t, "FetchError 0", out.Refresh, "the redirect is not followed")
			assert.True(t, out.Kept, "the session is kept")
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, []string{"GET /user auth="}, captured, "no token, and no refresh request, reached the other origin")
		})
	}
}

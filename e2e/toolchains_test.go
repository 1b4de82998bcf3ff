package e2e_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each toolchain a user may bring builds or serves a tiny app that uses
// the packed SDK with no configuration of ours, and the app signs up,
// survives a reload, reads the user and signs out in Chromium against the
// emulator process.
func TestToolchains(t *testing.T) {
	setupToolchains(t)
	emu := emulator(t)
	n := 0
	email := func(name string) string {
		n++
		return fmt.Sprintf("%s-%d@example.com", regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(name, "-"), n)
	}

	viteApp := func(t *testing.T, base, name string, vue bool) string {
		files := map[string]string{
			"package.json": `{"name":"app","private":true,"type":"module"}`,
			"app.js":       appJS,
			"index.html":   `<!doctype html><html><body><div id="app"></div><script type="module" src="/main.js"></script></body></html>`,
			"main.js":      "import { install } from './app.js';\ninstall();\n",
		}
		if vue {
			files["vite.config.js"] = "import vue from '@vitejs/plugin-vue';\nexport default { plugins: [vue()] };\n"
			files["main.js"] = "import { createApp } from 'vue';\nimport App from './App.vue';\ncreateApp(App).mount('#app');\n"
			files["App.vue"] = `<script setup>
import { onMounted, ref } from 'vue';
import { install } from './app.js';
const ready = ref(false);
onMounted(() => { install(); ready.value = true; });
</script>
<template><p>{{ ready ? 'ready' : 'starting' }}</p></template>
`
		}
		return newApp(t, base, name, files)
	}

	for _, v := range []struct{ name, base string }{{"vite6", toolchainDir("vite6")}, {"vite7", toolchainDir()}} {
		for _, vue := range []bool{false, true} {
			kind := "js"
			if vue {
				kind = "vue"
			}
			vite := filepath.Join(v.base, "node_modules", "vite", "bin", "vite.js")
			t.Run(v.name+"-"+kind+"-dev", func(t *testing.T) {
				dir := viteApp(t, v.base, v.name+"-"+kind+"-dev", vue)
				port := freePort(t)
				url := fmt.Sprintf("http://localhost:%d/", port)
				startProcess(t, dir, url, nil, "node", vite, "--port", fmt.Sprint(port), "--strictPort", "--host", "127.0.0.1")
				browserFlow(t, url, emu.URL, email(t.Name()), true)
			})
			t.Run(v.name+"-"+kind+"-build", func(t *testing.T) {
				dir := viteApp(t, v.base, v.name+"-"+kind+"-build", vue)
				out := sh(t, dir, nil, "node", vite, "build", "--logLevel", "warn")
				assert.NotContains(t, out, "nhost-auth-wasm", "no warnings about the SDK")
				browserFlow(t, serveDir(t, filepath.Join(dir, "dist")), emu.URL, email(t.Name()))
			})
		}
	}

	t.Run("webpack5", func(t *testing.T) {
		dir := newApp(t, toolchainDir(), "webpack5", map[string]string{
			"package.json": `{"name":"app","private":true,"type":"module"}`,
			"app.js":       appJS,
			"main.js":      "import { install } from './app.js';\ninstall();\n",
			"webpack.config.js": `import path from 'node:path';
export default {
  mode: 'production',
  entry: './main.js',
  output: { path: path.resolve('dist'), filename: 'main.js', publicPath: 'auto', clean: true },
  performance: { hints: false },
};
`,
		})
		out := sh(t, dir, nil, "node", filepath.Join(dir, "node_modules", "webpack-cli", "bin", "cli.js"), "--stats", "errors-warnings")
		assert.NotContains(t, strings.ToLower(out), "warning", out)
		write(t, filepath.Join(dir, "dist"), "index.html", `<!doctype html><script src="/main.js"></script>`)
		browserFlow(t, serveDir(t, filepath.Join(dir, "dist")), emu.URL, email(t.Name()))
	})

	t.Run("esbuild", func(t *testing.T) {
		// esbuild does not emit assets named by new URL(…, import.meta.url):
		// the one documented line is copying auth.wasm beside the bundle.
		dir := newApp(t, toolchainDir(), "esbuild", map[string]string{
			"package.json": `{"name":"app","private":true,"type":"module"}`,
			"app.js":       appJS,
			"main.js":      "import { install } from './app.js';\ninstall();\n",
		})
		out := sh(t, dir, nil, filepath.Join(dir, "node_modules", ".bin", "esbuild"), "main.js", "--bundle", "--format=esm",
			"--outdir=dist", "--log-level=warning")
		assert.Empty(t, strings.TrimSpace(out))
		sh(t, dir, nil, "cp", "node_modules/nhost-auth-wasm/js/auth.wasm", "dist/")
		write(t, filepath.Join(dir, "dist"), "index.html", `<!doctype html><script type="module" src="/main.js"></script>`)
		browserFlow(t, serveDir(t, filepath.Join(dir, "dist")), emu.URL, email(t.Name()))
	})

	t.Run("plain-module-page", func(t *testing.T) {
		// No bundler: the package's files as they are, through an import map.
		dir := newApp(t, toolchainDir(), "plain", map[string]string{
			"app.js": appJS,
			"index.html": `<!doctype html>
<script type="importmap">{"imports": {"nhost-auth-wasm": "/node_modules/nhost-auth-wasm/js/index.js"}}</script>
<script type="module">import { install } from './app.js'; install();</script>
`,
		})
		browserFlow(t, serveDir(t, dir), emu.URL, email(t.Name()))
	})
}

// nodeFlow is the flow for runtimes without a page: sign up, a second
// client on the same storage (a "reload"), getUser, a wrong password,
// sign out. It prints one line of JSON.
const nodeFlowESM = `import { createClient, FetchError, MemoryStorage } from 'nhost-auth-wasm';
` + nodeFlowBody

const nodeFlowCJS = `const { createClient, FetchError, MemoryStorage } = require('nhost-auth-wasm');
` + nodeFlowBody

const nodeFlowBody = `async function flow(authUrl, email) {
  const storage = new MemoryStorage();
  const a = createClient({ authUrl, storage });
  const up = await a.auth.signUpEmailPassword({ email, password: 'Passw0rd!' });
  a.dispose();
  const b = createClient({ authUrl, storage });
  const session = b.getUserSession()?.user?.email;
  const me = (await b.auth.getUser()).body.email;
  let wrong = '';
  try { await b.auth.signInEmailPassword({ email, password: 'wrong' }); } catch (e) { wrong = (e instanceof FetchError) + ':' + e.status; }
  await b.auth.signOut({ refreshToken: b.getUserSession().refreshToken });
  return { up: up.body.session.user.email, session, me, wrong, after: b.getUserSession() };
}
`

func checkNodeFlow(t *testing.T, out, email string) {
	t.Helper()
	want := fmt.Sprintf(`{"up":%[1]q,"session":%[1]q,"me":%[1]q,"wrong":"true:401","after":null}`, email)
	assert.Contains(t, out, want)
}

// Node 20 and 22, as an ES module and with require(); Jest with its
// default CommonJS setup and with native ESM.
func TestNodeRuntimes(t *testing.T) {
	setupToolchains(t)
	emu := emulator(t)
	node22 := filepath.Join(toolchainDir(), "node_modules", "node22", "bin", "node")
	require.FileExists(t, node22)
	run := `flow(process.env.AUTH_URL, process.env.EMAIL).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`
	for _, node := range []struct{ name, bin string }{{"node20", "node"}, {"node22", node22}} {
		for _, mod := range []struct{ kind, file, src string }{{"esm", "flow.mjs", nodeFlowESM}, {"require", "flow.cjs", nodeFlowCJS}} {
			t.Run(node.name+"-"+mod.kind, func(t *testing.T) {
				dir := newApp(t, toolchainDir(), node.name+"-"+mod.kind, map[string]string{mod.file: mod.src + run})
				version := sh(t, dir, nil, node.bin, "--version")
				assert.True(t, strings.HasPrefix(version, "v"+strings.TrimPrefix(node.name, "node")+"."), version)
				email := node.name + "-" + mod.kind + "@example.com"
				out := sh(t, dir, []string{"AUTH_URL=" + emu.URL, "EMAIL=" + email}, node.bin, mod.file)
				checkNodeFlow(t, out, email)
			})
		}
	}

	// Node's fetch loads undici on first use, most of a first call's time:
	// while globalThis.fetch is Node's own, the SDK's requests go through
	// node:http, with fetch's outcomes (redirects, compressed bodies,
	// aborts, headers); a fetch put in its place is the one called.
	for _, node := range []struct{ name, bin string }{{"node20", "node"}, {"node22", node22}} {
		t.Run(node.name+"-transport", func(t *testing.T) {
			dir := newApp(t, toolchainDir(), node.name+"-transport", map[string]string{"transport.mjs": nodeTransport})
			out := sh(t, dir, []string{"AUTH_URL=" + emu.URL, "EMAIL=" + node.name + "-transport@example.com"}, node.bin, "transport.mjs")
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(lastLine(out)), &got), out)
			assert.Equal(t, map[string]any{
				"me": node.name + "-transport@example.com", "undiciLoaded": false, "contentType": "application/json",
				"encoded": []any{"gzip", "br", "deflate"}, "followed": true, "tokenRedirect": "FetchError:0", "timeout": "TimeoutError",
				"afterTimeout": 200.0, "aborted": "AbortError", "mocked": 1.0, "oneInstance": true,
				"reset": "FetchError:0:fetch failed", "html": "FetchError:502:<html><body>Bad gateway</body></html>", "afterReset": 200.0,
			}, got)
		})
	}

	t.Run("createServerClient", func(t *testing.T) {
		// One server request: the session arrives in the request's cookie
		// and goes back in the response's; requests never refresh first.
		dir := newApp(t, toolchainDir(), "server-client", map[string]string{"server.mjs": `
import { createClient, createServerClient, MemoryStorage } from 'nhost-auth-wasm';
const authUrl = process.env.AUTH_URL;
const browser = createClient({ authUrl, storage: new MemoryStorage(), autoRefresh: false });
await browser.auth.signUpEmailPassword({ email: 'server-client@example.com', password: 'Passw0rd!' });
const session = browser.getUserSession();
// The access token as the cookie has it after it expired.
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const exp = Math.floor(Date.now() / 1000) - 60;
const expired = { ...session, accessToken: [b64({ alg: 'RS256' }), b64({ ...session.decodedToken, iat: exp - 900, exp }), 'x'].join('.') };

const handle = async (cookie) => {
  const response = { cookies: new Map() };
  const nhost = createServerClient({
    authUrl,
    storage: {
      get: () => (cookie ? JSON.parse(cookie) : null),
      set: (v) => response.cookies.set('nhostSession', JSON.stringify(v)),
      remove: () => response.cookies.set('nhostSession', ''),
    },
  });
  let status;
  try { status = (await nhost.auth.getUser()).status; } catch (e) { status = e.status; }
  return { nhost, status, response };
};
let missing = '';
try { createServerClient({ authUrl }); } catch (e) { missing = e.name; }
const fresh = await handle(JSON.stringify(session));
const stale = await handle(JSON.stringify(expired));
const renewed = await stale.nhost.refreshSession(0);
console.log(JSON.stringify({
  missing, fresh: fresh.status, stale: stale.status >= 400 ? "refused" : stale.status,
  renewed: renewed.refreshToken !== session.refreshToken,
  cookie: JSON.parse(stale.response.cookies.get('nhostSession')).refreshToken === renewed.refreshToken,
}));
`})
		before := requests(t, emu)["POST /token"]
		out := sh(t, dir, []string{"AUTH_URL=" + emu.URL}, "node", "server.mjs")
		assert.Contains(t, out, `{"missing":"TypeError","fresh":200,"stale":"refused","renewed":true,"cookie":true}`)
		assert.Equal(t, before+1, requests(t, emu)["POST /token"], "only the explicit refreshSession reached /token")
	})

	jestTest := func(email string) string {
		return `test('sign-up, reload, getUser, sign-out', async () => {
  const r = await flow(process.env.AUTH_URL, '` + email + `');
  expect(r).toEqual({ up: '` + email + `', session: '` + email + `', me: '` + email + `', wrong: 'true:401', after: null });
});
`
	}
	jest := filepath.Join(toolchainDir(), "node_modules", "jest", "bin", "jest.js")
	t.Run("jest-commonjs", func(t *testing.T) {
		// Jest's usual setup: CommonJS test files (babel-jest), node environment.
		dir := newApp(t, toolchainDir(), "jest-cjs", map[string]string{
			"package.json":      `{"name":"app","private":true}`,
			"flow.test.js":      nodeFlowCJS + jestTest("jest-cjs@example.com"),
			"import.test.js":    "import { createClient } from 'nhost-auth-wasm';\ntest('import syntax', () => { expect(typeof createClient).toBe('function'); });\n",
			"babel.config.json": `{"presets": [["@babel/preset-env", {"targets": {"node": "current"}}]]}`,
		})
		out := sh(t, dir, []string{"AUTH_URL=" + emu.URL}, "node", jest, "--ci", "--colors=false")
		assert.Contains(t, out, "Tests:       2 passed, 2 total")
	})
	t.Run("jest-esm", func(t *testing.T) {
		dir := newApp(t, toolchainDir(), "jest-esm", map[string]string{
			"package.json": `{"name":"app","private":true,"type":"module","jest":{"transform":{}}}`,
			"flow.test.js": nodeFlowESM + jestTest("jest-esm@example.com"),
		})
		out := sh(t, dir, []string{"AUTH_URL=" + emu.URL, "NODE_OPTIONS=--experimental-vm-modules --no-warnings"}, "node", jest, "--ci", "--colors=false")
		assert.Contains(t, out, "Tests:       1 passed, 1 total")
	})
}

// TypeScript finds the declarations of every entry point with each
// moduleResolution a project may use.
func TestTypeScriptResolution(t *testing.T) {
	setupToolchains(t)
	tsc := filepath.Join(toolchainDir(), "node_modules", "typescript", "bin", "tsc")
	const uses = `
const nhost: NhostClient = createClient({ authUrl: 'http://localhost:4000/v1' });
const raw: Client = createAPIClient('http://localhost:4000/v1');
const chain: ChainFunction = (next) => (url, init) => next(url, init);
raw.pushChainFunction(chain);
const s: StoredSession | null = nhost.getUserSession();
const m = new MemoryStorage();
async function f(): Promise<void> {
  try {
    const r: FetchResponse<SignInEmailPasswordResponse> = await nhost.auth.signInEmailPassword({ email: 'a@b.c', password: 'pw' });
    console.log(r.body.session?.accessToken, s?.decodedToken.exp, m);
  } catch (e) {
    if (e instanceof FetchError) console.log(e.status);
  }
}
void f;
`
	const imports = `import { createClient, FetchError, type NhostClient, type StoredSession } from 'nhost-auth-wasm';
import { createAPIClient, type Client, type SignInEmailPasswordResponse } from 'nhost-auth-wasm/auth';
import type { ChainFunction, FetchResponse } from 'nhost-auth-wasm/fetch';
import { MemoryStorage } from 'nhost-auth-wasm/session';
`
	for _, c := range []struct {
		name, pkgType, file, module, resolution string
	}{
		{"node10", "commonjs", "check.ts", "commonjs", "node10"},
		{"node16-esm", "module", "check.mts", "node16", "node16"},
		{"node16-cjs", "commonjs", "check.cts", "node16", "node16"},
		{"nodenext", "module", "check.ts", "nodenext", "nodenext"},
		{"bundler", "module", "check.ts", "esnext", "bundler"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := newApp(t, toolchainDir(), "ts-"+c.name, map[string]string{
				"package.json": fmt.Sprintf(`{"name":"app","private":true,"type":%q}`, c.pkgType),
				c.file:         imports + uses,
			})
			sh(t, dir, nil, "node", tsc, "--noEmit", "--strict", "--target", "es2022", "--module", c.module,
				"--moduleResolution", c.resolution, "--lib", "es2022,dom", "--skipLibCheck", "false", c.file)
		})
	}

}

const nodeTransport = `import { createClient, FetchError, MemoryStorage } from 'nhost-auth-wasm';
import { createAPIClient } from 'nhost-auth-wasm/auth';
import { FetchError as FetchErrorOfFetch } from 'nhost-auth-wasm/fetch';
import { MemoryStorage as MemoryStorageOfSession } from 'nhost-auth-wasm/session';
// (not imported: in Node 22 an import of node:http loads undici)
const http = process.getBuiltinModule('node:http');
const zlib = process.getBuiltinModule('node:zlib');
const AUTH = process.env.AUTH_URL;
// A loopback server: /redirect/* answers 307 to the same path of the Auth
// URL, /{gzip,br,deflate}/version a compressed version, /stall/* never
// answers, /reset/* drops the connection, /html/* is a gateway's HTML 502.
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/redirect/')) {
    res.writeHead(307, { location: AUTH + req.url.slice('/redirect'.length) });
    return res.end();
  }
  const enc = req.url.match(/^\/(gzip|br|deflate)\/version$/)?.[1];
  if (enc) {
    const body = '{"version":"' + enc + '"}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': enc });
    // deflate raw, as some servers send it
    return res.end(enc === 'gzip' ? zlib.gzipSync(body) : enc === 'br' ? zlib.brotliCompressSync(body) : zlib.deflateRawSync(body));
  }
  if (req.url.startsWith('/stall/')) return;
  if (req.url.startsWith('/reset/')) return req.socket.destroy();
  if (req.url.startsWith('/html/')) {
    res.writeHead(502, { 'content-type': 'text/html' });
    return res.end('<html><body>Bad gateway</body></html>');
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const here = 'http://127.0.0.1:' + server.address().port;
const undici = () => process.moduleLoadList.some((m) => m.includes('undici'));
const out = {};
const nhost = createClient({ authUrl: AUTH, storage: new MemoryStorage(), autoRefresh: false });
await nhost.auth.signUpEmailPassword({ email: process.env.EMAIL, password: 'Passw0rd!' });
const me = await nhost.auth.getUser();
out.me = me.body.email;
out.encoded = [];
for (const enc of ['gzip', 'br', 'deflate']) {
  out.encoded.push((await createClient({ authUrl: here + '/' + enc, storage: new MemoryStorage() }).auth.getVersion()).body.version);
}
const version = (await nhost.auth.getVersion()).body.version;
const redirected = createClient({ authUrl: here + '/redirect', storage: new MemoryStorage(), autoRefresh: false });
out.followed = (await redirected.auth.getVersion()).body.version === version;
out.undiciLoaded = undici(); // (an error's FetchError has a Headers object: that loads it)
// A request that carries a token never follows a redirect.
redirected.sessionStorage.set(nhost.getUserSession());
out.tokenRedirect = await redirected.auth.getUser().then(() => 'followed', (e) => e.name + ':' + e.status);
const stalled = createClient({ authUrl: here + '/stall', storage: new MemoryStorage() });
out.timeout = await stalled.auth.getVersion({ signal: AbortSignal.timeout(200) }).then(() => 'answered', (e) => e.name);
out.afterTimeout = (await nhost.auth.getVersion()).status;
const failing = (path) => createClient({ authUrl: here + path, storage: new MemoryStorage() }).auth.getVersion()
  .then(() => 'answered', (e) => e.name + ':' + e.status + ':' + (typeof e.body === 'string' ? e.body : e.message));
out.reset = await failing('/reset');
out.html = await failing('/html');
out.afterReset = (await nhost.auth.getVersion()).status;
out.aborted = await nhost.auth.getVersion({ signal: AbortSignal.abort() }).then(() => 'answered', (e) => e.name);
// Node's entries are one bundle: each module has one instance whichever entry it comes through.
const refused = await createAPIClient(AUTH).signInEmailPassword({ email: process.env.EMAIL, password: 'wrong' }).catch((e) => e);
const nhostJS = await import('nhost-auth-wasm/nhost-js');
out.oneInstance = refused instanceof FetchError && refused instanceof FetchErrorOfFetch &&
  MemoryStorage === MemoryStorageOfSession && nhostJS.FetchError === FetchError;
out.contentType = me.headers.get('content-type');
const own = globalThis.fetch;
let calls = 0;
globalThis.fetch = (url, init) => { calls++; return own(url, init); };
await nhost.auth.getVersion();
out.mocked = calls;
server.close();
console.log(JSON.stringify(out));
process.exit(0);
`

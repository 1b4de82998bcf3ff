package e2e_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sh(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "%s %s:\n%s", name, strings.Join(args, " "), out.String())
	return out.String()
}

// The npm package as users get it: packed, installed into a project,
// bundled by esbuild into a page that runs in Chromium, imported by Node's
// test runner, and type-checked by TypeScript.
func TestNpmPackage(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatal("npm is required (Node >= 20)")
	}
	setupToolchains(t)
	emu := emulator(t)
	for _, f := range []string{"js/index.js", "js/index.cjs", "js/auth.js", "js/auth.wasm", "js/wasm_exec.js", "js/index.d.ts", "js/index.d.cts", "js/types.d.ts"} {
		assert.FileExists(t, filepath.Join(toolchainDir("node_modules", "nhost-auth-wasm"), f))
	}
	gos, _ := filepath.Glob(filepath.Join(toolchainDir("node_modules", "nhost-auth-wasm"), "*", "*.go"))
	assert.Empty(t, gos, "no Go sources in the package")
	proj := newApp(t, toolchainDir(), "npm-package", map[string]string{"package.json": `{"name":"app","private":true,"type":"module"}`})

	const flow = `
export async function flow(createClient, FetchError, authUrl, email) {
  const nhost = createClient({ authUrl });
  const up = await nhost.auth.signUpEmailPassword({ email, password: 'Passw0rd!' });
  await nhost.auth.signOut({ refreshToken: up.body.session.refreshToken });
  const res = await nhost.auth.signInEmailPassword({ email, password: 'Passw0rd!' });
  const me = await nhost.auth.getUser();
  let wrong = null;
  try { await nhost.auth.signInEmailPassword({ email, password: 'nope' }); } catch (e) {
    wrong = { fetchError: e instanceof FetchError, status: e.status, code: e.body.error };
  }
  return { signedIn: res.body.session.user.email, me: me.body.email, session: nhost.getUserSession()?.user?.email, wrong };
}
`
	write(t, proj, "flow.js", flow)

	t.Run("bundled with esbuild, in Chromium", func(t *testing.T) {
		write(t, proj, "page.js", `
import { createClient, FetchError } from 'nhost-auth-wasm';
import { createAPIClient } from 'nhost-auth-wasm/auth';
import { flow } from './flow.js';
window.runFlow = async (authUrl, email) => {
  const result = await flow(createClient, FetchError, authUrl, email);
  result.raw = (await createAPIClient(authUrl).getVersion()).status;
  return JSON.stringify(result);
};
`)
		ctx := tab(t)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(serveBundle(t, proj, "page.js"))))
		var res struct {
			SignedIn, Me, Session string
			Raw                   int
			Wrong                 struct {
				FetchError bool
				Status     int
				Code       string
			}
		}
		run(t, ctx, map[string]any{"AUTH": emu.URL}, `
for (let i = 0; i < 100 && !window.runFlow; i++) await new Promise((r) => setTimeout(r, 50));
return JSON.parse(await window.runFlow(AUTH, 'bundled@example.com'));`, &res)
		assert.Equal(t, "bundled@example.com", res.SignedIn)
		assert.Equal(t, "bundled@example.com", res.Me)
		assert.Equal(t, "bundled@example.com", res.Session)
		assert.Equal(t, 200, res.Raw)
		assert.True(t, res.Wrong.FetchError)
		assert.Equal(t, 401, res.Wrong.Status)
		assert.Equal(t, "invalid-email-password", res.Wrong.Code)
	})

	t.Run("sessions written by nhost-js are read and used", func(t *testing.T) {
		write(t, proj, "compat.js", `
import { createClient as nhostJS } from '@nhost/nhost-js';
import { createClient } from 'nhost-auth-wasm';
window.compat = async (authUrl, email) => {
  localStorage.clear();
  const theirs = nhostJS({ authUrl });
  const up = await theirs.auth.signUpEmailPassword({ email, password: 'Passw0rd!' });
  const written = JSON.parse(localStorage.getItem('nhostSession'));

  const ours = createClient({ authUrl });
  const read = ours.getUserSession();
  const me = await ours.auth.getUser();
  const refreshed = await ours.refreshSession(0);

  // And back: nhost-js reads what we stored, and uses it.
  const again = nhostJS({ authUrl });
  const back = again.getUserSession();
  const me2 = await again.auth.getUser();
  return JSON.stringify({
    wroteSession: written?.refreshToken === up.body.session.refreshToken && typeof written.decodedToken?.exp === 'number',
    readSame: read?.refreshToken === written.refreshToken && read.decodedToken.exp === written.decodedToken.exp,
    me: me.body.email,
    rotated: refreshed.refreshToken !== written.refreshToken,
    backSame: back?.refreshToken === refreshed.refreshToken && back.decodedToken.sub === written.decodedToken.sub,
    me2: me2.body.email,
  });
};
`)
		ctx := tab(t)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(serveBundle(t, proj, "compat.js"))))
		var res struct {
			WroteSession, ReadSame, Rotated, BackSame bool
			Me, Me2                                   string
		}
		run(t, ctx, map[string]any{"AUTH": emu.URL}, `
for (let i = 0; i < 100 && !window.compat; i++) await new Promise((r) => setTimeout(r, 50));
return JSON.parse(await window.compat(AUTH, 'from-nhost-js@example.com'));`, &res)
		assert.True(t, res.WroteSession, "nhost-js stored its session under nhostSession")
		assert.True(t, res.ReadSame, "we read it as is")
		assert.Equal(t, "from-nhost-js@example.com", res.Me)
		assert.True(t, res.Rotated)
		assert.True(t, res.BackSame, "nhost-js reads the session we stored")
		assert.Equal(t, "from-nhost-js@example.com", res.Me2)
	})

	t.Run("node --test", func(t *testing.T) {
		write(t, proj, "flow.test.js", `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, FetchError, MemoryStorage } from 'nhost-auth-wasm';
import { flow } from './flow.js';

test('sign-in flow from Node', async () => {
  const r = await flow(createClient, FetchError, process.env.AUTH_URL, 'node@example.com');
  assert.equal(r.signedIn, 'node@example.com');
  assert.equal(r.me, 'node@example.com');
  assert.equal(r.session, 'node@example.com', 'memory storage is the default in Node');
  assert.deepEqual(r.wrong, { fetchError: true, status: 401, code: 'invalid-email-password' });
});

test('custom storage object', async () => {
  const store = new MemoryStorage();
  const nhost = createClient({ authUrl: process.env.AUTH_URL, storage: store });
  await nhost.auth.signInAnonymous();
  assert.equal(store.get().user.isAnonymous, true);
});
`)
		out := sh(t, proj, []string{"AUTH_URL=" + emu.URL}, "node", "--test", "flow.test.js")
		assert.Contains(t, out, "# pass 2")
		assert.Contains(t, out, "# fail 0")
	})

	t.Run("TypeScript sees the declarations", func(t *testing.T) {
		write(t, proj, "check.ts", `
import { createClient, FetchError, AuthChangeEvent, type StoredSession, type NhostClient } from 'nhost-auth-wasm';
import { createAPIClient, type Client, type SignInEmailPasswordResponse, type ErrorResponseError } from 'nhost-auth-wasm/auth';
import type { FetchResponse, ChainFunction } from 'nhost-auth-wasm/fetch';

const nhost: NhostClient = createClient({ subdomain: 'x', region: 'eu-central-1' });
const raw: Client = createAPIClient('https://x.auth.eu-central-1.nhost.run/v1');
const log: ChainFunction = (next) => async (url, init) => next(url, init);
raw.pushChainFunction(log);
async function main(): Promise<void> {
  const res: FetchResponse<SignInEmailPasswordResponse> = await nhost.auth.signInEmailPassword({ email: 'a@b.c', password: 'pw' });
  const token: string | undefined = res.body.session?.accessToken;
  const s: StoredSession | null = nhost.getUserSession();
  const exp: number | undefined = s?.decodedToken.exp;
  try { await raw.getUser(); } catch (e) { if (e instanceof FetchError) { const code: ErrorResponseError = e.body.error; console.log(code, e.status, e.headers.get('x')); } }
  const url: string = raw.signInProviderURL('github', { allowedRoles: ['user'], providerSpecificParams: { connection: 'c' } });
  console.log(token, exp, url, (await raw.getVersion()).body.version);
  const off: () => void = nhost.onAuthStateChange((event: AuthChangeEvent, session: StoredSession | null) => {
    if (event === AuthChangeEvent.SIGNED_OUT && session === null) console.log('signed out');
  });
  off();
  nhost.dispose();
  createClient({ authUrl: 'http://localhost:4000/v1', refreshMargin: 30, autoRefresh: false });
}
void main;
`)
		sh(t, proj, nil, "node", filepath.Join(proj, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext",
			"--moduleResolution", "nodenext", "--lib", "es2022,dom", "--skipLibCheck", "false", "check.ts")
	})
}

// serveBundle bundles entry with esbuild, serves it with auth.wasm beside it
// on a loopback port, and returns the page's URL.
func serveBundle(t *testing.T, proj, entry string) string {
	out := filepath.Join(proj, "out-"+strings.TrimSuffix(entry, ".js"))
	sh(t, proj, nil, filepath.Join(proj, "node_modules", ".bin", "esbuild"), entry, "--bundle", "--format=esm", "--platform=browser", "--outfile="+filepath.Join(out, "bundle.js"), "--log-level=error")
	wasm, err := os.ReadFile(filepath.Join(proj, "node_modules", "nhost-auth-wasm", "js", "auth.wasm"))
	require.NoError(t, err)
	write(t, out, "auth.wasm", string(wasm)) // beside the bundle, where import.meta.url points
	write(t, out, "index.html", `<!doctype html><script type="module" src="/bundle.js"></script>`)
	port := serveLoopback(t, http.FileServer(http.Dir(out)))
	return fmt.Sprintf("http://localhost:%d/index.html", port)
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}

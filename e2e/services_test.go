package e2e_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

// recorder is a GraphQL + Storage + Functions stand-in that notes the
// Authorization of every request.
type recorder struct {
	mu    sync.Mutex
	auths map[string][]string // path → Authorization headers seen
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.auths[req.URL.Path] = append(r.auths[req.URL.Path], req.Header.Get("Authorization"))
	r.mu.Unlock()
	w.Header().Set("Access-Control-Allow-Origin", "*")
	switch {
	case strings.HasSuffix(req.URL.Path, "/graphql"):
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"ok":true}}`))
	case strings.Contains(req.URL.Path, "/files/"):
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("file contents"))
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"hello":"world"}`))
	}
}

func (r *recorder) seen() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for k, v := range r.auths {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// nhost-js's own GraphQL, Storage and Functions clients, given by
// 'nhost-auth-wasm/nhost-js', over this SDK's authenticated fetch: 20
// concurrent service calls with a token about to expire make exactly one /token,
// each call carries a token the Auth server signed, and nhost.fetch never
// sends it to an origin that is not a configured service.
func TestServiceClientsOverOurFetch(t *testing.T) {
	setupToolchains(t)
	emu := emulator(t)
	svc := &recorder{auths: map[string][]string{}}
	services := httptest.NewServer(svc)
	defer services.Close()
	other := &recorder{auths: map[string][]string{}}
	elsewhere := httptest.NewServer(other)
	defer elsewhere.Close()
	proj := newApp(t, toolchainDir(), "services", map[string]string{"package.json": `{"name":"app","private":true,"type":"module"}`})
	write(t, proj, "run.mjs", `
import { createClient } from 'nhost-auth-wasm/nhost-js';
const [authUrl, base, elsewhere] = process.argv.slice(2);
const nhost = createClient({ authUrl, graphqlUrl: base + '/v1/graphql', storageUrl: base + '/v1/storage', functionsUrl: base + '/v1/functions' });
await nhost.auth.signUpEmailPassword({ email: 'services@example.com', password: 'Passw0rd!' });
// The clock jumps to 30 s before the token expires: the next calls refresh.
const RealDate = Date;
const offset = (nhost.getUserSession().decodedToken.exp - RealDate.now()) - 30000;
globalThis.Date = class extends RealDate {
  constructor(...a) { if (a.length === 0) super(RealDate.now() + offset); else super(...a); }
  static now() { return RealDate.now() + offset; }
};
const calls = [];
for (let i = 0; i < 20; i++) {
  if (i % 3 === 0) calls.push(nhost.graphql.request({ query: '{ ok }' }).then((r) => r.body.data.ok === true));
  else if (i % 3 === 1) calls.push(nhost.storage.getFile('f' + i).then((r) => r.status === 200));
  else calls.push(nhost.functions.fetch('/hello').then((r) => r.body.hello === 'world'));
}
const ok = await Promise.all(calls);
const own = await nhost.fetch(base + '/v1/functions/plain');
const foreign = await nhost.fetch(elsewhere + '/collect');
const explicit = await nhost.fetch(base + '/v1/functions/explicit', { headers: { Authorization: 'Bearer mine' } });
console.log(JSON.stringify({ ok, token: nhost.getUserSession().accessToken, statuses: [own.status, foreign.status, explicit.status] }));
nhost.dispose();
`)
	out := sh(t, proj, nil, "node", "run.mjs", emu.URL, services.URL, elsewhere.URL)
	var res struct {
		OK       []bool
		Token    string
		Statuses []int
	}
	require.NoError(t, json.Unmarshal([]byte(lastLine(out)), &res), out)
	assert.Len(t, res.OK, 20)
	for i, ok := range res.OK {
		assert.True(t, ok, "call %d", i)
	}
	assert.Equal(t, []int{200, 200, 200}, res.Statuses)

	// One /token for the burst (the sign-up made the first session).
	assert.Equal(t, 1, requests(t, emu)["POST /token"], "one refresh for 20 concurrent service calls")

	// Every service call had the refreshed token, signed by the Auth server.
	set, err := nethttp.NewClient(emu.URL).GetJWKs(context.Background())
	require.NoError(t, err)
	nb, err := base64.RawURLEncoding.DecodeString(set.Body.Keys[0].N)
	require.NoError(t, err)
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: 65537}
	seen := svc.seen()
	n := 0
	for path, auths := range seen {
		for _, a := range auths {
			if path == "/v1/functions/explicit" {
				assert.Equal(t, "Bearer mine", a, "an explicit Authorization is kept")
				continue
			}
			n++
			require.True(t, strings.HasPrefix(a, "Bearer "), "%s without a token", path)
			_, err := jwt.Parse(strings.TrimPrefix(a, "Bearer "), func(*jwt.Token) (any, error) { return key, nil })
			assert.NoError(t, err, "%s: a token the server signed and still valid", path)
			assert.Equal(t, "Bearer "+res.Token, a, path)
		}
	}
	assert.Equal(t, 21, n, "20 service calls and one nhost.fetch")
	for path, auths := range other.seen() {
		for _, a := range auths {
			assert.Empty(t, a, "the token went to %s%s, not a configured service", elsewhere.URL, path)
		}
	}
	assert.NotEmpty(t, other.seen(), "the foreign request was made")
}

// The admin-session, role and header middlewares send exactly what
// nhost-js's do, header by header, including when the request already
// sets some of them.
func TestMiddlewareHeadersMatchNhostJS(t *testing.T) {
	setupToolchains(t)
	proj := newApp(t, toolchainDir(), "middleware-headers", map[string]string{"package.json": `{"name":"app","private":true,"type":"module"}`})
	write(t, proj, "run.mjs", `
import * as ours from 'nhost-auth-wasm/fetch';
import * as theirs from '@nhost/nhost-js/fetch';
const cases = [
  (m) => m.withAdminSessionMiddleware({ adminSecret: 's3cret' }),
  (m) => m.withAdminSessionMiddleware({ adminSecret: 's3cret', role: 'user', sessionVariables: { 'user-id': 'u1', 'x-hasura-org': 'o1' } }),
  (m) => m.withRoleMiddleware('editor'),
  (m) => m.withHeadersMiddleware({ 'x-a': '1', 'X-B': '2' }),
  (m) => m.withHeadersMiddleware([['x-c', '3']]),
];
const inits = [undefined, {}, { headers: { 'x-hasura-role': 'me', 'x-a': 'mine', 'x-hasura-user-id': 'u0' } },
  { headers: new Headers({ 'x-hasura-admin-secret': 'theirs' }), method: 'POST' }];
const capture = async (mw, init) => {
  let got;
  await mw(async (url, options) => { got = { url, headers: [...new Headers(options?.headers ?? {})].sort(), method: options?.method ?? null }; return new Response('{}'); })('https://x.example/v1/graphql', init);
  return got;
};
const out = [];
for (const make of cases) for (const init of inits) {
  out.push({ ours: await capture(make(ours), init), theirs: await capture(make(theirs), init) });
}
console.log(JSON.stringify(out));
`)
	var pairs []struct{ Ours, Theirs any }
	require.NoError(t, json.Unmarshal([]byte(lastLine(sh(t, proj, nil, "node", "run.mjs"))), &pairs))
	require.Len(t, pairs, 20)
	for i, p := range pairs {
		assert.Equal(t, p.Theirs, p.Ours, "case %d", i)
	}
}

// Code written against every name @nhost/nhost-js 4.7.0 exports (root,
// /auth, /fetch, /session) compiles with tsc --strict when it imports them
// from this package instead; and what an app hands to nhost-js-typed code
// (the auth client, the session, the service clients) is assignable.
func TestTypesCoverNhostJS(t *testing.T) {
	setupToolchains(t)
	proj := newApp(t, toolchainDir(), "types-cover", map[string]string{
		"package.json":  `{"name":"app","private":true,"type":"module"}`,
		"tsconfig.json": `{"compilerOptions":{"strict":true,"noEmit":true,"module":"esnext","moduleResolution":"bundler","target":"es2022","lib":["es2022","dom"],"types":[],"skipLibCheck":true},"files":["names.ts","assign.ts"]}`,
	})
	// The names, read from nhost-js's own declarations by the TypeScript checker.
	write(t, proj, "names.mjs", `
import ts from 'typescript';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = [];
for (const entry of ['', '/auth', '/fetch', '/session']) {
  const file = require.resolve('@nhost/nhost-js' + entry).replace(/dist\/.*$/, '') + 'dist/src' + (entry || '') + '/index.d.ts';
  const prog = ts.createProgram([file], { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext });
  const checker = prog.getTypeChecker();
  const mod = checker.getSymbolAtLocation(prog.getSourceFile(file));
  const names = checker.getExportsOfModule(mod).map((s) => s.name).sort();
  out.push('import type { ' + names.map((n) => n + ' as T_' + (entry.slice(1) || 'root') + '_' + n).join(', ') + " } from 'nhost-auth-wasm" + entry + "';");
}
console.log(out.join('\n'));
`)
	names := sh(t, proj, nil, "node", "names.mjs")
	assert.Regexp(t, regexp.MustCompile(`T_fetch_withAdminSessionMiddleware`), names)
	write(t, proj, "names.ts", names+"\nexport {};\n")
	write(t, proj, "assign.ts", `
import { createClient, createServerClient, createNhostClient, withAdminSession, withClientSideSessionMiddleware, generateServiceUrl } from 'nhost-auth-wasm';
import { createClient as createFull } from 'nhost-auth-wasm/nhost-js';
import type { Client as TheirAuth } from '@nhost/nhost-js/auth';
import type { Client as TheirGraphQL } from '@nhost/nhost-js/graphql';
import type { Client as TheirStorage } from '@nhost/nhost-js/storage';
import type { Session as TheirSession } from '@nhost/nhost-js/session';
import { sessionRefreshMiddleware, attachAccessTokenMiddleware, withRoleMiddleware, type AdminSessionOptions } from 'nhost-auth-wasm/fetch';
import { refreshSession } from 'nhost-auth-wasm/session';

// nhost-js's SessionStorage has private members, so no other class can
// stand for it (nor for NhostClient, which holds one): the members an app
// hands on to nhost-js-typed code are what must be assignable.
const opts = { subdomain: 'abc', region: 'eu-central-1', graphqlUrl: 'https://g.example/v1' };
const nhost = createClient(opts);
const auth: TheirAuth = nhost.auth;
const s: TheirSession | null = nhost.getUserSession();
const full = createFull(opts);
const gqlClient: TheirGraphQL = full.graphql;
const storageClient: TheirStorage = full.storage;
const admin: AdminSessionOptions = { adminSecret: 'x', role: 'user', sessionVariables: { 'user-id': '1' } };
createNhostClient({ ...opts, configure: [withClientSideSessionMiddleware, withAdminSession(admin)] });
createServerClient({ ...opts, storage: { get: () => null, set: () => {}, remove: () => {} } });
nhost.auth.pushChainFunction(sessionRefreshMiddleware(nhost.auth, nhost.sessionStorage));
nhost.auth.pushChainFunction(attachAccessTokenMiddleware(nhost.sessionStorage));
nhost.auth.pushChainFunction(withRoleMiddleware('user'));
const fresh: Promise<TheirSession | null> = refreshSession(nhost.auth, nhost.sessionStorage, 30);
const viaFetch: Promise<Response> = nhost.fetch('https://abc.graphql.eu-central-1.nhost.run/v1', { method: 'POST' });
const url: string = generateServiceUrl('graphql', 'abc', 'eu-central-1');
void auth; void s; void gqlClient; void storageClient; void fresh; void viaFetch; void url;
`)
	tsc := filepath.Join(toolchainDir("node_modules", ".bin", "tsc"))
	if _, err := os.Stat(tsc); err != nil {
		t.Fatal("typescript is not installed in e2e/toolchains")
	}
	sh(t, proj, nil, tsc, "-p", ".")
}

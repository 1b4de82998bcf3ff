package e2e_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

func TestBrowserFlows(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	var out struct {
		Before any `json:"before"`
		SignUp struct {
			Status        int    `json:"status"`
			HasSession    bool   `json:"hasSession"`
			HeadersObject bool   `json:"headersObject"`
			ContentType   string `json:"contentType"`
			UserID        string `json:"userId"`
		} `json:"signUp"`
		Stored struct {
			Sub          string  `json:"sub"`
			ExpMillis    float64 `json:"expMillis"`
			AccessToken  bool    `json:"accessToken"`
			Roles        []any   `json:"roles"`
			SameAsGetter bool    `json:"sameAsGetter"`
		} `json:"stored"`
		SignIn  string `json:"signIn"`
		Me      string `json:"me"`
		Refresh struct {
			Rotated bool `json:"rotated"`
			SameID  bool `json:"sameId"`
			Stored  bool `json:"stored"`
		} `json:"refresh"`
		Wrong struct {
			IsFetchError  bool   `json:"isFetchError"`
			IsError       bool   `json:"isError"`
			Status        int    `json:"status"`
			Code          string `json:"code"`
			Message       string `json:"message"`
			HeadersObject bool   `json:"headersObject"`
		} `json:"wrong"`
		AfterSignOut struct {
			Session any    `json:"session"`
			Stored  any    `json:"stored"`
			Status  int    `json:"status"`
			Changes []bool `json:"changes"`
		} `json:"afterSignOut"`
		Anonymous struct {
			IsAnonymous bool   `json:"isAnonymous"`
			Role        string `json:"role"`
			GetUser     int    `json:"getUser"`
		} `json:"anonymous"`
		JWKS    string `json:"jwks"`
		Version string `json:"version"`
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL, "EMAIL": "browser-flow@example.com"}, `
const { createClient, FetchError } = await import('/js/index.js');
localStorage.clear();
const nhost = createClient({ authUrl: AUTH });
const out = { before: nhost.getUserSession() };
const changes = [];
nhost.sessionStorage.onChange((s) => changes.push(s !== null));

const up = await nhost.auth.signUpEmailPassword({ email: EMAIL, password: 'Passw0rd!' });
out.signUp = { status: up.status, hasSession: !!up.body.session, headersObject: up.headers instanceof Headers,
  contentType: up.headers.get('content-type'), userId: up.body.session.user.id };
const raw = JSON.parse(localStorage.getItem('nhostSession'));
out.stored = { sub: raw.decodedToken.sub, expMillis: raw.decodedToken.exp, accessToken: raw.accessToken === up.body.session.accessToken,
  roles: raw.decodedToken['https://hasura.io/jwt/claims']['x-hasura-allowed-roles'],
  sameAsGetter: JSON.stringify(nhost.getUserSession()) === JSON.stringify(raw) };

await nhost.auth.signOut({ refreshToken: up.body.session.refreshToken });
const inRes = await nhost.auth.signInEmailPassword({ email: EMAIL, password: 'Passw0rd!' });
out.signIn = inRes.body.session.user.email;
out.me = (await nhost.auth.getUser()).body.email;

const before = nhost.getUserSession();
const refreshed = await nhost.refreshSession(0);
out.refresh = { rotated: refreshed.refreshToken !== before.refreshToken, sameId: refreshed.refreshTokenId === before.refreshTokenId,
  stored: nhost.getUserSession().refreshToken === refreshed.refreshToken };

try {
  await nhost.auth.signInEmailPassword({ email: EMAIL, password: 'wrong' });
} catch (e) {
  out.wrong = { isFetchError: e instanceof FetchError, isError: e instanceof Error, status: e.status, code: e.body.error,
    message: e.message, headersObject: e.headers instanceof Headers };
}

const so = await nhost.auth.signOut({ refreshToken: nhost.getUserSession().refreshToken });
out.afterSignOut = { session: nhost.getUserSession(), stored: localStorage.getItem('nhostSession'), status: so.status, changes: [...changes] };

const anon = await nhost.auth.signInAnonymous();
let getUser = 0;
try { await nhost.auth.getUser(); } catch (e) { getUser = e.status; }
out.anonymous = { isAnonymous: anon.body.session.user.isAnonymous, role: nhost.getUserSession().decodedToken['https://hasura.io/jwt/claims']['x-hasura-default-role'], getUser };
out.jwks = (await nhost.auth.getJWKs()).body.keys[0].kid;
out.version = (await nhost.auth.getVersion()).body.version;
return out;`, &out)

	// What the server says, asked directly from Go.
	c := nethttp.NewClient(emu.URL)
	v, err := c.GetVersion(context.Background())
	require.NoError(t, err)
	keys, err := c.GetJWKs(context.Background())
	require.NoError(t, err)
	in, err := c.SignInEmailPassword(context.Background(), core.SignInEmailPasswordRequest{Email: "browser-flow@example.com", Password: "Passw0rd!"})
	require.NoError(t, err)

	assert.Nil(t, out.Before)
	assert.Equal(t, 200, out.SignUp.Status)
	assert.True(t, out.SignUp.HasSession)
	assert.True(t, out.SignUp.HeadersObject)
	assert.Equal(t, "application/json", out.SignUp.ContentType)
	assert.Equal(t, in.Body.Session.User.ID, out.SignUp.UserID)
	assert.Equal(t, out.SignUp.UserID, out.Stored.Sub)
	dec, err := core.DecodeAccessToken(in.Body.Session.AccessToken)
	require.NoError(t, err)
	assert.InDelta(t, float64(*dec.Exp), out.Stored.ExpMillis, 60_000, "exp stored in milliseconds")
	assert.True(t, out.Stored.AccessToken)
	assert.Equal(t, []any{"me", "user"}, out.Stored.Roles)
	assert.True(t, out.Stored.SameAsGetter)
	assert.Equal(t, "browser-flow@example.com", out.SignIn)
	assert.Equal(t, "browser-flow@example.com", out.Me)
	assert.True(t, out.Refresh.Rotated)
	assert.True(t, out.Refresh.SameID)
	assert.True(t, out.Refresh.Stored)
	assert.True(t, out.Wrong.IsFetchError)
	assert.True(t, out.Wrong.IsError)
	assert.Equal(t, 401, out.Wrong.Status)
	assert.Equal(t, string(core.ErrInvalidEmailPassword), out.Wrong.Code)
	assert.Equal(t, "Incorrect email or password", out.Wrong.Message)
	assert.True(t, out.Wrong.HeadersObject)
	assert.Nil(t, out.AfterSignOut.Session)
	assert.Nil(t, out.AfterSignOut.Stored)
	assert.Equal(t, 200, out.AfterSignOut.Status)
	assert.NotEmpty(t, out.AfterSignOut.Changes)
	assert.False(t, out.AfterSignOut.Changes[len(out.AfterSignOut.Changes)-1], "the last change is the sign-out")
	assert.True(t, out.Anonymous.IsAnonymous)
	assert.Equal(t, "anonymous", out.Anonymous.Role)
	assert.Equal(t, 403, out.Anonymous.GetUser)
	assert.Equal(t, keys.Body.Keys[0].Kid, out.JWKS)
	assert.Equal(t, v.Body.Version, out.Version)
}

// getUserSession is synchronous and right before auth.wasm has loaded,
// and a session written by an earlier page (or by nhost-js) is used.
func TestSessionIsReadyBeforeWasm(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	var first struct{ Refresh string }
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient } = await import('/js/index.js');
localStorage.clear();
const nhost = createClient({ authUrl: AUTH });
const r = await nhost.auth.signInAnonymous();
return { Refresh: r.body.session.refreshToken };`, &first)

	var second struct {
		Sync    string
		User    bool
		Corrupt any
	}
	// A fresh page (new JS realm), same origin and storage.
	ctx2 := tab(t)
	run(t, ctx2, map[string]any{"AUTH": emu.URL}, `
const { createClient } = await import('/js/index.js?fresh');
const nhost = createClient({ authUrl: AUTH });
const sync = nhost.getUserSession()?.refreshToken;  // no await before this
const v = await nhost.auth.verifyToken();
localStorage.setItem('nhostSession', '{not json');
const corrupt = createClient({ authUrl: AUTH }).getUserSession();
return { Sync: sync, User: v.body === 'OK', Corrupt: corrupt };`, &second)
	assert.Equal(t, first.Refresh, second.Sync)
	assert.True(t, second.User, "the stored token was attached")
	assert.Nil(t, second.Corrupt, "a corrupt value reads as signed out")
}

var requestLine = regexp.MustCompile(`msg=request method=(\S+) path=(\S+) status=(\d+)`)

// Every one of the 41 methods is exposed to JS and reaches the server as
// the wire contract says: each call below is checked against the request
// the emulator logged (verb, path, status), and none fails the server's
// OpenAPI validation or routing (no 400, no 404).
func TestEveryMethodReachesTheServer(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	type callResult struct {
		Name   string `json:"name"`
		Status int    `json:"status"`
		Code   string `json:"code"`
		Fetch  bool   `json:"fetch"`
		Method string `json:"method"`
		URL    string `json:"url"`
	}
	var out struct {
		Calls       []callResult `json:"calls"`
		Methods     []string     `json:"methods"`
		ProviderURL string       `json:"providerURL"`
		TicketURL   string       `json:"ticketURL"`
		Pushed      bool         `json:"pushed"`
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient, FetchError } = await import('/js/index.js');
const { METHOD_NAMES } = await import('/js/auth.js');
localStorage.clear();
const nhost = createClient({ authUrl: AUTH });
const seen = [];
nhost.auth.pushChainFunction((next) => async (url, init) => { seen.push({ url, method: init.method }); return next(url, init); });
const email = 'every-method@example.com', password = 'Passw0rd!';
await nhost.auth.signUpEmailPassword({ email, password });
const cred = { id: 'eA', rawId: 'eA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'oA' } };
const assertion = { id: 'eA', rawId: 'eA', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' } };
const uuid = '2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24';
const plan = [
  ['addSecurityKey'], ['changeUserEmail', { newEmail: 'new@example.com' }], ['changeUserMfa'],
  ['changeUserPassword', { newPassword: 'N3wPassw0rd!' }], ['createPAT', { expiresAt: '2030-01-01T00:00:00Z' }],
  ['deanonymizeUser', { signInMethod: 'email-password', email: 'x@example.com', password }], ['elevateWebauthn'],
  ['getJWKs'], ['getProviderTokens', 'github'], ['getUser'], ['getVersion'], ['healthCheckGet'], ['healthCheckHead'],
  ['linkIdToken', { provider: 'google', idToken: 'id.token.x' }], ['refreshProviderToken', 'github', { refreshToken: 'r' }],
  ['refreshToken', () => ({ refreshToken: nhost.getUserSession().refreshToken })],
  ['sendPasswordResetEmail', { email }], ['sendVerificationEmail', { email }],
  ['signInEmailPassword', { email, password }], ['signInIdToken', { provider: 'apple', idToken: 'id.token.x' }],
  ['signInOTPEmail', { email }], ['signInPasswordlessEmail', { email }], ['signInPasswordlessSms', { phoneNumber: '+15551234567' }],
  ['signInPAT', { personalAccessToken: uuid }], ['signInWebauthn', {}], ['signUpWebauthn', { email: 'w@example.com' }],
  ['verifyAddSecurityKey', { credential: cred }], ['verifyChangeUserMfa', { code: '123456', activeMfaType: 'totp' }],
  ['verifyElevateWebauthn', { credential: assertion }], ['verifySignInMfaTotp', { ticket: 'mfaTotp:x', otp: '123456' }],
  ['verifySignInOTPEmail', { email, otp: '123456' }], ['verifySignInPasswordlessSms', { phoneNumber: '+15551234567', otp: '123456' }],
  ['verifySignInWebauthn', { credential: assertion }], ['verifySignUpWebauthn', { credential: cred }],
  ['verifyToken', () => ({ token: nhost.getUserSession().accessToken })],
  ['signUpEmailPassword', { email: 'second@example.com', password }],
  ['signInAnonymous', { displayName: 'Anon' }],
  ['signOut', () => ({ refreshToken: nhost.getUserSession().refreshToken })],
];
const calls = [];
for (const [name, ...args] of plan) {
  const before = seen.length;
  const real = args.map((a) => (typeof a === 'function' ? a() : a));
  const r = { name };
  try {
    const res = await nhost.auth[name](...real);
    r.status = res.status;
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    r.status = e.status; r.code = typeof e.body?.error === 'string' ? e.body.error : ''; r.fetch = true;
  }
  const s = seen[before];
  r.method = s?.method; r.url = s?.url;
  calls.push(r);
}
return { calls, methods: METHOD_NAMES, pushed: seen.length === plan.length + 1,
  providerURL: nhost.auth.signInProviderURL('github', { redirectTo: location.origin + '/after' }),
  ticketURL: nhost.auth.verifyTicketURL({ ticket: 'verifyEmail:' + uuid, redirectTo: location.origin + '/after' }) };`, &out)

	// Each request method was called once (those the emulator does not
	// serve yet are checked at the wire by TestNewMembersAtTheWire).
	var called, served []string
	for _, c := range out.Calls {
		called = append(called, c.Name)
	}
	for _, n := range out.Methods {
		if !wireOnly[n] {
			served = append(served, n)
		}
	}
	assert.ElementsMatch(t, served, called)
	assert.True(t, out.Pushed, "pushChainFunction saw every request")

	// Match the page's calls with the requests the emulator logged, in order.
	var logged [][]string
	for _, l := range settledLogs(t, emu) {
		if m := requestLine.FindStringSubmatch(l); m != nil && m[1] != "OPTIONS" { // CORS preflights aside
			logged = append(logged, m[1:])
		}
	}
	require.GreaterOrEqual(t, len(logged), len(out.Calls)+1)
	logged = logged[len(logged)-len(out.Calls):] // after the first sign-up
	for i, c := range out.Calls {
		op := core.OperationByName(c.Name)
		require.NotNil(t, op, c.Name)
		path := strings.Replace(op.Path, "{provider}", "github", 1)
		assert.Equal(t, op.Method, c.Method, c.Name)
		assert.Equal(t, emu.URL+path, c.URL, c.Name)
		assert.Equal(t, []string{op.Method, path, itoa(c.Status)}, logged[i], "%s: the page saw what the server answered", c.Name)
		// A 400 is the handler's (a documented code, checked below), never the validator's.
		assert.False(t, strings.HasPrefix(c.Code, "error in openapi3filter"), "%s: the request passed the server's OpenAPI validation: %s", c.Name, c.Code)
		assert.NotEqual(t, 404, c.Status, c.Name)
		if c.Status >= 300 {
			assert.True(t, c.Fetch, c.Name)
			assert.Contains(t, core.ErrorCodes, core.ErrorCode(c.Code), "%s: a documented error", c.Name)
		}
	}

	// The URL builders' URLs, followed without redirects, reach the server.
	for _, u := range []string{out.ProviderURL, out.TicketURL} {
		res, err := nethttp.New(nil).RoundTrip(context.Background(), &core.Request{Method: "GET", URL: u, Header: core.Header{}})
		require.NoError(t, err)
		assert.Equal(t, 302, res.Status, u)
		assert.True(t, strings.HasPrefix(res.Header.Get("Location"), pageOrigin+"/after?error="), res.Header.Get("Location"))
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}

// The cookie backend keeps the session in document.cookie, in nhost-js's
// shape, and a custom backend object works the same way.
func TestCookieAndCustomStorage(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	var out struct {
		Cookie      bool
		ReadBack    bool
		CustomCalls []string
		CustomUser  bool
		Cleared     bool
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient, CookieStorage } = await import('/js/index.js');
const a = createClient({ authUrl: AUTH, storage: new CookieStorage() });
const r = await a.auth.signInAnonymous();
const cookie = document.cookie.split('; ').find((c) => c.startsWith('nhostSession='));
const stored = JSON.parse(decodeURIComponent(cookie.slice('nhostSession='.length)));
const b = createClient({ authUrl: AUTH, storage: new CookieStorage() });
const readBack = b.getUserSession()?.refreshToken === r.body.session.refreshToken && stored.decodedToken.sub === r.body.session.user.id;
await b.auth.signOut({ refreshToken: r.body.session.refreshToken });
const cleared = !document.cookie.includes('nhostSession=');

const calls = [];
let v = null;
const custom = { get() { calls.push('get'); return v; }, set(s) { calls.push('set'); v = s; }, remove() { calls.push('remove'); v = null; } };
const c = createClient({ authUrl: AUTH, storage: custom });
await c.auth.signInAnonymous();
return { Cookie: !!cookie, ReadBack: readBack, CustomCalls: [...new Set(calls)], CustomUser: v?.user?.isAnonymous === true, Cleared: cleared };`, &out)
	assert.True(t, out.Cookie)
	assert.True(t, out.ReadBack)
	assert.True(t, out.Cleared)
	assert.Contains(t, out.CustomCalls, "set")
	assert.True(t, out.CustomUser)
}

package e2e_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// argumentChecks is run in a page and in Node: options and bodies that
// cannot be read, or whose fields have the wrong JSON types, reject with a
// TypeError before any request leaves (a chain function counts them), and
// the next call works.
const argumentChecks = `
const { createClient } = await import(INDEX);
const nhost = createClient({ authUrl: AUTH, storage: { v: null, get() { return this.v; }, set(x) { this.v = x; }, remove() { this.v = null; } } });
let sent = 0;
nhost.auth.pushChainFunction((next) => (url, init) => { sent++; return next(url, init); });
const throwing = () => new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
const getter = { get signal() { throw new Error('getter'); } };
const cases = {
  'proxy as options': () => nhost.auth.getVersion(throwing()),
  'throwing getter in options': () => nhost.auth.getVersion(getter),
  'signal is a string': () => nhost.auth.healthCheckGet({ signal: 'x' }),
  'headers is a number': () => nhost.auth.getVersion({ headers: 5 }),
  'proxy as body': () => nhost.auth.signInEmailPassword(throwing()),
  'throwing getter in body': () => nhost.auth.signInEmailPassword({ email: 'a@example.com', get password() { throw new Error('getter'); } }),
  'email is a number': () => nhost.auth.signInEmailPassword({ email: 5, password: 'x' }),
  'nested field of the wrong type': () => nhost.auth.signUpEmailPassword({ email: 'a@example.com', password: 'Passw0rd!', options: { allowedRoles: 'user' } }),
  'array element of the wrong type': () => nhost.auth.signUpEmailPassword({ email: 'a@example.com', password: 'Passw0rd!', options: { allowedRoles: ['user', 5] } }),
  'bigint in a body': () => nhost.auth.createPAT({ expiresAt: '2030-01-01T00:00:00Z', metadata: { n: 10n } }),
  'boolean for a string in form body': () => nhost.auth.oauth2Token({ grant_type: true }),
  'params of the wrong type': () => nhost.auth.oauth2LoginGet({ request_id: 7 }),
  'provider is a number': () => nhost.auth.getProviderTokens(5),
};
const out = {};
for (const [name, call] of Object.entries(cases)) {
  try {
    await call();
    out[name] = 'resolved';
  } catch (e) {
    out[name] = (e instanceof TypeError ? 'TypeError: ' : (e?.constructor?.name + ': ')) + e.message;
  }
}
const urlBuilder = (() => {
  try { nhost.auth.signInProviderURL('github', { allowedRoles: 5 }); return 'returned'; } catch (e) { return e instanceof TypeError ? 'TypeError' : String(e); }
})();
const after = (await nhost.auth.getVersion()).status;
return { out, sent, after, urlBuilder };
`

type argumentResult struct {
	Out        map[string]string `json:"out"`
	Sent       int               `json:"sent"`
	After      int               `json:"after"`
	URLBuilder string            `json:"urlBuilder"`
}

func checkArgumentResult(t *testing.T, r argumentResult) {
	t.Helper()
	assert.Len(t, r.Out, 13)
	for name, got := range r.Out {
		assert.Regexp(t, `^TypeError: `, got, name)
	}
	assert.Contains(t, r.Out["email is a number"], "body.email must be a string, got number")
	assert.Contains(t, r.Out["nested field of the wrong type"], "body.options.allowedRoles must be an array")
	assert.Contains(t, r.Out["signal is a string"], "options.signal must be an AbortSignal")
	assert.Contains(t, r.Out["proxy as options"], "options cannot be read")
	assert.Equal(t, "TypeError", r.URLBuilder)
	assert.Equal(t, 1, r.Sent, "only the last, good call reached the network")
	assert.Equal(t, 200, r.After, "the next call works")
}

func TestArgumentsAreCheckedBeforeAnyRequest(t *testing.T) {
	emu := emulator(t)
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			var r argumentResult
			inPageOrNode(t, where, map[string]any{"AUTH": emu.URL}, argumentChecks, &r)
			checkArgumentResult(t, r)
		})
	}
}

// storageRefusal: a storage backend whose writes throw (a full quota, a
// custom backend) loses no session: the sign-in rejects with a
// StorageError, the session stays for the page, and requests carry it.
const storageRefusal = `
const { createClient } = await import(INDEX);
const storage = { v: null, get() { return this.v; }, set() { throw new Error('QuotaExceededError: quota exceeded'); }, remove() { this.v = null; } };
const nhost = createClient({ authUrl: AUTH, storage });
const r = {};
try {
  await nhost.auth.signInAnonymous();
  r.signIn = 'resolved';
} catch (e) {
  r.signIn = e.name + ': ' + e.message;
  r.cause = String(e.cause?.message ?? e.cause);
}
const s = nhost.getUserSession();
r.session = !!s?.accessToken;
const v = await nhost.auth.verifyToken();
r.verify = v.status;
r.stored = storage.v;
return r;
`

func TestRefusedStorageWriteLosesNothing(t *testing.T) {
	emu := emulator(t)
	type result struct {
		SignIn  string `json:"signIn"`
		Cause   string `json:"cause"`
		Session bool   `json:"session"`
		Verify  int    `json:"verify"`
		Stored  any    `json:"stored"`
	}
	check := func(t *testing.T, r result) {
		assert.Regexp(t, `^StorageError: the session could not be stored`, r.SignIn)
		assert.Contains(t, r.Cause, "QuotaExceededError")
		assert.True(t, r.Session, "getUserSession() has the session")
		assert.Equal(t, 200, r.Verify, "the next request carries the token")
		assert.Nil(t, r.Stored)
	}
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			var r result
			inPageOrNode(t, where, map[string]any{"AUTH": emu.URL}, storageRefusal, &r)
			check(t, r)
		})
	}
}

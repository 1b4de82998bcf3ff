package e2e_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// passkeyTab is a tab on the test origin (localhost) with a DevTools
// virtual authenticator: CTAP2, internal transport, resident keys, user
// verification that succeeds.
func passkeyTab(t *testing.T) (context.Context, webauthn.AuthenticatorID) {
	t.Helper()
	ctx := tab(t)
	_, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{})
	require.NoError(t, err)
	res, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true,
		},
	})
	require.NoError(t, err)
	return ctx, res.AuthenticatorID
}

// The emulator verifies every ceremony for real: the raw endpoints, driven
// with the browser's own JSON parsing and serialization, as the real
// server is known to accept them.
func TestEmulatorVerifiesWebAuthn(t *testing.T) {
	emu := emulator(t, webauthnEnv("localhost", "AUTH_REQUIRE_ELEVATED_CLAIM", "recommended")...)
	ctx, first := passkeyTab(t)
	var out map[string]any
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const post = async (path, body, token) => {
  const r = await fetch(AUTH + path, { method: 'POST', headers: { 'Content-Type': 'application/json',
    ...(token ? { Authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(body ?? {}) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};
const create = async (options) => (await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })).toJSON();
const get = async (options) => (await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })).toJSON();
const out = {};
const opts = await post('/signup/webauthn', { email: 'passkey@example.com', options: { displayName: 'Pass Key' } });
out.optsStatus = opts.status;
out.userName = opts.body.user.name;
out.userID = opts.body.user.id;
out.algs = opts.body.pubKeyCredParams.map((p) => p.alg);
out.attestation = opts.body.attestation;
out.timeout = opts.body.timeout;
const cred = await create(opts.body);
const signedUp = await post('/signup/webauthn/verify', { credential: cred, nickname: 'laptop' });
out.signUp = signedUp.status;
out.sessionUser = signedUp.body.session?.user?.email;
out.sessionUserID = signedUp.body.session?.user?.id;
out.again = (await post('/signup/webauthn/verify', { credential: cred, nickname: 'laptop' })).body.error;

// Sign in: discoverable, then with the email.
const disc = await post('/signin/webauthn', {});
out.discKeys = Object.keys(disc.body).sort();
const assertion = await get(disc.body);
const signedIn = await post('/signin/webauthn/verify', { credential: assertion });
out.signIn = signedIn.status + ':' + signedIn.body.session?.user?.email;
const byEmail = await post('/signin/webauthn', { email: 'passkey@example.com' });
out.allow = byEmail.body.allowCredentials?.length;
const assertion2 = await get(byEmail.body);
// A tampered signature is refused.
const bad = structuredClone(assertion2);
bad.response.signature = bad.response.signature.slice(0, -4) + (bad.response.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA');
out.tampered = (await post('/signin/webauthn/verify', { credential: bad })).body.error;
out.unknownEmail = (await post('/signin/webauthn', { email: 'nobody@example.com' })).body.error;

// A new challenge for the real one (the tampered try used the first).
const byEmail2 = await post('/signin/webauthn', { email: 'passkey@example.com' });
const signedIn2 = await post('/signin/webauthn/verify', { credential: await get(byEmail2.body), email: 'passkey@example.com' });
out.signInEmail = signedIn2.status;
const token = signedIn2.body.session.accessToken;

// Elevation, then an elevated-only endpoint; a second key.
out.patBefore = (await post('/pat', { expiresAt: new Date(Date.now() + 864e5).toISOString() }, token)).status;
const elev = await post('/elevate/webauthn', {}, token);
const elevated = await post('/elevate/webauthn/verify', { credential: await get(elev.body) }, token);
out.elevated = elevated.status;
const claims = JSON.parse(atob(elevated.body.session.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
out.elevatedClaim = claims['https://hasura.io/jwt/claims']['x-hasura-auth-elevated'];
out.patAfter = (await post('/pat', { expiresAt: new Date(Date.now() + 864e5).toISOString() }, elevated.body.session.accessToken)).status;
window.E2E = { post, create, get, out, token: elevated.body.session.accessToken };
return out;`, &out)

	// The virtual authenticator holds the first key (excluded from a new
	// registration): a second authenticator makes the second key.
	_, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
			Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportUsb,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true},
	})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, webauthn.RemoveVirtualAuthenticator, webauthn.RemoveVirtualAuthenticatorParams{AuthenticatorID: first})
	require.NoError(t, err)
	run(t, ctx, nil, `
const { post, create, out, token } = window.E2E;
const add = await post('/user/webauthn/add', {}, token);
out.addUserName = add.body.user.name;
out.exclude = add.body.excludeCredentials?.length;
const added = await post('/user/webauthn/verify', { credential: await create(add.body), nickname: 'phone' }, token);
out.added = added.status + ':' + added.body.nickname + ':' + (typeof added.body.id);

// A user without a key.
const plain = await post('/signup/email-password', { email: 'nokey@example.com', password: 'Passw0rd!' });
out.noKey = (await post('/signin/webauthn', { email: 'nokey@example.com' })).body.error;
out.elevateNoKey = (await post('/elevate/webauthn', {}, plain.body.session.accessToken)).body.error;
return out;`, &out)

	assert.EqualValues(t, 200, out["optsStatus"])
	assert.Equal(t, "Pass Key", out["userName"])
	assert.Regexp(t, `^[0-9a-f-]{36}$`, out["userID"], "the user's UUID as text")
	assert.Equal(t, []any{-7.0, -35.0, -36.0, -257.0, -258.0, -259.0, -37.0, -38.0, -39.0, -8.0}, out["algs"])
	assert.Equal(t, "indirect", out["attestation"])
	assert.EqualValues(t, 300000, out["timeout"])
	assert.EqualValues(t, 200, out["signUp"])
	assert.Equal(t, "passkey@example.com", out["sessionUser"])
	assert.Equal(t, out["userID"], out["sessionUserID"])
	assert.Equal(t, "invalid-request", out["again"], "a challenge is answered once")
	assert.Equal(t, []any{"challenge", "rpId", "timeout", "userVerification"}, out["discKeys"])
	assert.Equal(t, "200:passkey@example.com", out["signIn"])
	assert.EqualValues(t, 1, out["allow"])
	assert.Equal(t, "invalid-request", out["tampered"])
	assert.Equal(t, "invalid-email-password", out["unknownEmail"])
	assert.EqualValues(t, 200, out["signInEmail"])
	assert.EqualValues(t, 400, out["patBefore"], "recommended mode, a user with a key: elevation needed")
	assert.EqualValues(t, 200, out["elevated"])
	assert.Equal(t, out["userID"], out["elevatedClaim"])
	assert.EqualValues(t, 200, out["patAfter"])
	assert.Equal(t, "Pass Key", out["addUserName"])
	assert.EqualValues(t, 1, out["exclude"])
	assert.Equal(t, "200:phone:string", out["added"])
	assert.Equal(t, "invalid-request", out["noKey"])
	assert.Equal(t, "invalid-request", out["elevateNoKey"])
}

// addAuthenticator adds a second virtual authenticator (the first holds a
// credential that a new registration excludes).
func addAuthenticator(t *testing.T, ctx context.Context) webauthn.AuthenticatorID {
	t.Helper()
	res, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
			Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportUsb,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true},
	})
	require.NoError(t, err)
	return res.AuthenticatorID
}

// The SDK runs the ceremonies: sign up with a passkey, sign out, sign in
// with it with and without the email, add a second key, elevate and call
// an elevated-only endpoint; sessions are stored as the raw calls'.
func TestPasskeysWithTheSDK(t *testing.T) {
	emu := emulator(t, webauthnEnv("localhost", "AUTH_REQUIRE_ELEVATED_CLAIM", "recommended")...)
	ctx, first := passkeyTab(t)
	var out map[string]any
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
const { createClient, WebAuthnError } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
window.E2E = { nhost, WebAuthnError };
const out = {};
const email = () => nhost.getUserSession()?.user?.email ?? null;
out.supported = nhost.auth.passkeys.isSupported();
out.caps = await nhost.auth.passkeys.capabilities();
const up = await nhost.auth.passkeys.signUp({ email: 'sdk-passkey@example.com', nickname: 'laptop', options: { displayName: 'Sdk Key' } });
out.signUp = up.status + ':' + up.body.session.user.displayName + ':' + email();
nhost.clearSession();
const disc = await nhost.auth.passkeys.signIn();
out.discoverable = disc.status + ':' + email();
nhost.clearSession();
// The Signal API calls, recorded (and passed on to the browser's own).
`+recordSignals+`
await nhost.auth.passkeys.signIn({ email: 'sdk-passkey@example.com' });
out.byEmail = email();
out.signals = window.signals.splice(0);
out.userID = nhost.getUserSession().user.id;
// Autofill: conditional mediation on an input made for it.
nhost.clearSession();
document.body.innerHTML = '<input id="user" autocomplete="username webauthn">';
const picked = await nhost.auth.passkeys.autofill();
out.autofill = picked.status + ':' + email();
out.patBefore = await nhost.auth.createPAT({ expiresAt: new Date(Date.now() + 864e5).toISOString() }).then(() => 'ok', (e) => e.status);
const elev = await nhost.auth.passkeys.elevate();
const claims = nhost.getUserSession().decodedToken['https://hasura.io/jwt/claims'];
out.elevated = elev.status + ':' + (claims['x-hasura-auth-elevated'] === nhost.getUserSession().user.id);
out.patAfter = await nhost.auth.createPAT({ expiresAt: new Date(Date.now() + 864e5).toISOString() }).then((r) => r.status, (e) => e.status);
out.badArg = await nhost.auth.passkeys.signUp({ email: 5 }).then(() => 'resolved', (e) => e.constructor.name);
return out;`, &out)
	assert.Equal(t, true, out["supported"])
	assert.Equal(t, "200:Sdk Key:sdk-passkey@example.com", out["signUp"])
	assert.Equal(t, "200:sdk-passkey@example.com", out["discoverable"])
	assert.Equal(t, "sdk-passkey@example.com", out["byEmail"])
	signals := out["signals"].([]any)
	require.Len(t, signals, 2, "%v", signals)
	accepted := signals[0].(map[string]any)
	assert.Equal(t, "signalAllAcceptedCredentials", accepted["call"])
	assert.Equal(t, "localhost", accepted["rpId"])
	assert.Equal(t, out["userID"], accepted["userId"])
	assert.Len(t, accepted["allAcceptedCredentialIds"], 1)
	details := signals[1].(map[string]any)
	assert.Equal(t, "signalCurrentUserDetails", details["call"])
	assert.Equal(t, "sdk-passkey@example.com", details["name"])
	assert.Equal(t, "Sdk Key", details["displayName"])
	assert.Equal(t, "200:sdk-passkey@example.com", out["autofill"])
	assert.EqualValues(t, 400, out["patBefore"], "recommended mode: a user with a key needs elevation")
	assert.Equal(t, "200:true", out["elevated"])
	assert.EqualValues(t, 200, out["patAfter"])
	assert.Equal(t, "TypeError", out["badArg"])

	// A second key, on a second authenticator.
	addAuthenticator(t, ctx)
	_, err := chromedp.Call(ctx, webauthn.RemoveVirtualAuthenticator, webauthn.RemoveVirtualAuthenticatorParams{AuthenticatorID: first})
	require.NoError(t, err)
	var added string
	run(t, ctx, nil, `
const { nhost } = window.E2E;
const r = await nhost.auth.passkeys.add({ nickname: 'phone' });
const s = window.signals.find((x) => x.call === 'signalAllAcceptedCredentials');
return r.status + ':' + r.body.nickname + ':' + s.allAcceptedCredentialIds.length;`, &added)
	assert.Equal(t, "200:phone:2", added, "after a new key, both are accepted")
	var again string
	run(t, ctx, nil, `
const { nhost } = window.E2E;
nhost.clearSession();
await nhost.auth.passkeys.signIn({ email: 'sdk-passkey@example.com' });
return nhost.getUserSession()?.user?.email;`, &again)
	assert.Equal(t, "sdk-passkey@example.com", again, "the second key signs in too")

	// Upgrade after a password sign-in: this browser's password manager has
	// not vouched for it, so the browser never answers; upgrade gives up.
	var up map[string]any
	run(t, ctx, nil, `
const { nhost } = window.E2E;
await nhost.auth.signUpEmailPassword({ email: 'pw-user@example.com', password: 'Passw0rd!' });
const t0 = Date.now();
const upgraded = await nhost.auth.passkeys.upgrade({ nickname: 'upgrade', timeout: 1 });
return { upgrade: upgraded === null ? 'null' : String(upgraded.status), quick: Date.now() - t0 < 10000 };`, &up)
	assert.Contains(t, []any{"null", "200"}, up["upgrade"])
	assert.Equal(t, true, up["quick"], "upgrade never hangs")

	// Where the browser's password manager vouches for that sign-in (it
	// needs a Google account and its passkey service, which a test browser
	// has not: standing in for it, the conditional create goes to the
	// virtual authenticator as a modal one), upgrade creates the key, the
	// server verifies and stores it, and it signs in.
	var vouched map[string]any
	run(t, ctx, nil, `
const { nhost } = window.E2E;
const seen = [];
const create = navigator.credentials.create.bind(navigator.credentials);
navigator.credentials.create = (o) => {
  seen.push(o?.mediation ?? 'modal');
  const { mediation, ...modal } = o;
  return create(mediation === 'conditional' ? modal : o);
};
const caps = PublicKeyCredential.getClientCapabilities;
PublicKeyCredential.getClientCapabilities = async () => ({ ...(await caps?.call(PublicKeyCredential)), conditionalCreate: true });
try {
  const r = await nhost.auth.passkeys.upgrade({ nickname: 'upgrade' });
  nhost.clearSession();
  const again = await nhost.auth.passkeys.signIn({ email: 'pw-user@example.com' });
  return { upgrade: r.status + ':' + r.body.nickname, seen, again: again.status + ':' + again.body.session.user.email };
} finally {
  navigator.credentials.create = create;
  PublicKeyCredential.getClientCapabilities = caps;
}`, &vouched)
	assert.Equal(t, "200:upgrade", vouched["upgrade"])
	assert.Equal(t, []any{"conditional"}, vouched["seen"], "the SDK asks for a conditional create")
	assert.Equal(t, "200:pw-user@example.com", vouched["again"], "the upgraded key signs in")
}

// A credential the server refuses is reported to the passkey manager as
// unknown (signalUnknownCredential) only once the server has listed its
// user's keys without it: at that user's next sign-in, by any method. The
// server answers a refused credential with the same 400 whatever the
// reason, so the refusal alone proves nothing.
func TestRefusedPasskeyIsSignalledOnceConfirmedUnknown(t *testing.T) {
	emu := emulator(t, webauthnEnv("localhost")...)
	ctx, first := passkeyTab(t)
	var ids map[string]string
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
window.E2E = { nhost };
`+recordSignals+`
// keyed has a password and a passkey; keyless only a password.
await nhost.auth.signUpEmailPassword({ email: 'keyed@example.com', password: 'Passw0rd!' });
const keyed = nhost.getUserSession().user.id;
await nhost.auth.passkeys.add({ nickname: 'real' });
await nhost.auth.signUpEmailPassword({ email: 'keyless@example.com', password: 'Passw0rd!' });
const keyless = nhost.getUserSession().user.id;
nhost.clearSession();
window.signals = [];
return { keyed, keyless };`, &ids)
	_, err := chromedp.Call(ctx, webauthn.RemoveVirtualAuthenticator, webauthn.RemoveVirtualAuthenticatorParams{AuthenticatorID: first})
	require.NoError(t, err)
	second := addAuthenticator(t, ctx)

	// A passkey the server never registered, for each user, offered in a
	// discoverable sign-in: refused, and nothing signalled yet.
	rogue := map[string]string{}
	for _, who := range []string{"keyed", "keyless"} {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		id := make([]byte, 16)
		rand.Read(id)
		rogue[who] = base64.RawURLEncoding.EncodeToString(id)
		_, err = chromedp.Call(ctx, addResidentCredential, addResidentCredentialParams{AuthenticatorID: second,
			Credential: residentCredential{CredentialID: id, IsResidentCredential: true, RpID: "localhost",
				PrivateKey: pkcs8, UserHandle: []byte(ids[who]), SignCount: 1}})
		require.NoError(t, err)
		var refused map[string]any
		run(t, ctx, nil, `
const { nhost } = window.E2E;
const e = await nhost.auth.passkeys.signIn().then(() => null, (e) => e);
return { status: e?.status, error: e?.body?.error, signals: window.signals.length };`, &refused)
		assert.EqualValues(t, 400, refused["status"], who)
		assert.Equal(t, "invalid-request", refused["error"], who)
		assert.EqualValues(t, 0, refused["signals"], "a refusal alone signals nothing")
		_, err = chromedp.Call(ctx, webauthn.RemoveCredential, webauthn.RemoveCredentialParams{AuthenticatorID: second, CredentialID: id})
		require.NoError(t, err)
	}

	// Each user signs in with a password: the server's list of that user's
	// keys (the options of an elevation) lacks the refused one.
	signIn := func(email string) []any {
		var signals []any
		run(t, ctx, map[string]any{"EMAIL": email}, `
const { nhost } = window.E2E;
window.signals = [];
await nhost.auth.signInEmailPassword({ email: EMAIL, password: 'Passw0rd!' });
for (let i = 0; i < 100 && window.signals.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
await new Promise((r) => setTimeout(r, 200));
return window.signals;`, &signals)
		return signals
	}
	for _, who := range []string{"keyed", "keyless"} {
		signals := signIn(who + "@example.com")
		require.Len(t, signals, 1, "%s: %v", who, signals)
		got := signals[0].(map[string]any)
		assert.Equal(t, "signalUnknownCredential", got["call"], who)
		assert.Equal(t, "localhost", got["rpId"], who)
		assert.Equal(t, rogue[who], got["credentialId"], "%s: only that user's refused credential", who)
	}
	assert.Empty(t, signIn("keyed@example.com"), "reported once")
}

// A cancelled ceremony, a wrong relying party id and a second ceremony
// started during the first give typed errors; the runtime goes on.
func TestPasskeyErrors(t *testing.T) {
	emu := emulator(t, webauthnEnv("localhost")...)
	wrong := emulator(t, webauthnEnv("example.com")...)
	ctx, auth := passkeyTab(t)
	var out map[string]any
	run(t, ctx, map[string]any{"AUTH": emu.URL, "WRONG": wrong.URL}, `
localStorage.clear();
const { createClient, WebAuthnError } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const other = createClient({ authUrl: WRONG, storage: { get: () => null, set() {}, remove() {} } });
window.E2E = { nhost };
const code = (p) => p.then(() => 'resolved', (e) => (e instanceof WebAuthnError ? e.code : e.name + ':' + e.message));
const out = {};
await nhost.auth.passkeys.signUp({ email: 'errors@example.com' });
out.wrongRP = await code(other.auth.passkeys.signUp({ email: 'x@example.com' }));
const ac = new AbortController();
ac.abort();
out.preAborted = await code(nhost.auth.passkeys.signIn({ signal: ac.signal }));
out.server = await code(nhost.auth.passkeys.signIn({ email: 'nobody@example.com' }));
// This authenticator holds the account's key: a new one is refused.
out.already = await code(nhost.auth.passkeys.add({ nickname: 'again' }));
return out;`, &out)
	assert.Equal(t, "invalid-rp-id", out["wrongRP"])
	assert.Equal(t, "aborted", out["preAborted"])
	assert.Equal(t, "FetchError:Incorrect email or password", out["server"], "a server error stays a FetchError")
	assert.Equal(t, "already-registered", out["already"])

	// Where WebAuthn does not exist (Node), a typed error, not a crash.
	var node string
	nodeEval(t, `
const { createClient, WebAuthnError } = await import(JS + '/index.js');
const nhost = createClient({ authUrl: 'http://127.0.0.1:9' });
const r = await nhost.auth.passkeys.signIn().then(() => 'resolved', (e) => (e instanceof WebAuthnError ? e.code : String(e)));
console.log(JSON.stringify(r + ':' + nhost.auth.passkeys.isSupported()));
process.exit(0);`, &node)
	assert.Equal(t, "not-supported:false", node)

	// The authenticator waits for a touch that never comes: a second
	// ceremony aborts the first; a user who declines cancels.
	_, err := chromedp.Call(ctx, webauthn.SetAutomaticPresenceSimulation, webauthn.SetAutomaticPresenceSimulationParams{AuthenticatorID: auth, Enabled: false})
	require.NoError(t, err)
	var second map[string]any
	run(t, ctx, nil, `
const { nhost } = window.E2E;
const { WebAuthnError } = await import('/js/index.js');
const code = (p) => p.then((r) => 'resolved:' + r, (e) => (e instanceof WebAuthnError ? e.code : e.name));
const firstP = code(nhost.auth.passkeys.signIn());
await new Promise((r) => setTimeout(r, 200));
const ac = new AbortController();
const secondP = code(nhost.auth.passkeys.signIn({ signal: ac.signal }));
const first = await firstP;
ac.abort();
const autofill = nhost.auth.passkeys.autofill();
await new Promise((r) => setTimeout(r, 200));
const modal = code(nhost.auth.passkeys.signIn({ signal: AbortSignal.timeout(300) }));
const modalDone = await modal;
// An autofill started during a dialog waits for it: the dialog ends by its own timeout.
const dialog = code(nhost.auth.passkeys.signIn({ signal: AbortSignal.timeout(600) }));
const waiting = nhost.auth.passkeys.autofill({ signal: AbortSignal.timeout(1500) });
return { first, second: await secondP, autofill: String(await autofill), modal: modalDone,
  dialog: await dialog, waiting: String(await waiting) };`, &second)
	assert.Equal(t, "aborted", second["first"], "a new ceremony aborts the pending one")
	assert.Equal(t, "aborted", second["second"])
	assert.Equal(t, "null", second["autofill"], "an autofill aborted by a modal ceremony just ends")
	assert.Contains(t, []any{"aborted", "timeout"}, second["modal"])
	assert.Equal(t, "timeout", second["dialog"], "an autofill does not abort a dialog")
	assert.Equal(t, "null", second["waiting"])

	// Declined user verification, then everything works again.
	_, err = chromedp.Call(ctx, webauthn.SetAutomaticPresenceSimulation, webauthn.SetAutomaticPresenceSimulationParams{AuthenticatorID: auth, Enabled: true})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: auth, IsUserVerified: false})
	require.NoError(t, err)
	var declined string
	run(t, ctx, nil, `
const { nhost } = window.E2E;
const { WebAuthnError } = await import('/js/index.js');
return nhost.auth.passkeys.signIn().then(() => 'resolved', (e) => (e instanceof WebAuthnError ? e.code : e.name));`, &declined)
	assert.Equal(t, "cancelled", declined)
	_, err = chromedp.Call(ctx, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: auth, IsUserVerified: true})
	require.NoError(t, err)
	var after string
	run(t, ctx, nil, `
const { nhost } = window.E2E;
nhost.clearSession();
await nhost.auth.passkeys.signIn();
return nhost.getUserSession()?.user?.email;`, &after)
	assert.Equal(t, "errors@example.com", after, "the runtime keeps working")
}

// The unchanged @nhost/nhost-js 4.7.0 (bundled for the page): its raw
// WebAuthn endpoints, with the app running navigator.credentials itself
// (as nhost-js leaves it to), pass against the emulator with the same
// virtual authenticator.
func TestNhostJSWebAuthnAgainstTheEmulator(t *testing.T) {
	setupToolchains(t)
	dir := newApp(t, toolchainDir(), "nhostjs-page", map[string]string{
		"entry.js": "export { createClient } from '@nhost/nhost-js';\n",
	})
	sh(t, dir, nil, filepath.Join(dir, "node_modules", ".bin", "esbuild"), "entry.js", "--bundle", "--format=esm",
		"--outfile="+filepath.Join(siteDir, "nhost-js.js"), "--log-level=warning")
	emu := emulator(t, webauthnEnv("localhost")...)
	ctx, first := passkeyTab(t)
	var out map[string]any
	run(t, ctx, map[string]any{"AUTH": emu.URL + "/v1"}, `
localStorage.clear();
const { createClient } = await import('/nhost-js.js');
const nhost = createClient({ authUrl: AUTH });
const create = async (o) => (await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(o) })).toJSON();
const get = async (o) => (await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o) })).toJSON();
const email = () => nhost.getUserSession()?.user?.email ?? null;
const out = {};
const opts = (await nhost.auth.signUpWebauthn({ email: 'nhostjs-key@example.com' })).body;
await nhost.auth.verifySignUpWebauthn({ credential: await create(opts), nickname: 'first' });
out.signUp = email();
nhost.clearSession();
const req = (await nhost.auth.signInWebauthn({})).body;
await nhost.auth.verifySignInWebauthn({ credential: await get(req) });
out.signIn = email();
const el = (await nhost.auth.elevateWebauthn()).body;
const elevated = (await nhost.auth.verifyElevateWebauthn({ credential: await get(el) })).body;
out.elevated = !!elevated.session;
window.E2E = { nhost, create, out };
return out;`, &out)
	assert.Equal(t, "nhostjs-key@example.com", out["signUp"])
	assert.Equal(t, "nhostjs-key@example.com", out["signIn"])
	assert.Equal(t, true, out["elevated"])

	addAuthenticator(t, ctx)
	_, err := chromedp.Call(ctx, webauthn.RemoveVirtualAuthenticator, webauthn.RemoveVirtualAuthenticatorParams{AuthenticatorID: first})
	require.NoError(t, err)
	var added string
	run(t, ctx, nil, `
const { nhost, create } = window.E2E;
const o = (await nhost.auth.addSecurityKey()).body;
const r = (await nhost.auth.verifyAddSecurityKey({ credential: await create(o), nickname: 'second' })).body;
return r.nickname;`, &added)
	assert.Equal(t, "second", added)
}

// With email verification required, a passkey sign-up signs no one in
// until the emailed link is opened, as the server does.
func TestPasskeySignUpWithVerification(t *testing.T) {
	emu := emulator(t, webauthnEnv("localhost", "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED", "true")...)
	ctx, _ := passkeyTab(t)
	var out map[string]any
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
window.E2E = { nhost };
const up = await nhost.auth.passkeys.signUp({ email: 'verify-key@example.com' });
const early = await nhost.auth.passkeys.signIn().then(() => 'resolved', (e) => e.body?.error ?? e.code);
return { session: up.body.session ?? null, stored: nhost.getUserSession(), early };`, &out)
	assert.Nil(t, out["session"])
	assert.Nil(t, out["stored"])
	assert.Equal(t, "unverified-user", out["early"])
	link := emu.mail(t, "verify-key@example.com").Link
	assert.Contains(t, noRedirectLocation(t, link), "refreshToken=")
	var email string
	run(t, ctx, nil, `
const { nhost } = window.E2E;
nhost.clearSession();
await nhost.auth.passkeys.signIn();
return nhost.getUserSession()?.user?.email;`, &email)
	assert.Equal(t, "verify-key@example.com", email)
}

// recordSignals makes the page record its Signal API calls in
// window.signals (and pass them on to the browser's own).
const recordSignals = `window.signals = [];
for (const name of ['signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'signalUnknownCredential']) {
  const orig = PublicKeyCredential[name];
  PublicKeyCredential[name] = (o) => { window.signals.push({ call: name, ...o }); return orig?.call(PublicKeyCredential, o); };
}`

// addResidentCredential is WebAuthn.addCredential with only the fields
// every Chromium takes (cdproto's struct sends newer ones that an older
// virtual authenticator refuses).
var addResidentCredential = cdp.Command[addResidentCredentialParams, cdp.Empty]{Method: webauthn.CommandAddCredential}

type addResidentCredentialParams struct {
	AuthenticatorID webauthn.AuthenticatorID `json:"authenticatorId"`
	Credential      residentCredential       `json:"credential"`
}

type residentCredential struct {
	CredentialID         []byte `json:"credentialId"`
	IsResidentCredential bool   `json:"isResidentCredential"`
	RpID                 string `json:"rpId"`
	PrivateKey           []byte `json:"privateKey"`
	UserHandle           []byte `json:"userHandle"`
	SignCount            int    `json:"signCount"`
}

// webauthnEnv is the emulator's WebAuthn settings for the test pages
// (RP rpID, their origin), followed by more NAME, value pairs.
func webauthnEnv(rpID string, more ...string) []string {
	return append([]string{"AUTH_WEBAUTHN_ENABLED", "true", "AUTH_WEBAUTHN_RP_ID", rpID, "AUTH_WEBAUTHN_RP_ORIGINS", pageOrigin}, more...)
}

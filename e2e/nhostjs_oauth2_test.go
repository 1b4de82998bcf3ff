package e2e_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The unchanged @nhost/nhost-js 4.7.0, in Node, runs an OAuth2
// authorization-code flow with PKCE against the emulator as provider
// through its oauth2* members (discovery, authorize, login, token, userinfo,
// JWKS, introspect, revoke, refresh), and the sign-up variants and the
// PKCE token exchange of a magic link.
func TestNhostJSAgainstTheEmulatorAsOAuth2Provider(t *testing.T) {
	setupToolchains(t)
	const redirectURI = "http://localhost:9999/callback"
	emu := emulator(t, "AUTH_OAUTH2_PROVIDER_ENABLED", "true",
		"AUTH_EMULATOR_OAUTH2_CLIENTS", "spa@"+redirectURI+",backend:b4ck3nd@"+redirectURI,
		"AUTH_EMAIL_PASSWORDLESS_ENABLED", "true", "AUTH_OTP_EMAIL_ENABLED", "true",
		"AUTH_SMS_PASSWORDLESS_ENABLED", "true", "AUTH_SMS_PROVIDER", "dev")
	index := "file://" + filepath.Join(toolchainDir(), "node_modules", "@nhost", "nhost-js", "dist", "nhost-js.js")

	var out struct {
		Issuer, JWKSURI           string
		ClientID                  string
		Scopes                    []string
		State                     string
		TokenType                 string
		Scope                     string
		HasIDToken, HasRefresh    bool
		IDTokenVerified           bool
		IDTokenAud, IDTokenNonce  string
		UserinfoSub, SessionSub   string
		WrongVerifier, NoVerifier string
		Reused                    string
		Refreshed                 bool
		ActiveBefore, ActiveAfter bool
		RevokedRefresh            string
		Confidential              string
		ConfidentialNoSecret      string
	}
	nodeEval(t, `
const { createClient } = await import(`+jsonString(t, index)+`);
const { generatePKCEPair } = await import(`+jsonString(t, nhostJSModules()+"/auth.js")+`);
const AUTH = `+jsonString(t, emu.URL)+`;
const REDIRECT = `+jsonString(t, redirectURI)+`;
const nhost = createClient({ authUrl: AUTH });
const status = (p) => p.then(() => 'ok', (e) => e.body?.error ?? String(e));
await nhost.auth.signUpEmailPassword({ email: 'oauth2-user@example.com', password: 'Passw0rd!' });
const session = nhost.getUserSession();

const discovery = (await nhost.auth.getOpenIDConfiguration()).body;
await nhost.auth.getOAuthAuthorizationServer();

// authorize, then the consent screen's two calls, as an app's login page makes them.
async function code(pkce, nonce, clientId = 'spa') {
  const url = nhost.auth.oauth2AuthorizeURL({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code',
    scope: 'openid profile email', state: 'st-1', nonce, ...(pkce ? { code_challenge: pkce.challenge, code_challenge_method: 'S256' } : {}) });
  const res = await fetch(url, { redirect: 'manual' });
  const requestId = new URL(res.headers.get('location')).searchParams.get('request_id');
  const login = (await nhost.auth.oauth2LoginGet({ request_id: requestId })).body;
  const done = (await nhost.auth.oauth2LoginPost({ requestId })).body; // the session's Bearer, attached by nhost-js
  const back = new URL(done.redirectUri);
  return { login, code: back.searchParams.get('code'), state: back.searchParams.get('state') };
}

const pkce = await generatePKCEPair();
const first = await code(pkce, 'n-1');
const tokens = (await nhost.auth.oauth2Token({ grant_type: 'authorization_code', code: first.code, redirect_uri: REDIRECT,
  client_id: 'spa', code_verifier: pkce.verifier })).body;
const reused = await status(nhost.auth.oauth2Token({ grant_type: 'authorization_code', code: first.code, redirect_uri: REDIRECT,
  client_id: 'spa', code_verifier: pkce.verifier }));

// The ID token, checked with the keys /oauth2/jwks publishes.
const jwks = (await nhost.auth.oauth2Jwks()).body;
const [h, p, s] = tokens.id_token.split('.');
const b64 = (x) => Uint8Array.from(atob(x.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const header = JSON.parse(new TextDecoder().decode(b64(h)));
const payload = JSON.parse(new TextDecoder().decode(b64(p)));
const jwk = jwks.keys.find((k) => k.kid === header.kid);
const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
const verified = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, b64(s), new TextEncoder().encode(h + '.' + p));

const info = (await nhost.auth.oauth2UserinfoGet({ headers: { Authorization: 'Bearer ' + tokens.access_token } })).body;
await nhost.auth.oauth2UserinfoPost({ headers: { Authorization: 'Bearer ' + tokens.access_token } });

const other = await generatePKCEPair();
const second = await code(pkce, 'n-2');
const wrongVerifier = await status(nhost.auth.oauth2Token({ grant_type: 'authorization_code', code: second.code,
  redirect_uri: REDIRECT, client_id: 'spa', code_verifier: other.verifier }));
const third = await code(pkce, 'n-3');
const noVerifier = await status(nhost.auth.oauth2Token({ grant_type: 'authorization_code', code: third.code,
  redirect_uri: REDIRECT, client_id: 'spa' }));

const refreshed = (await nhost.auth.oauth2Token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'spa' })).body;
const activeBefore = (await nhost.auth.oauth2Introspect({ token: refreshed.refresh_token })).body.active;
await nhost.auth.oauth2Revoke({ token: refreshed.refresh_token });
const activeAfter = (await nhost.auth.oauth2Introspect({ token: refreshed.refresh_token })).body.active;
const revokedRefresh = await status(nhost.auth.oauth2Token({ grant_type: 'refresh_token', refresh_token: refreshed.refresh_token, client_id: 'spa' }));

// A confidential client needs its secret.
const conf = await code(null, 'n-4', 'backend');
const confNoSecret = await status(nhost.auth.oauth2Token({ grant_type: 'authorization_code', code: conf.code, redirect_uri: REDIRECT, client_id: 'backend' }));
const conf2 = await code(null, 'n-5', 'backend');
const confidential = await status(nhost.auth.oauth2Token({ grant_type: 'authorization_code', code: conf2.code, redirect_uri: REDIRECT,
  client_id: 'backend', client_secret: 'b4ck3nd' }));

console.log(JSON.stringify({
  Issuer: discovery.issuer, JWKSURI: discovery.jwks_uri, ClientID: first.login.clientId, Scopes: first.login.scopes, State: first.state,
  TokenType: tokens.token_type, Scope: tokens.scope, HasIDToken: !!tokens.id_token, HasRefresh: !!tokens.refresh_token,
  IDTokenVerified: verified, IDTokenAud: payload.aud, IDTokenNonce: payload.nonce,
  UserinfoSub: info.sub, SessionSub: session.user.id, WrongVerifier: wrongVerifier, NoVerifier: noVerifier, Reused: reused,
  Refreshed: !!refreshed.access_token && refreshed.refresh_token !== tokens.refresh_token,
  ActiveBefore: activeBefore, ActiveAfter: activeAfter, RevokedRefresh: revokedRefresh,
  Confidential: confidential, ConfidentialNoSecret: confNoSecret,
}));`, &out)

	assert.Equal(t, emu.URL, out.Issuer)
	assert.Equal(t, emu.URL+"/oauth2/jwks", out.JWKSURI)
	assert.Equal(t, "spa", out.ClientID)
	assert.Equal(t, []string{"openid", "profile", "email"}, out.Scopes)
	assert.Equal(t, "st-1", out.State)
	assert.Equal(t, "Bearer", out.TokenType)
	assert.Equal(t, "openid profile email", out.Scope)
	assert.True(t, out.HasIDToken)
	assert.True(t, out.HasRefresh)
	assert.True(t, out.IDTokenVerified, "the ID token verifies with the published key")
	assert.Equal(t, "spa", out.IDTokenAud)
	assert.Equal(t, "n-1", out.IDTokenNonce)
	assert.Equal(t, out.SessionSub, out.UserinfoSub)
	assert.Equal(t, "invalid_grant", out.WrongVerifier)
	assert.Equal(t, "invalid_grant", out.NoVerifier)
	assert.Equal(t, "invalid_grant", out.Reused, "a code works once")
	assert.True(t, out.Refreshed)
	assert.True(t, out.ActiveBefore)
	assert.False(t, out.ActiveAfter)
	assert.Equal(t, "invalid_grant", out.RevokedRefresh)
	assert.Equal(t, "invalid_client", out.ConfidentialNoSecret)
	assert.Equal(t, "ok", out.Confidential)

	// The sign-up variants, and the PKCE exchange of a magic link.
	var su struct{ Email, OTP, SMS, Stored string }
	nodeEval(t, `
const { createClient } = await import(`+jsonString(t, index)+`);
const { generatePKCEPair } = await import(`+jsonString(t, nhostJSModules()+"/auth.js")+`);
const nhost = createClient({ authUrl: `+jsonString(t, emu.URL)+` });
const status = (p) => p.then(() => 'ok', (e) => e.body?.error ?? String(e));
const pkce = await generatePKCEPair();
console.log(JSON.stringify({
  Email: await status(nhost.auth.signUpPasswordlessEmail({ email: 'nhostjs-magic@example.com', codeChallenge: pkce.challenge,
    options: { redirectTo: `+jsonString(t, pageOrigin+"/blank.html")+` } })),
  OTP: await status(nhost.auth.signUpOTPEmail({ email: 'nhostjs-otp@example.com' })),
  SMS: await status(nhost.auth.signUpPasswordlessSms({ phoneNumber: '+15550001234' })),
  Stored: pkce.verifier,
}));`, &su)
	assert.Equal(t, "ok", su.Email)
	assert.Equal(t, "ok", su.OTP)
	assert.Equal(t, "ok", su.SMS)
	link := emu.mail(t, "nhostjs-magic@example.com").Link
	assert.Contains(t, link, "codeChallenge=")
	loc := noRedirectLocation(t, link)
	require.Contains(t, loc, "code=")
	assert.NotContains(t, loc, "refreshToken=")
	otp := emu.mail(t, "nhostjs-otp@example.com").Code

	var done struct{ Exchanged, OTP, Again string }
	nodeEval(t, `
const { createClient } = await import(`+jsonString(t, index)+`);
const nhost = createClient({ authUrl: `+jsonString(t, emu.URL)+` });
const status = (p) => p.then(() => 'ok', (e) => e.body?.error ?? String(e));
const code = new URL(`+jsonString(t, loc)+`).searchParams.get('code');
const exchanged = await status(nhost.auth.tokenExchange({ code, codeVerifier: `+jsonString(t, su.Stored)+` }));
const signedIn = nhost.getUserSession()?.user?.email ?? '';
console.log(JSON.stringify({
  Exchanged: exchanged + ':' + signedIn,
  Again: await status(nhost.auth.tokenExchange({ code, codeVerifier: `+jsonString(t, su.Stored)+` })),
  OTP: await status(nhost.auth.verifySignInOTPEmail({ email: 'nhostjs-otp@example.com', otp: `+jsonString(t, otp)+` })),
}));`, &done)
	assert.Equal(t, "ok:nhostjs-magic@example.com", done.Exchanged, "nhost-js stores the exchanged session")
	assert.Equal(t, "invalid-request", done.Again)
	assert.Equal(t, "ok", done.OTP)
}

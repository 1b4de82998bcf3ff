package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
)

// idpPair is two emulators: idp is an OpenID provider (Nhost as OAuth2
// provider, with its built-in login page), app uses it as its "github"
// provider and trusts its ID tokens as "google". Both on loopback; no real
// provider anywhere.
type idpPair struct {
	idp, app *emu
	idpUser  string // email of a user registered at the identity provider
}

const idpPassword = "Passw0rd!"

func startIdPPair(t *testing.T, appEnv ...string) *idpPair {
	t.Helper()
	appPort := freePort(t)
	appURL := "http://127.0.0.1:" + strconvItoa(appPort)
	idp := start(t, with(dev, "AUTH_OAUTH2_PROVIDER_ENABLED", "true", "AUTH_OAUTH2_PROVIDER_LOGIN_URL", "builtin",
		"AUTH_EMULATOR_OAUTH2_CLIENTS", "app:s3cret@"+appURL+"/signin/provider/github/callback",
		"AUTH_EMULATOR_BCRYPT_COST", "4"))
	env := with(dev, "AUTH_PORT", strconvItoa(appPort), "AUTH_EMULATOR_BCRYPT_COST", "4",
		"AUTH_PROVIDER_GITHUB_ENABLED", "true", "AUTH_PROVIDER_GITHUB_CLIENT_ID", "app",
		"AUTH_PROVIDER_GITHUB_CLIENT_SECRET", "s3cret", "AUTH_EMULATOR_PROVIDER_GITHUB_ISSUER", idp.URL,
		// google (ID tokens) trusts the same identity provider.
		"AUTH_PROVIDER_GOOGLE_ENABLED", "true", "AUTH_PROVIDER_GOOGLE_CLIENT_ID", "app",
		"AUTH_EMULATOR_PROVIDER_GOOGLE_ISSUER", idp.URL)
	app := start(t, with(env, appEnv...))
	email := newEmail("idp")
	_, err := idp.client().SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: idpPassword,
		Options: &core.SignUpOptions{DisplayName: "Idp Person"}})
	require.NoError(t, err)
	return &idpPair{idp: idp, app: app, idpUser: email}
}

// through runs a provider sign-in from start to the app's final redirect,
// logging in at the identity provider's page with password.
func (p *idpPair) through(t *testing.T, start, password string) *url.URL {
	t.Helper()
	toIdP := follow(t, start)
	require.True(t, strings.HasPrefix(toIdP.String(), p.idp.URL+"/oauth2/authorize?"), toIdP.String())
	assert.Equal(t, "app", toIdP.Query().Get("client_id"))
	assert.Equal(t, p.app.URL+"/signin/provider/github/callback", toIdP.Query().Get("redirect_uri"))
	toLogin := follow(t, toIdP.String())
	require.Equal(t, "/emulator/oauth2/login", toLogin.Path)
	page, err := http.Get(toLogin.String())
	require.NoError(t, err)
	html := readAll(page.Body)
	page.Body.Close()
	assert.Contains(t, html, "Sign in to app")
	res, err := noFollow.PostForm(toLogin.String(), url.Values{"request_id": {toLogin.Query().Get("request_id")},
		"email": {p.idpUser}, "password": {password}})
	require.NoError(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		return nil
	}
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(back.String(), p.app.URL+"/signin/provider/github/callback?"), back.String())
	return follow(t, back.String())
}

func TestProviderSignInAgainstALocalIdP(t *testing.T) {
	p := startIdPPair(t)
	c := p.app.client()
	final := p.through(t, p.app.URL+"/signin/provider/github?redirectTo="+url.QueryEscape("http://127.0.0.1:3000/after?x=1")+"&state=my-state", idpPassword)
	require.NotNil(t, final)
	assert.Equal(t, "/after", final.Path)
	q := final.Query()
	assert.Equal(t, "1", q.Get("x"))
	assert.Equal(t, "my-state", q.Get("state"))
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: q.Get("refreshToken")})
	require.NoError(t, err)
	u := sess.Body.User
	assert.Equal(t, p.idpUser, u.Email)
	assert.Equal(t, "Idp Person", u.DisplayName, "the provider's profile name")
	assert.False(t, u.EmailVerified, "as the identity provider says")

	// The provider's tokens, once, and refreshable at the provider.
	bearer := core.WithHeader("Authorization", "Bearer "+sess.Body.AccessToken)
	toks, err := c.GetProviderTokens(ctx, "github", bearer)
	require.NoError(t, err)
	require.NotEmpty(t, toks.Body.AccessToken)
	require.NotNil(t, toks.Body.RefreshToken)
	assert.Greater(t, toks.Body.ExpiresIn, int64(800))
	again, err := c.GetProviderTokens(ctx, "github", bearer)
	require.NoError(t, err)
	assert.Empty(t, again.Body.AccessToken, "read once")
	info, err := p.idp.client().Oauth2UserinfoGet(ctx, core.WithHeader("Authorization", "Bearer "+toks.Body.AccessToken))
	require.NoError(t, err, "the provider token is the identity provider's own")
	assert.Equal(t, p.idpUser, info.Body.Email)
	fresh, err := c.RefreshProviderToken(ctx, "github", core.RefreshProviderTokenRequest{RefreshToken: *toks.Body.RefreshToken}, bearer)
	require.NoError(t, err)
	require.NotNil(t, fresh.Body.RefreshToken)
	assert.NotEqual(t, *toks.Body.RefreshToken, *fresh.Body.RefreshToken)
	assert.NotEmpty(t, fresh.Body.AccessToken)
	_, err = c.RefreshProviderToken(ctx, "github", core.RefreshProviderTokenRequest{RefreshToken: *toks.Body.RefreshToken}, bearer)
	assert.Equal(t, core.ErrorCode("oauth-provider-error"), code(t, err), "rotated at the provider")

	// Signing in again reaches the same user (the account is linked).
	final = p.through(t, p.app.URL+"/signin/provider/github", idpPassword)
	again2, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: final.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.Equal(t, u.ID, again2.Body.User.ID)
	assert.Equal(t, "http://127.0.0.1:3000", final.Scheme+"://"+final.Host, "the client URL by default")

	// A wrong password stays on the login page.
	assert.Nil(t, p.through(t, p.app.URL+"/signin/provider/github", "wrong"))

	// With PKCE the app gets a code, not a refresh token.
	verifier, challenge := pkcePair(t)
	final = p.through(t, p.app.URL+"/signin/provider/github?codeChallenge="+challenge, idpPassword)
	assert.Empty(t, final.Query().Get("refreshToken"))
	ex, err := c.TokenExchange(ctx, core.TokenExchangeRequest{Code: final.Query().Get("code"), CodeVerifier: verifier})
	require.NoError(t, err)
	assert.Equal(t, u.ID, ex.Body.Session.User.ID)

	// Sign-up intent for a registered user.
	final = p.through(t, p.app.URL+"/signup/provider/github", idpPassword)
	assert.Equal(t, "user-already-exists", final.Query().Get("error"))
}

func TestProviderErrorPaths(t *testing.T) {
	p := startIdPPair(t)
	base := p.app.URL + "/signin/provider/github"

	// A foreign redirectTo is refused before anything else, as JSON.
	r := raw(t, "GET", base+"?redirectTo="+url.QueryEscape("https://evil.example.com"), "", "")
	assert.Equal(t, 400, r.status)
	assert.Contains(t, r.body, `"error":"redirectTo-not-allowed"`)

	// A provider that is not configured.
	loc := follow(t, p.app.URL+"/signin/provider/gitlab")
	assert.Equal(t, "disabled-endpoint", loc.Query().Get("error"))

	// The callback without a state, with a forged one, with the provider's error.
	r = raw(t, "GET", base+"/callback?code=x", "", "")
	assert.Equal(t, 400, r.status)
	loc = follow(t, base+"/callback?code=x&state=forged")
	assert.Equal(t, "http://127.0.0.1:3000", loc.Scheme+"://"+loc.Host)
	assert.Equal(t, "invalid-state", loc.Query().Get("error"))
	assert.Equal(t, "forged", loc.Query().Get("provider_state"))

	toIdP := follow(t, base+"?state=s1&redirectTo="+url.QueryEscape("http://127.0.0.1:3000/cb"))
	state := toIdP.Query().Get("state")
	loc = follow(t, base+"/callback?state="+url.QueryEscape(state)+"&error=access_denied&error_description=no")
	assert.Equal(t, "oauth-provider-error", loc.Query().Get("error"))
	assert.Equal(t, "access_denied", loc.Query().Get("provider_error"))
	assert.Equal(t, "no", loc.Query().Get("provider_error_description"))
	assert.Equal(t, "s1", loc.Query().Get("state"))

	// A code the provider does not know: the exchange fails.
	loc = follow(t, base+"/callback?state="+url.QueryEscape(state)+"&code=unknown")
	assert.Equal(t, "/cb", loc.Path)
	assert.Equal(t, "oauth-token-echange-failed", loc.Query().Get("error"))

	// A state made for another provider does not pass.
	loc = follow(t, p.app.URL+"/signin/provider/apple/callback?state="+url.QueryEscape(state)+"&code=x")
	assert.Equal(t, "invalid-state", loc.Query().Get("error"))

	// A client secret the provider does not accept.
	bad := startIdPPairWithSecret(t, "wrong")
	final := bad.through(t, bad.app.URL+"/signin/provider/github", idpPassword)
	assert.Equal(t, "oauth-token-echange-failed", final.Query().Get("error"))
}

func startIdPPairWithSecret(t *testing.T, secret string) *idpPair {
	return startIdPPair(t, "AUTH_PROVIDER_GITHUB_CLIENT_SECRET", secret)
}

// Connect links the provider account to the signed-in user; a second
// user cannot take the same provider account.
func TestProviderConnect(t *testing.T) {
	p := startIdPPair(t)
	c := p.app.client()
	me := signUp(t, c, newEmail("connect"), nil)
	final := p.through(t, p.app.URL+"/signin/provider/github?connect="+url.QueryEscape(me.AccessToken), idpPassword)
	assert.Empty(t, final.Query().Get("refreshToken"), "the user is signed in already")
	assert.Empty(t, final.Query().Get("error"))
	final = p.through(t, p.app.URL+"/signin/provider/github", idpPassword)
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: final.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.Equal(t, me.User.ID, sess.Body.User.ID, "the provider account now signs in the connected user")

	other := signUp(t, c, newEmail("connect-2"), nil)
	final = p.through(t, p.app.URL+"/signin/provider/github?connect="+url.QueryEscape(other.AccessToken), idpPassword)
	assert.Equal(t, "provider-account-already-linked", final.Query().Get("error"))
}

func TestOAuth2ProviderDiscovery(t *testing.T) {
	p := startIdPPair(t)
	res, err := http.Get(p.idp.URL + "/.well-known/openid-configuration")
	require.NoError(t, err)
	defer res.Body.Close()
	var d map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&d))
	assert.Equal(t, p.idp.URL, d["issuer"])
	assert.Equal(t, p.idp.URL+"/oauth2/authorize", d["authorization_endpoint"])
	assert.Equal(t, []any{"S256", "plain"}, d["code_challenge_methods_supported"])
	off, err := http.Get(p.app.URL + "/.well-known/openid-configuration")
	require.NoError(t, err)
	off.Body.Close()
	assert.Equal(t, 500, off.StatusCode, "the provider is off unless switched on")
}

// A provider whose profile cannot be read: the callback says so.
func TestProviderProfileFetchFailed(t *testing.T) {
	p := startIdPPair(t, "AUTH_EMULATOR_PROVIDER_GITHUB_USERINFO_URL", "http://127.0.0.1:1/nowhere")
	final := p.through(t, p.app.URL+"/signin/provider/github?state=z", idpPassword)
	assert.Equal(t, "oauth-profile-fetch-failed", final.Query().Get("error"))
	assert.Equal(t, "z", final.Query().Get("state"))
}

// Dynamic client registration: a signed-in user registers a public client
// and a confidential one; authorize works by POST too.
func TestOAuth2ClientRegistration(t *testing.T) {
	p := startIdPPair(t)
	c := p.idp.client()
	sess, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: p.idpUser, Password: idpPassword})
	require.NoError(t, err)
	bearer := "Bearer " + sess.Body.Session.AccessToken
	r := raw(t, "POST", p.idp.URL+"/oauth2/register", "application/json",
		`{"client_name":"Public","redirect_uris":["http://127.0.0.1:9/cb"],"token_endpoint_auth_method":"none"}`, "Authorization", bearer)
	require.Equal(t, 201, r.status, r.body)
	var pub map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &pub))
	assert.Nil(t, pub["client_secret"], "a public client has no secret")
	assert.Equal(t, "openid profile email", pub["scope"])
	r = raw(t, "POST", p.idp.URL+"/oauth2/register", "application/json",
		`{"client_name":"Backend","redirect_uris":["http://127.0.0.1:9/cb"]}`, "Authorization", bearer)
	require.Equal(t, 201, r.status, r.body)
	var conf map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &conf))
	assert.NotEmpty(t, conf["client_secret"])
	assert.Equal(t, "client_secret_post", conf["token_endpoint_auth_method"])
	r = raw(t, "POST", p.idp.URL+"/oauth2/register", "application/json", `{"client_name":"x","redirect_uris":["http://127.0.0.1:9/cb"]}`)
	assert.Equal(t, 400, r.status, "registration needs a signed-in user")

	// POST /oauth2/authorize (form), for the public client.
	r = raw(t, "POST", p.idp.URL+"/oauth2/authorize", "application/x-www-form-urlencoded",
		url.Values{"client_id": {pub["client_id"].(string)}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "response_type": {"code"}}.Encode())
	require.Equal(t, 302, r.status, r.body)
	assert.Contains(t, r.headers.Get("Location"), "/emulator/oauth2/login?request_id=")
	for _, bad := range []struct {
		q, want string
		status  int
	}{
		{"client_id=nobody&redirect_uri=x&response_type=code", "invalid_client", 401},
		{"client_id=" + pub["client_id"].(string) + "&redirect_uri=http://evil.example/cb&response_type=code", "invalid_request", 400},
		// The document allows response_type=code only: the validator answers first.
		{"client_id=" + pub["client_id"].(string) + "&redirect_uri=http://127.0.0.1:9/cb&response_type=token", `error in openapi3filter.RequestError: parameter \"response_type\"`, 400},
		{"client_id=" + pub["client_id"].(string) + "&redirect_uri=http://127.0.0.1:9/cb&response_type=code&scope=openid+admin", "invalid_scope", 400},
	} {
		r = raw(t, "GET", p.idp.URL+"/oauth2/authorize?"+bad.q, "", "")
		assert.Equal(t, bad.status, r.status, bad.q)
		assert.Contains(t, r.body, bad.want, bad.q)
	}
}

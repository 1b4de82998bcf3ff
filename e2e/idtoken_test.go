package e2e_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idToken runs the identity provider's code flow as its user (through its
// login page, over HTTP) and returns the ID token it issues to "app".
func (p *idpPair) idToken(t *testing.T, nonceHash string) string {
	t.Helper()
	redirectURI := p.app.URL + "/signin/provider/github/callback"
	authorize := p.idp.URL + "/oauth2/authorize?" + url.Values{"client_id": {"app"}, "redirect_uri": {redirectURI},
		"response_type": {"code"}, "scope": {"openid email profile"}, "nonce": {nonceHash}}.Encode()
	login, err := url.Parse(noRedirectLocation(t, authorize))
	require.NoError(t, err)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(login.String(), url.Values{"request_id": {login.Query().Get("request_id")},
		"email": {idpUser}, "password": {idpPassword}})
	require.NoError(t, err)
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	tok, err := http.PostForm(p.idp.URL+"/oauth2/token", url.Values{"grant_type": {"authorization_code"},
		"code": {back.Query().Get("code")}, "redirect_uri": {redirectURI}, "client_id": {"app"}, "client_secret": {"s3cret"}})
	require.NoError(t, err)
	defer tok.Body.Close()
	var body struct {
		IDToken string `json:"id_token"`
	}
	require.NoError(t, json.NewDecoder(tok.Body).Decode(&body))
	require.NotEmpty(t, body.IDToken)
	return body.IDToken
}

// forge signs claims with the identity provider's own key, read from its
// database: a token the provider could have issued, with any claims.
func (p *idpPair) forge(t *testing.T, sub, email string, edit func(jwt.MapClaims)) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{"iss": p.idp.URL, "aud": "app", "sub": sub, "email": email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	if edit != nil {
		edit(claims)
	}
	return p.idp.Sign(t, claims)
}

// In the page, with the SDK: sign-in, sign-up and link with ID tokens of
// the local identity provider; tampered, expired, wrong-audience and
// wrong-nonce tokens are refused with the server's error.
func TestIDTokensInThePage(t *testing.T) {
	p := startIdP(t)
	const nonce = "nonce-kept-by-the-app"
	sum := sha256.Sum256([]byte(nonce))
	real := p.idToken(t, hex.EncodeToString(sum[:]))
	sig := real[strings.LastIndexByte(real, '.')+1:]
	flip := "A"
	if sig[0] == 'A' {
		flip = "B"
	}
	tokens := map[string]string{
		"real":     real,
		"tampered": real[:strings.LastIndexByte(real, '.')+1] + flip + sig[1:],
		"expired": p.forge(t, "s-exp", "exp@example.com", func(c jwt.MapClaims) {
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
		}),
		"audience": p.forge(t, "s-aud", "aud@example.com", func(c jwt.MapClaims) { c["aud"] = "another-app" }),
		"fresh":    p.forge(t, "s-new", "idtoken-new@example.com", nil),
		"link":     p.forge(t, "s-link", "someone@example.com", nil),
	}
	var out map[string]string
	ctx := tab(t)
	run(t, ctx, map[string]any{"AUTH": p.app.URL, "T": tokens, "NONCE": nonce}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const status = (p) => p.then(() => 'ok:' + (nhost.getUserSession()?.user?.email ?? ''), (e) => e.body?.error ?? String(e));
const out = {};
out.wrongNonce = await status(nhost.auth.signInIdToken({ provider: 'google', idToken: T.real, nonce: 'another' }));
out.tampered = await status(nhost.auth.signInIdToken({ provider: 'google', idToken: T.tampered, nonce: NONCE }));
out.expired = await status(nhost.auth.signInIdToken({ provider: 'google', idToken: T.expired }));
out.audience = await status(nhost.auth.signInIdToken({ provider: 'google', idToken: T.audience }));
out.signedOut = String(nhost.getUserSession());
out.signIn = await status(nhost.auth.signInIdToken({ provider: 'google', idToken: T.real, nonce: NONCE }));
out.signUpTaken = await status(nhost.auth.signUpIdToken({ provider: 'google', idToken: T.real, nonce: NONCE }));
out.linkSecond = await status(nhost.auth.linkIdToken({ provider: 'google', idToken: T.link }));
nhost.clearSession();
await nhost.auth.signUpEmailPassword({ email: 'linker@example.com', password: 'Passw0rd!' });
out.link = await status(nhost.auth.linkIdToken({ provider: 'google', idToken: T.link }));
nhost.clearSession();
out.linked = await status(nhost.auth.signInIdToken({ provider: 'google', idToken: T.link }));
out.signUp = await status(nhost.auth.signUpIdToken({ provider: 'google', idToken: T.fresh }));
out.apple = await status(nhost.auth.signInIdToken({ provider: 'apple', idToken: T.real }));
return out;`, &out)
	for _, k := range []string{"wrongNonce", "tampered", "expired", "audience"} {
		assert.Equal(t, "invalid-request", out[k], k)
	}
	assert.Equal(t, "null", out["signedOut"], "a refused token signs no one in")
	assert.Equal(t, "ok:"+idpUser, out["signIn"])
	assert.Equal(t, "user-already-exists", out["signUpTaken"])
	assert.Equal(t, "provider-account-already-linked", out["linkSecond"], "one account per provider and user")
	assert.Equal(t, "ok:linker@example.com", out["link"])
	assert.Equal(t, "ok:linker@example.com", out["linked"], "the linked provider account signs in its user")
	assert.Equal(t, "ok:idtoken-new@example.com", out["signUp"])
	assert.Equal(t, "disabled-endpoint", out["apple"])
}

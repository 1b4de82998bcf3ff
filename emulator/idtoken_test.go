package emulator_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
)

// idTokenFromIdP runs the identity provider's authorization-code flow as
// its user and returns the ID token it issues (for client "app", with the
// nonce hash in it).
func (p *idpPair) idTokenFromIdP(t *testing.T, nonceHash string) string {
	t.Helper()
	redirectURI := p.app.URL + "/signin/provider/github/callback"
	authorize := p.idp.URL + "/oauth2/authorize?" + url.Values{"client_id": {"app"}, "redirect_uri": {redirectURI},
		"response_type": {"code"}, "scope": {"openid email profile"}, "nonce": {nonceHash}}.Encode()
	login := follow(t, authorize)
	res, err := noFollow.PostForm(login.String(), url.Values{"request_id": {login.Query().Get("request_id")},
		"email": {p.idpUser}, "password": {idpPassword}})
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	tok, err := p.idp.client().Oauth2Token(ctx, core.OAuth2TokenRequest{GrantType: "authorization_code",
		Code: back.Query().Get("code"), RedirectURI: redirectURI, ClientID: "app", ClientSecret: "s3cret"})
	require.NoError(t, err)
	require.NotEmpty(t, tok.Body.IDToken)
	return tok.Body.IDToken
}

// forge signs claims with the identity provider's own key: a token it
// could have issued, with any claims.
func (p *idpPair) forge(t *testing.T, claims jwt.MapClaims) string { return p.idp.Sign(t, claims) }

func (p *idpPair) claims(sub, email string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"iss": p.idp.URL, "aud": "app", "sub": sub, "email": email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestIDTokenSignIn(t *testing.T) {
	p := startIdPPair(t)
	c := p.app.client()

	const rawNonce = "a-nonce-the-app-keeps"
	token := p.idTokenFromIdP(t, hexSHA256(rawNonce))
	res, err := c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: "google", IDToken: token, Nonce: rawNonce,
		Options: &core.SignUpOptions{DisplayName: "From Google"}})
	require.NoError(t, err)
	require.NotNil(t, res.Body.Session)
	u := res.Body.Session.User
	assert.Equal(t, p.idpUser, u.Email)
	assert.Equal(t, "From Google", u.DisplayName)

	// The same token again signs in the same user; the wrong nonce does not.
	res, err = c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: "google", IDToken: token, Nonce: rawNonce})
	require.NoError(t, err)
	assert.Equal(t, u.ID, res.Body.Session.User.ID)
	bad := func(tok, nonce string) {
		t.Helper()
		_, err := c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: "google", IDToken: tok, Nonce: nonce})
		fe := fetchErr(t, err)
		assert.Equal(t, 400, fe.Status)
		assert.Equal(t, core.ErrInvalidRequest, fe.Code())
	}
	bad(token, "another-nonce")
	// Tampered: one character of the signature changed.
	sig := token[strings.LastIndexByte(token, '.')+1:]
	flipped := "A"
	if sig[0] == 'A' {
		flipped = "B"
	}
	bad(token[:strings.LastIndexByte(token, '.')+1]+flipped+sig[1:], rawNonce)
	// Signed by the provider's key, but expired, for another audience, or another issuer.
	expired := p.claims("sub-1", "x@example.com")
	expired["iat"], expired["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
	bad(p.forge(t, expired), "")
	other := p.claims("sub-1", "x@example.com")
	other["aud"] = "someone-else"
	bad(p.forge(t, other), "")
	other = p.claims("sub-1", "x@example.com")
	other["iss"] = "https://accounts.google.com"
	bad(p.forge(t, other), "")

	// Sign-up: a new account, but not for an address that has one.
	fresh := p.claims("sub-new", newEmail("idtoken-new"))
	sres, err := c.SignUpIdToken(ctx, core.SignUpIdTokenRequest{Provider: "google", IDToken: p.forge(t, fresh)})
	require.NoError(t, err)
	assert.True(t, sres.Body.Session.User.EmailVerified, "the provider vouched for the address")
	_, err = c.SignUpIdToken(ctx, core.SignUpIdTokenRequest{Provider: "google", IDToken: token, Nonce: rawNonce})
	fe := fetchErr(t, err)
	assert.Equal(t, 409, fe.Status)
	assert.Equal(t, core.ErrorCode("user-already-exists"), fe.Code())

	// Link: the token's account joins the signed-in user, once.
	me := signUp(t, c, newEmail("linker"), nil)
	linkTok := p.forge(t, p.claims("sub-link", "someone@example.com"))
	bearer := core.WithHeader("Authorization", "Bearer "+me.AccessToken)
	_, err = c.LinkIdToken(ctx, core.LinkIdTokenRequest{Provider: "google", IDToken: linkTok}, bearer)
	require.NoError(t, err)
	res, err = c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: "google", IDToken: linkTok})
	require.NoError(t, err)
	assert.Equal(t, me.User.ID, res.Body.Session.User.ID)
	other2 := signUp(t, c, newEmail("linker-2"), nil)
	_, err = c.LinkIdToken(ctx, core.LinkIdTokenRequest{Provider: "google", IDToken: linkTok},
		core.WithHeader("Authorization", "Bearer "+other2.AccessToken))
	assert.Equal(t, core.ErrorCode("provider-account-already-linked"), code(t, err))

	// An existing address the provider does not vouch for is not taken over.
	victim := signUp(t, c, newEmail("victim"), nil)
	claim := p.claims("attacker", victim.User.Email)
	claim["email_verified"] = false
	_, err = c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: "google", IDToken: p.forge(t, claim)})
	assert.Equal(t, core.ErrUnverifiedUser, code(t, err))

	// Apple is not configured here.
	_, err = c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: "apple", IDToken: token})
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err))
}

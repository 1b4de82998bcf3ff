package emulator_test

import (
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

func signUp(t *testing.T, c *core.Client, email string, opts *core.SignUpOptions) *core.Session {
	t.Helper()
	res, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!", Options: opts})
	require.NoError(t, err)
	require.NotNil(t, res.Body.Session)
	return res.Body.Session
}

// verifyWithJWKS checks an access token's signature with the server's JWKS
// and returns its claims.
func verifyWithJWKS(t *testing.T, c *core.Client, token string) jwt.MapClaims {
	t.Helper()
	set, err := c.GetJWKs(ctx)
	require.NoError(t, err)
	require.Len(t, set.Body.Keys, 1)
	k := set.Body.Keys[0]
	assert.Equal(t, "RS256", k.Alg)
	assert.Equal(t, "RSA", k.Kty)
	assert.Equal(t, "sig", k.Use)
	assert.Equal(t, "AQAB", k.E)
	n, err := base64.RawURLEncoding.DecodeString(k.N)
	require.NoError(t, err)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(token, claims, func(tk *jwt.Token) (any, error) {
		assert.Equal(t, k.Kid, tk.Header["kid"])
		return pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}))
	require.NoError(t, err)
	require.True(t, tok.Valid)
	return claims
}

func TestHealthVersionJWKS(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	ok, err := c.HealthCheckGet(ctx)
	require.NoError(t, err)
	assert.Equal(t, "OK", ok.Body)
	head, err := c.HealthCheckHead(ctx)
	require.NoError(t, err)
	assert.Equal(t, 200, head.Status)
	v, err := c.GetVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, "nhost-auth-emulator-"+emulator.Version, v.Body.Version)
	set, err := c.GetJWKs(ctx)
	require.NoError(t, err)
	require.Len(t, set.Body.Keys, 1)
	assert.NotEmpty(t, set.Body.Keys[0].Kid)

	// Served under /v1 too, as hosted Nhost is.
	v1, err := nethttpClient(e.URL + "/v1").GetVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, v.Body.Version, v1.Body.Version)

	// HEAD /version and unknown routes are 404 plain text, as on the real server.
	for _, req := range [][2]string{{"HEAD", "/version"}, {"GET", "/nope"}, {"GET", "/signin/email-password"}, {"POST", "/mfa/totp/generate"}} {
		r, err := http.NewRequest(req[0], e.URL+req[1], nil)
		require.NoError(t, err)
		res, err := http.DefaultClient.Do(r)
		require.NoError(t, err)
		body := readAll(res.Body)
		res.Body.Close()
		assert.Equal(t, 404, res.StatusCode, req)
		assert.Equal(t, "text/plain", res.Header.Get("Content-Type"))
		if req[0] != "HEAD" {
			assert.Equal(t, "404 page not found", body)
		}
	}
}

func TestSignUpSignInAndTokens(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	email := newEmail("Jane.Upper")
	sess := signUp(t, c, email, &core.SignUpOptions{DisplayName: "Jane <b>", Metadata: map[string]any{"plan": "pro"}, Locale: "EN"})

	assert.Equal(t, int64(900), sess.AccessTokenExpiresIn)
	u := sess.User
	require.NotNil(t, u)
	assert.Equal(t, email, u.Email, "case preserved")
	assert.Equal(t, "Jane <b>", u.DisplayName)
	assert.Equal(t, "en", u.Locale)
	assert.Equal(t, []string{"me", "user"}, u.Roles)
	assert.Equal(t, "user", u.DefaultRole)
	assert.Nil(t, u.ActiveMfaType)
	assert.Equal(t, map[string]any{"plan": "pro"}, u.Metadata)
	assert.Regexp(t, `^https://www\.gravatar\.com/avatar/[0-9a-f]{32}\?d=blank&r=g$`, u.AvatarURL)

	claims := verifyWithJWKS(t, c, sess.AccessToken)
	assert.Equal(t, "hasura-auth", claims["iss"])
	assert.Equal(t, u.ID, claims["sub"])
	assert.Equal(t, float64(900), claims["exp"].(float64)-claims["iat"].(float64))
	assert.Equal(t, map[string]any{
		"x-hasura-allowed-roles":     []any{"me", "user"},
		"x-hasura-default-role":      "user",
		"x-hasura-user-id":           u.ID,
		"x-hasura-user-is-anonymous": "false",
	}, claims["https://hasura.io/jwt/claims"])

	// Same address in another case: already in use.
	_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: strings.ToLower(email), Password: "Passw0rd!"})
	fe := fetchErr(t, err)
	assert.Equal(t, 409, fe.Status)
	assert.Equal(t, core.ErrEmailAlreadyInUse, fe.Code())
	assert.Equal(t, "Email already in use", fe.Error())

	// Wrong password; unknown user.
	for _, login := range []core.SignInEmailPasswordRequest{{Email: email, Password: "wrong"}, {Email: newEmail("nobody"), Password: "Passw0rd!"}} {
		_, err = c.SignInEmailPassword(ctx, login)
		fe = fetchErr(t, err)
		assert.Equal(t, 401, fe.Status)
		assert.Equal(t, core.ErrInvalidEmailPassword, fe.Code())
		er, ok := fe.ErrorResponse()
		require.True(t, ok)
		assert.Equal(t, int64(401), er.Status)
	}

	in, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	require.NoError(t, err)
	require.NotNil(t, in.Body.Session)
	assert.Nil(t, in.Body.Mfa)

	// GET /user: metadata and createdAt from the database.
	me, err := c.GetUser(ctx, core.WithBearer(in.Body.Session.AccessToken))
	require.NoError(t, err)
	assert.Equal(t, u.ID, me.Body.ID)
	assert.Equal(t, map[string]any{"plan": "pro"}, me.Body.Metadata)
	created, err := time.Parse(time.RFC3339Nano, me.Body.CreatedAt)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), created, time.Minute)

	// Refresh rotates the token and keeps its id; the old one is then dead.
	old := in.Body.Session
	ref, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: old.RefreshToken})
	require.NoError(t, err)
	assert.Equal(t, old.RefreshTokenID, ref.Body.RefreshTokenID)
	assert.NotEqual(t, old.RefreshToken, ref.Body.RefreshToken)
	require.NotNil(t, ref.Body.User)
	verifyWithJWKS(t, c, ref.Body.AccessToken)
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: old.RefreshToken})
	fe = fetchErr(t, err)
	assert.Equal(t, 401, fe.Status)
	assert.Equal(t, core.ErrInvalidRefreshToken, fe.Code())
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"})
	assert.Equal(t, core.ErrInvalidRefreshToken, fetchErr(t, err).Code())

	// /token/verify: body token, header token, bad tokens.
	okv, err := c.VerifyToken(ctx, &core.VerifyTokenRequest{Token: ref.Body.AccessToken})
	require.NoError(t, err)
	assert.Equal(t, "OK", okv.Body)
	_, err = c.VerifyToken(ctx, nil, core.WithBearer(ref.Body.AccessToken))
	require.NoError(t, err)
	_, err = c.VerifyToken(ctx, &core.VerifyTokenRequest{Token: ref.Body.AccessToken}, core.WithBearer("bad"))
	require.NoError(t, err, "body token wins")
	tampered := ref.Body.AccessToken[:len(ref.Body.AccessToken)-4] + "AAAA"
	for _, body := range []*core.VerifyTokenRequest{{Token: "bad"}, {Token: tampered}, nil} {
		_, err = c.VerifyToken(ctx, body)
		fe = fetchErr(t, err)
		assert.Equal(t, 400, fe.Status)
		assert.Equal(t, core.ErrInvalidRequest, fe.Code())
	}
}

func TestSignOut(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	email := newEmail("out")
	signUp(t, c, email, nil)
	login := func() *core.Session {
		res, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
		require.NoError(t, err)
		return res.Body.Session
	}
	a, b, d := login(), login(), login()

	// One session: that refresh token dies, its access token stays valid.
	res, err := c.SignOut(ctx, core.SignOutRequest{RefreshToken: a.RefreshToken})
	require.NoError(t, err)
	assert.Equal(t, "OK", res.Body)
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: a.RefreshToken})
	assert.Equal(t, core.ErrInvalidRefreshToken, fetchErr(t, err).Code())
	_, err = c.GetUser(ctx, core.WithBearer(a.AccessToken))
	require.NoError(t, err)
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: b.RefreshToken})
	require.NoError(t, err, "other sessions live on")

	// Unknown tokens are fine; an empty body is not; garbage bearer is ignored.
	_, err = c.SignOut(ctx, core.SignOutRequest{RefreshToken: "not-a-uuid"}, core.WithBearer("garbage"))
	require.NoError(t, err)
	_, err = c.SignOut(ctx, core.SignOutRequest{})
	fe := fetchErr(t, err)
	assert.Equal(t, 400, fe.Status)
	assert.Equal(t, core.ErrInvalidRequest, fe.Code())

	// all:true needs a valid bearer, then kills every session.
	_, err = c.SignOut(ctx, core.SignOutRequest{All: true})
	assert.Equal(t, core.ErrInvalidRequest, fetchErr(t, err).Code())
	_, err = c.SignOut(ctx, core.SignOutRequest{All: true}, core.WithBearer("bad"))
	assert.Equal(t, core.ErrInvalidRequest, fetchErr(t, err).Code())
	_, err = c.SignOut(ctx, core.SignOutRequest{All: true}, core.WithBearer(d.AccessToken))
	require.NoError(t, err)
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: d.RefreshToken})
	assert.Equal(t, core.ErrInvalidRefreshToken, fetchErr(t, err).Code())
}

func TestAnonymousUsers(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	res, err := c.SignInAnonymous(ctx, &core.SignInAnonymousRequest{DisplayName: "bad_name", Locale: "fr", Metadata: map[string]any{"a": 1}})
	require.NoError(t, err)
	s := res.Body.Session
	require.NotNil(t, s)
	assert.True(t, s.User.IsAnonymous)
	assert.Equal(t, "anonymous", s.User.DefaultRole)
	assert.Equal(t, []string{"anonymous"}, s.User.Roles)
	assert.Equal(t, "", s.User.AvatarURL)
	assert.Equal(t, "bad_name", s.User.DisplayName, "no displayName pattern here")
	assert.Equal(t, "en", s.User.Locale)
	assert.Empty(t, s.User.Email)
	claims := verifyWithJWKS(t, c, s.AccessToken)
	hc := claims["https://hasura.io/jwt/claims"].(map[string]any)
	assert.Equal(t, "true", hc["x-hasura-user-is-anonymous"])
	assert.Equal(t, "anonymous", hc["x-hasura-default-role"])

	none, err := c.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "Anonymous User", none.Body.Session.User.DisplayName)
	assert.Nil(t, none.Body.Session.User.Metadata)

	_, err = c.GetUser(ctx, core.WithBearer(s.AccessToken))
	fe := fetchErr(t, err)
	assert.Equal(t, 403, fe.Status)
	assert.Equal(t, core.ErrForbiddenAnonymous, fe.Code())

	ref, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: s.RefreshToken})
	require.NoError(t, err)
	assert.Equal(t, s.RefreshTokenID, ref.Body.RefreshTokenID)

	// Off by default, as on the real server.
	off := start(t, nil)
	_, err = off.client().SignInAnonymous(ctx, nil)
	fe = fetchErr(t, err)
	assert.Equal(t, 409, fe.Status)
	assert.Equal(t, core.ErrDisabledEndpoint, fe.Code())
}

func TestSignupDisabled(t *testing.T) {
	e := start(t, with(dev, "AUTH_DISABLE_SIGNUP", "true"))
	c := e.client()
	_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("x"), Password: "Passw0rd!"})
	fe := fetchErr(t, err)
	assert.Equal(t, 403, fe.Status)
	assert.Equal(t, core.ErrSignupDisabled, fe.Code())
	_, err = c.SignInAnonymous(ctx, nil)
	assert.Equal(t, core.ErrSignupDisabled, fetchErr(t, err).Code())
}

func TestEmailVerificationRequired(t *testing.T) {
	// The real server's default: verification required.
	e := start(t, map[string]string{"AUTH_CLIENT_URL": "http://127.0.0.1:3000"})
	c := e.client()
	email := newEmail("verify")
	res, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!",
		Options: &core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/verified?x=1"}})
	require.NoError(t, err)
	assert.Nil(t, res.Body.Session)

	for _, pw := range []string{"Passw0rd!", "wrong"} {
		_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: pw})
		fe := fetchErr(t, err)
		assert.Equal(t, 401, fe.Status)
		assert.Equal(t, core.ErrUnverifiedUser, fe.Code())
	}

	// With no SMTP server the email is in the mailbox, and only noted in
	// the log, without its link; follow the link.
	e.waitLog(t, regexp.MustCompile(`email kept in the mailbox.*subject="Verify your email"`))
	for _, l := range e.Logs() {
		assert.NotContains(t, l, "ticket=", "links stay out of the log")
	}
	link := mailboxMessages(t, e, "?to="+url.QueryEscape(email))[0].Link
	assert.True(t, strings.HasPrefix(link, e.URL+"/verify?redirectTo=http%3A%2F%2F127.0.0.1%3A3000%2Fverified%3Fx%3D1&ticket=verifyEmail%3A"), link)
	assert.True(t, strings.HasSuffix(link, "&type=emailVerify"), link)

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := noFollow.Get(link)
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 302, r.StatusCode)
	loc, err := url.Parse(r.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "/verified", loc.Path)
	assert.Equal(t, "verifyEmail", loc.Query().Get("type"))
	assert.Equal(t, "1", loc.Query().Get("x"))
	assert.Regexp(t, `^refreshToken=[0-9a-f-]{36}&type=verifyEmail&x=1$`, loc.RawQuery, "keys sorted")
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.True(t, sess.Body.User.EmailVerified)

	// The link is single use.
	r, err = noFollow.Get(link)
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, "http://127.0.0.1:3000/verified?error=invalid-ticket&errorDescription=Invalid+ticket&x=1", r.Header.Get("Location"))

	in, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	require.NoError(t, err)
	assert.True(t, in.Body.Session.User.EmailVerified)
}

func TestRolesLocalesAndRedirects(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	for _, tc := range []struct {
		name string
		opts core.SignUpOptions
		code core.ErrorCode // "" for success
		want []string       // roles on success
		def  string
	}{
		{"default-role not in allowed roles", core.SignUpOptions{AllowedRoles: []string{"me"}, DefaultRole: "user"}, core.ErrDefaultRoleMustBeInAllowedRoles, nil, ""},
		{"role not allowed", core.SignUpOptions{AllowedRoles: []string{"admin"}, DefaultRole: "admin"}, core.ErrRoleNotAllowed, nil, ""},
		{"one role not allowed", core.SignUpOptions{AllowedRoles: []string{"user", "admin"}}, core.ErrRoleNotAllowed, nil, ""},
		{"unknown default role", core.SignUpOptions{DefaultRole: "admin"}, core.ErrDefaultRoleMustBeInAllowedRoles, nil, ""},
		{"empty role list", core.SignUpOptions{AllowedRoles: []string{}}, core.ErrDefaultRoleMustBeInAllowedRoles, nil, ""},
		{"default role me", core.SignUpOptions{DefaultRole: "me"}, "", []string{"me", "user"}, "me"},
		{"only user", core.SignUpOptions{AllowedRoles: []string{"user"}}, "", []string{"user"}, "user"},
		{"redirect elsewhere", core.SignUpOptions{RedirectTo: "https://evil.example.com/"}, core.ErrRedirectToNotAllowed, nil, ""},
		{"redirect other port", core.SignUpOptions{RedirectTo: "http://127.0.0.1:3001/"}, core.ErrRedirectToNotAllowed, nil, ""},
		{"redirect lookalike host", core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000.evil.com/"}, core.ErrRedirectToNotAllowed, nil, ""},
		{"redirect not a url", core.SignUpOptions{RedirectTo: "not a url"}, core.ErrRedirectToNotAllowed, nil, ""},
		{"redirect client url", core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000"}, "", []string{"me", "user"}, "user"},
		{"redirect client url path", core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/some/path?x=1#h"}, "", []string{"me", "user"}, "user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			res, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("roles"), Password: "abc", Options: &o})
			if tc.code != "" {
				fe := fetchErr(t, err)
				assert.Equal(t, 400, fe.Status)
				assert.Equal(t, tc.code, fe.Code())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, res.Body.Session.User.Roles)
			assert.Equal(t, tc.def, res.Body.Session.User.DefaultRole)
		})
	}
	// A locale that is not allowed is replaced by the default, silently.
	res, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("fr"), Password: "abc", Options: &core.SignUpOptions{Locale: "fr"}})
	require.NoError(t, err)
	assert.Equal(t, "en", res.Body.Session.User.Locale)

	// Allowed locales and extra redirect URLs come from the environment.
	e2 := start(t, with(dev, "AUTH_LOCALE_ALLOWED_LOCALES", "en,fr,fil", "AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS", "https://*.vercel.app,myapp://callback"))
	res, err = e2.client().SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("fil"), Password: "abc",
		Options: &core.SignUpOptions{Locale: "fil", RedirectTo: "https://preview-1.vercel.app/after"}})
	require.NoError(t, err)
	assert.Equal(t, "fil", res.Body.Session.User.Locale)
	_, err = e2.client().SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("deep"), Password: "abc",
		Options: &core.SignUpOptions{RedirectTo: "https://a.b.vercel.app/"}})
	assert.Equal(t, core.ErrRedirectToNotAllowed, fetchErr(t, err).Code())
}

func TestPasswordMinLength(t *testing.T) {
	e := start(t, with(dev, "AUTH_PASSWORD_MIN_LENGTH", "8"))
	c := e.client()
	_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("short"), Password: "abcdefg"})
	fe := fetchErr(t, err)
	assert.Equal(t, 400, fe.Status)
	assert.Equal(t, core.ErrPasswordTooShort, fe.Code())
	_, err = c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: newEmail("long"), Password: "abcdefgh"})
	require.NoError(t, err)
}

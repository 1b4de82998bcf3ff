package core_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a test server that records each request and answers with
// the status and body set for the next call.
type recorder struct {
	mu      sync.Mutex
	srv     *httptest.Server
	last    *http.Request
	body    []byte
	status  int
	reply   []byte
	headers map[string]string
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.last, r.body = req, b
		status, reply, headers := r.status, r.reply, r.headers
		r.mu.Unlock()
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		if reply != nil && w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		if req.Method != http.MethodHead {
			_, _ = w.Write(reply)
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) answer(status int, body string, headers map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.headers = status, headers
	r.reply = nil
	if body != "" {
		r.reply = []byte(body)
	}
}

// result adapts every method's return value to one shape.
// On error the body is T's zero value, so callers can learn T.
func result[T any](res *core.FetchResponse[T], err error) (any, int, core.Header, error) {
	if err != nil {
		var zero T
		return zero, 0, nil, err
	}
	return res.Body, res.Status, res.Headers, nil
}

type methodCase struct {
	name    string // the seed's method name
	call    func(ctx context.Context, c *core.Client) (any, int, core.Header, error)
	verb    string
	path    string
	reqBody string // exact body sent; "" for none
	query   string // exact query string sent
	form    bool   // the body is application/x-www-form-urlencoded
}

var credCreation = core.CredentialCreationResponse{
	ID: "cred-1", RawID: "Y3JlZC0x", Type: "public-key",
	Response: core.AuthenticatorAttestationResponse{AttestationObject: "o2NmbXRk", ClientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0", Transports: []string{"internal"}},
}
var credAssertion = core.CredentialAssertionResponse{
	ID: "cred-1", RawID: "Y3JlZC0x", Type: "public-key",
	Response: core.AuthenticatorAssertionResponse{AuthenticatorData: "SZYN5Y", ClientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0", Signature: "MEUCIQ"},
}

const credCreationJSON = `{"id":"cred-1","rawId":"Y3JlZC0x","response":{"attestationObject":"o2NmbXRk","clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0","transports":["internal"]},"type":"public-key"}`
const credAssertionJSON = `{"id":"cred-1","rawId":"Y3JlZC0x","response":{"authenticatorData":"SZYN5Y","clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0","signature":"MEUCIQ"},"type":"public-key"}`

var opts = &core.SignUpOptions{DisplayName: "Jöhn O'Brien", Locale: "en", Metadata: map[string]any{"plan": "pro", "n": 2}, RedirectTo: "http://localhost:3000/after"}

const optsJSON = `{"displayName":"Jöhn O'Brien","locale":"en","metadata":{"n":2,"plan":"pro"},"redirectTo":"http://localhost:3000/after"}`

func methodCases() []methodCase {
	mfa := core.MfaTypeTotp
	return []methodCase{
		{"addSecurityKey", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.AddSecurityKey(ctx))
		}, "POST", "/user/webauthn/add", "", "", false},
		{"changeUserEmail", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: "new@example.com", Options: &core.OptionsRedirectTo{RedirectTo: "http://localhost:3000/changed"}}))
		}, "POST", "/user/email/change", `{"newEmail":"new@example.com","options":{"redirectTo":"http://localhost:3000/changed"}}`, "", false},
		{"changeUserMfa", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.ChangeUserMfa(ctx))
		}, "GET", "/mfa/totp/generate", "", "", false},
		{"changeUserPassword", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "N3wPass!", Ticket: "passwordReset:0b8a"}))
		}, "POST", "/user/password", `{"newPassword":"N3wPass!","ticket":"passwordReset:0b8a"}`, "", false},
		{"createPAT", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "2026-12-25T10:33:16Z", Metadata: map[string]any{"name": "ci"}}))
		}, "POST", "/pat", `{"expiresAt":"2026-12-25T10:33:16Z","metadata":{"name":"ci"}}`, "", false},
		{"deanonymizeUser", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizeEmailPassword, Email: "a@example.com", Password: "Passw0rd!", Options: opts}))
		}, "POST", "/user/deanonymize", `{"email":"a@example.com","options":` + optsJSON + `,"password":"Passw0rd!","signInMethod":"email-password"}`, "", false},
		{"elevateWebauthn", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.ElevateWebauthn(ctx))
		}, "POST", "/elevate/webauthn", "", "", false},
		{"getJWKs", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.GetJWKs(ctx))
		}, "GET", "/.well-known/jwks.json", "", "", false},
		{"getProviderTokens", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.GetProviderTokens(ctx, core.ProviderGitHub))
		}, "GET", "/signin/provider/github/callback/tokens", "", "", false},
		{"getUser", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.GetUser(ctx))
		}, "GET", "/user", "", "", false},
		{"getVersion", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.GetVersion(ctx))
		}, "GET", "/version", "", "", false},
		{"healthCheckGet", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.HealthCheckGet(ctx))
		}, "GET", "/healthz", "", "", false},
		{"healthCheckHead", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.HealthCheckHead(ctx))
		}, "HEAD", "/healthz", "", "", false},
		{"linkIdToken", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.LinkIdToken(ctx, core.LinkIdTokenRequest{Provider: core.IdTokenProviderGoogle, IDToken: "eyJ.id.token", Nonce: "n-1"}))
		}, "POST", "/link/idtoken", `{"idToken":"eyJ.id.token","nonce":"n-1","provider":"google"}`, "", false},
		{"refreshProviderToken", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.RefreshProviderToken(ctx, core.ProviderGoogle, core.RefreshProviderTokenRequest{RefreshToken: "1//0gK8"}))
		}, "POST", "/token/provider/google", `{"refreshToken":"1//0gK8"}`, "", false},
		{"refreshToken", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"}))
		}, "POST", "/token", `{"refreshToken":"2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"}`, "", false},
		{"sendPasswordResetEmail", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SendPasswordResetEmail(ctx, core.UserPasswordResetRequest{Email: "a@example.com"}))
		}, "POST", "/user/password/reset", `{"email":"a@example.com"}`, "", false},
		{"sendVerificationEmail", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: "a@example.com", Options: &core.OptionsRedirectTo{RedirectTo: "http://localhost:3000/v?x=1"}}))
		}, "POST", "/user/email/send-verification-email", `{"email":"a@example.com","options":{"redirectTo":"http://localhost:3000/v?x=1"}}`, "", false},
		{"signInAnonymous", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInAnonymous(ctx, &core.SignInAnonymousRequest{DisplayName: "Anon", Locale: "en", Metadata: map[string]any{"a": 1}}))
		}, "POST", "/signin/anonymous", `{"displayName":"Anon","locale":"en","metadata":{"a":1}}`, "", false},
		{"signInEmailPassword", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: "a@example.com", Password: "Str0ngPassw#ord-94|%"}))
		}, "POST", "/signin/email-password", `{"email":"a@example.com","password":"Str0ngPassw#ord-94|%"}`, "", false},
		{"signInIdToken", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInIdToken(ctx, core.SignInIdTokenRequest{Provider: core.IdTokenProviderApple, IDToken: "eyJ.apple", Options: opts}))
		}, "POST", "/signin/idtoken", `{"idToken":"eyJ.apple","options":` + optsJSON + `,"provider":"apple"}`, "", false},
		{"signInOTPEmail", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: "a@example.com", Options: opts}))
		}, "POST", "/signin/otp/email", `{"email":"a@example.com","options":` + optsJSON + `}`, "", false},
		{"signInPasswordlessEmail", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: "a@example.com"}))
		}, "POST", "/signin/passwordless/email", `{"email":"a@example.com"}`, "", false},
		{"signInPasswordlessSms", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: "+15552233238"}))
		}, "POST", "/signin/passwordless/sms", `{"phoneNumber":"+15552233238"}`, "", false},
		{"signInPAT", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"}))
		}, "POST", "/signin/pat", `{"personalAccessToken":"2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"}`, "", false},
		{"signInWebauthn", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignInWebauthn(ctx, nil))
		}, "POST", "/signin/webauthn", "", "", false},
		{"signOut", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignOut(ctx, core.SignOutRequest{All: true}))
		}, "POST", "/signout", `{"all":true}`, "", false},
		{"signUpEmailPassword", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: "a@example.com", Password: "Passw0rd!", Options: &core.SignUpOptions{AllowedRoles: []string{"me", "user"}, DefaultRole: "user"}}))
		}, "POST", "/signup/email-password", `{"email":"a@example.com","options":{"allowedRoles":["me","user"],"defaultRole":"user"},"password":"Passw0rd!"}`, "", false},
		{"signUpWebauthn", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignUpWebauthn(ctx, core.SignUpWebauthnRequest{Email: "a@example.com"}))
		}, "POST", "/signup/webauthn", `{"email":"a@example.com"}`, "", false},
		{"verifyAddSecurityKey", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifyAddSecurityKey(ctx, core.VerifyAddSecurityKeyRequest{Credential: credCreation, Nickname: "laptop"}))
		}, "POST", "/user/webauthn/verify", `{"credential":` + credCreationJSON + `,"nickname":"laptop"}`, "", false},
		{"verifyChangeUserMfa", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: "123456", ActiveMfaType: &mfa}))
		}, "POST", "/user/mfa", `{"activeMfaType":"totp","code":"123456"}`, "", false},
		{"verifyElevateWebauthn", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifyElevateWebauthn(ctx, core.SignInWebauthnVerifyRequest{Credential: credAssertion}))
		}, "POST", "/elevate/webauthn/verify", `{"credential":` + credAssertionJSON + `}`, "", false},
		{"verifySignInMfaTotp", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: "mfaTotp:abc", Otp: "123456"}))
		}, "POST", "/signin/mfa/totp", `{"otp":"123456","ticket":"mfaTotp:abc"}`, "", false},
		{"verifySignInOTPEmail", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: "a@example.com", Otp: "654321"}))
		}, "POST", "/signin/otp/email/verify", `{"email":"a@example.com","otp":"654321"}`, "", false},
		{"verifySignInPasswordlessSms", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: "+15552233238", Otp: "088710"}))
		}, "POST", "/signin/passwordless/sms/otp", `{"otp":"088710","phoneNumber":"+15552233238"}`, "", false},
		{"verifySignInWebauthn", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifySignInWebauthn(ctx, core.SignInWebauthnVerifyRequest{Credential: credAssertion}))
		}, "POST", "/signin/webauthn/verify", `{"credential":` + credAssertionJSON + `}`, "", false},
		{"verifySignUpWebauthn", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifySignUpWebauthn(ctx, core.SignUpWebauthnVerifyRequest{Credential: credCreation, Nickname: "key"}))
		}, "POST", "/signup/webauthn/verify", `{"credential":` + credCreationJSON + `,"nickname":"key"}`, "", false},
		{"verifyToken", func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.VerifyToken(ctx, &core.VerifyTokenRequest{Token: "eyJ.a.b"}))
		}, "POST", "/token/verify", `{"token":"eyJ.a.b"}`, "", false},
		{name: "signUpPasswordlessEmail", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignUpPasswordlessEmail(ctx, core.SignUpPasswordlessEmailRequest{Email: "a@example.com", CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}))
		}, verb: "POST", path: "/signup/passwordless/email", reqBody: `{"codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM","email":"a@example.com"}`},
		{name: "signUpOTPEmail", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignUpOTPEmail(ctx, core.SignUpOTPEmailRequest{Email: "a@example.com", Options: &core.SignUpOptions{Locale: "fr"}}))
		}, verb: "POST", path: "/signup/otp/email", reqBody: `{"email":"a@example.com","options":{"locale":"fr"}}`},
		{name: "signUpPasswordlessSms", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignUpPasswordlessSms(ctx, core.SignUpPasswordlessSmsRequest{PhoneNumber: "+15551234567"}))
		}, verb: "POST", path: "/signup/passwordless/sms", reqBody: `{"phoneNumber":"+15551234567"}`},
		{name: "signUpIdToken", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.SignUpIdToken(ctx, core.SignUpIdTokenRequest{Provider: core.IdTokenProviderGoogle, IDToken: "id.tok.en", Nonce: "n1"}))
		}, verb: "POST", path: "/signup/idtoken", reqBody: `{"idToken":"id.tok.en","nonce":"n1","provider":"google"}`},
		{name: "tokenExchange", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.TokenExchange(ctx, core.TokenExchangeRequest{Code: "code-1", CodeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}))
		}, verb: "POST", path: "/token/exchange", reqBody: `{"code":"code-1","codeVerifier":"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}`},
		{name: "getOpenIDConfiguration", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.GetOpenIDConfiguration(ctx))
		}, verb: "GET", path: "/.well-known/openid-configuration"},
		{name: "getOAuthAuthorizationServer", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.GetOAuthAuthorizationServer(ctx))
		}, verb: "GET", path: "/.well-known/oauth-authorization-server"},
		{name: "oauth2Token", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2Token(ctx, core.OAuth2TokenRequest{GrantType: core.GrantAuthorizationCode, Code: "c 1", RedirectURI: "http://localhost:3000/cb?x=1", ClientID: "app", CodeVerifier: "v~v"}))
		}, verb: "POST", path: "/oauth2/token", reqBody: `grant_type=authorization_code&code=c+1&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1&client_id=app&code_verifier=v%7Ev`, form: true},
		{name: "oauth2UserinfoGet", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2UserinfoGet(ctx))
		}, verb: "GET", path: "/oauth2/userinfo"},
		{name: "oauth2UserinfoPost", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2UserinfoPost(ctx))
		}, verb: "POST", path: "/oauth2/userinfo"},
		{name: "oauth2Jwks", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2Jwks(ctx))
		}, verb: "GET", path: "/oauth2/jwks"},
		{name: "oauth2Revoke", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2Revoke(ctx, core.OAuth2RevokeRequest{Token: "rt*1", TokenTypeHint: core.TokenTypeHintRefreshToken}))
		}, verb: "POST", path: "/oauth2/revoke", reqBody: `token=rt*1&token_type_hint=refresh_token`, form: true},
		{name: "oauth2Introspect", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2Introspect(ctx, core.OAuth2IntrospectRequest{Token: "at", ClientID: "app", ClientSecret: "s&cret"}))
		}, verb: "POST", path: "/oauth2/introspect", reqBody: `token=at&client_id=app&client_secret=s%26cret`, form: true},
		{name: "oauth2LoginGet", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2LoginGet(ctx, &core.Oauth2LoginGetParams{RequestID: "6f1c 2"}))
		}, verb: "GET", path: "/oauth2/login", query: "request_id=6f1c%202"},
		{name: "oauth2LoginPost", call: func(ctx context.Context, c *core.Client) (any, int, core.Header, error) {
			return result(c.Oauth2LoginPost(ctx, core.OAuth2LoginRequest{RequestID: "6f1c"}))
		}, verb: "POST", path: "/oauth2/login", reqBody: `{"requestId":"6f1c"}`},
	}
}

// responseFor builds the body the server sends for a method's result
// type, from the OpenAPI document (every property filled in).
func responseFor(t *testing.T, schemas map[string]*schema, result any) string {
	switch result.(type) {
	case string:
		return `"OK"`
	case struct{}:
		return ""
	case core.GetVersionResponse200:
		return `{"version":"0.38.1-emu"}`
	}
	name := reflect.TypeOf(result).Name()
	s := schemas[name]
	require.NotNil(t, s, name)
	b, err := json.Marshal(example(schemas, s, 0))
	require.NoError(t, err)
	return string(b)
}

func TestEveryMethodSpeaksTheWireContract(t *testing.T) {
	schemas := loadSchemas(t)
	rec := newRecorder(t)
	cases := methodCases()

	// Every HTTP method of the seed has a case, and every case names a seed operation.
	var names []string
	for _, tc := range cases {
		names = append(names, tc.name)
		o := core.OperationByName(tc.name)
		require.NotNil(t, o, tc.name)
		assert.Equal(t, tc.verb, o.Method, tc.name)
		assert.Equal(t, tc.path, substitute(o.Path, tc.path), tc.name)
	}
	var httpMethods []string
	for _, n := range core.MethodNames {
		if o := core.OperationByName(n); o != nil && !o.Redirect {
			httpMethods = append(httpMethods, n)
		}
	}
	assert.ElementsMatch(t, httpMethods, names)
	assert.Len(t, core.MethodNames, 59)

	const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln"
	plain := nethttp.NewClient(rec.srv.URL)
	withToken := nethttp.NewClient(rec.srv.URL, core.AttachAccessToken(rec.srv.URL, func(context.Context) string { return token }))

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			for _, variant := range []struct {
				client   *core.Client
				wantAuth string
			}{{plain, ""}, {withToken, "Bearer " + token}} {
				// Learn the result type with a first call, then serve a full body for it.
				rec.answer(500, ``, nil)
				probe, _, _, _ := tc.call(ctx, variant.client)
				served := responseFor(t, schemas, probe)
				rec.answer(200, served, map[string]string{"X-Request-Id": "req-1"})

				got, status, headers, err := tc.call(ctx, variant.client)
				require.NoError(t, err)
				assert.Equal(t, 200, status)
				assert.Equal(t, "req-1", headers.Get("x-request-id"))

				req := rec.last
				assert.Equal(t, tc.verb, req.Method)
				assert.Equal(t, tc.path, req.URL.Path)
				assert.Equal(t, tc.query, req.URL.RawQuery)
				assert.Equal(t, variant.wantAuth, req.Header.Get("Authorization"))
				if tc.reqBody == "" {
					assert.Empty(t, string(rec.body))
				} else {
					assert.Equal(t, tc.reqBody, string(rec.body), "request body")
					if tc.form {
						assert.Equal(t, "application/x-www-form-urlencoded", req.Header.Get("Content-Type"))
					} else {
						assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
					}
				}

				// The decoded result carries exactly what the server sent.
				switch v := got.(type) {
				case string:
					assert.Equal(t, "OK", v)
				case struct{}:
				default:
					ptr := reflect.New(reflect.TypeOf(v))
					ptr.Elem().Set(reflect.ValueOf(v))
					enc, err := codec.Marshal(ptr.Interface().(codec.Marshaler))
					require.NoError(t, err)
					assert.JSONEq(t, served, string(enc))
				}
			}
		})
	}
}

func substitute(pattern, path string) string {
	if pattern == "/signin/provider/{provider}/callback/tokens" || pattern == "/token/provider/{provider}" {
		return path
	}
	return pattern
}

func TestRequestOptionsAndOptionalBodies(t *testing.T) {
	rec := newRecorder(t)
	c := nethttp.NewClient(rec.srv.URL+"/", core.AttachAccessToken(rec.srv.URL, func(context.Context) string { return "session-token" }))
	ctx := context.Background()

	// An explicit Authorization header wins over the middleware's.
	rec.answer(200, `"OK"`, nil)
	_, err := c.VerifyToken(ctx, nil, core.WithBearer("explicit"), core.WithHeader("X-Trace", "t1"))
	require.NoError(t, err)
	assert.Equal(t, "Bearer explicit", rec.last.Header.Get("Authorization"))
	assert.Equal(t, "t1", rec.last.Header.Get("X-Trace"))
	assert.Empty(t, rec.body, "nil optional body sends no body")
	assert.Equal(t, "application/json", rec.last.Header.Get("Content-Type"), "as nhost-js, even without a body")
	assert.Equal(t, "/token/verify", rec.last.URL.Path, "trailing slash of the base URL dropped")

	rec.answer(200, `{"session":null}`, nil)
	res, err := c.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	assert.Nil(t, res.Body.Session)
	assert.Empty(t, rec.body)
}

func TestTokensGoOnlyToTheAuthOrigin(t *testing.T) {
	rec := newRecorder(t)
	other := newRecorder(t)
	c := nethttp.NewClient(rec.srv.URL, core.AttachAccessToken(rec.srv.URL, func(context.Context) string { return "secret" }))
	// A request built for another origin (say, by a user's middleware) gets no token.
	other.answer(200, `"OK"`, nil)
	_, err := c.Do(context.Background(), &core.Request{Method: "GET", URL: other.srv.URL + "/healthz"})
	require.NoError(t, err)
	assert.Empty(t, other.last.Header.Get("Authorization"))
}

func TestOriginParsing(t *testing.T) {
	for in, want := range map[string]string{
		"https://sub.auth.eu-central-1.nhost.run/v1": "https://sub.auth.eu-central-1.nhost.run",
		"HTTPS://Sub.Example.COM:443/x?y#z":          "https://sub.example.com",
		"http://127.0.0.1:4000":                      "http://127.0.0.1:4000",
		"http://localhost:80/":                       "http://localhost",
		"http://user:pw@host:8080/p":                 "http://host:8080",
		"http://[::1]:4000/v1":                       "http://[::1]:4000",
		"ftp://host/":                                "",
		"/relative/path":                             "",
		"":                                           "",
	} {
		assert.Equal(t, want, core.Origin(in), in)
	}
}

func TestChainOrderFirstPushedIsOutermost(t *testing.T) {
	rec := newRecorder(t)
	rec.answer(200, `"OK"`, nil)
	var mu sync.Mutex
	var trace []string
	mark := func(name string) core.ChainFunc {
		return func(next core.FetchFunc) core.FetchFunc {
			return func(ctx context.Context, req *core.Request) (*core.Response, error) {
				mu.Lock()
				trace = append(trace, "before "+name)
				mu.Unlock()
				req.Header.Add("X-Chain", name)
				res, err := next(ctx, req)
				mu.Lock()
				trace = append(trace, "after "+name)
				mu.Unlock()
				return res, err
			}
		}
	}
	c := nethttp.NewClient(rec.srv.URL, mark("a"))
	c.PushChainFunction(mark("b"))
	c.PushChainFunction(mark("c"))
	_, err := c.HealthCheckGet(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"before a", "before b", "before c", "after c", "after b", "after a"}, trace)
	assert.Equal(t, "a, b, c", rec.last.Header.Get("X-Chain"))

	// A chain function can answer without the network, and can rewrite responses.
	c.PushChainFunction(func(core.FetchFunc) core.FetchFunc {
		return func(context.Context, *core.Request) (*core.Response, error) {
			return &core.Response{Status: 200, Header: core.Header{}, Body: []byte(`{"version":"from-middleware"}`)}, nil
		}
	})
	v, err := c.GetVersion(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "from-middleware", v.Body.Version)
}

// Every operation with a body has a body type, and only those.
func TestNewRequestBodyCoversEveryOperation(t *testing.T) {
	assert.Len(t, core.Operations, 58)
	for _, o := range core.Operations {
		name := o.Name
		b := core.NewRequestBody(name)
		if o.Body == core.BodyNone && !o.Query {
			assert.Nil(t, b, name)
		} else {
			assert.NotNil(t, b, name)
		}
	}
}

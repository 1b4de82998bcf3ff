package emulator_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

type rawResult struct {
	status  int
	ctype   string
	body    string
	headers http.Header
}

func raw(t *testing.T, method, url, ctype, body string, headers ...string) rawResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body == "" {
		req.Body = http.NoBody
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	return rawResult{res.StatusCode, res.Header.Get("Content-Type"), readAll(res.Body), res.Header}
}

// The real server validates every request against the OpenAPI document
// and answers in its own shapes (probe.md §0, §12, §13).
func TestValidationShapes(t *testing.T) {
	e := start(t, dev)
	signin := e.URL + "/signin/email-password"
	const js = "application/json"
	const prefix = `{"error":"error in openapi3filter.RequestError: request body has an error: `
	for _, tc := range []struct {
		name, ctype, body, want string
	}{
		{"unknown field", js, `{"email":"a@example.com","password":"abc","foo":1}`,
			prefix + `doesn't match schema #/components/schemas/SignInEmailPasswordRequest: property \"foo\" is unsupported"}`},
		{"missing field", js, `{"email":"a@example.com"}`,
			prefix + `doesn't match schema #/components/schemas/SignInEmailPasswordRequest: Error at \"/password\": property \"password\" is missing"}`},
		{"wrong type", js, `{"email":"a@example.com","password":5}`,
			prefix + `doesn't match schema #/components/schemas/SignInEmailPasswordRequest: Error at \"/password\": value must be a string"}`},
		{"invalid JSON", js, `{"email":`, prefix + `failed to decode request body: unexpected EOF"}`},
		{"text/plain", "text/plain", `{}`, prefix + `header Content-Type has unexpected value \"text/plain\""}`},
		{"form", "application/x-www-form-urlencoded", `a=b`, prefix + `header Content-Type has unexpected value \"application/x-www-form-urlencoded\""}`},
		{"array", js, `[]`, prefix + `doesn't match schema #/components/schemas/SignInEmailPasswordRequest: value must be an object"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := raw(t, "POST", signin, tc.ctype, tc.body)
			assert.Equal(t, 400, r.status)
			assert.Equal(t, "application/json; charset=utf-8", r.ctype)
			assert.Equal(t, tc.want, r.body, "no message, no status, no trailing newline")
		})
	}

	// Length, pattern and format rules of the spec.
	signup := e.URL + "/signup/email-password"
	for body, want := range map[string]string{
		`{"email":"a@example.com","password":"ab"}`:                                  `Error at \"/password\": minimum string length is 3`,
		`{"email":"a@example.com","password":"` + strings.Repeat("x", 51) + `"}`:     `Error at \"/password\": maximum string length is 50`,
		`{"email":"a@example.com","password":"abc","options":{"displayName":"a_b"}}`: `Error at \"/options/displayName\": string doesn't match the regular expression`,
		`{"email":"a@example.com","password":"abc","options":{"locale":""}}`:         `Error at \"/options/locale\": minimum string length is 2`,
		`{"email":"a@example.com","password":"abc","options":{"metadata":"str"}}`:    `Error at \"/options/metadata\": value must be an object`,
		`{"email":"a@example.com","password":"abc","options":{"foo":1}}`:             `Error at \"/options\": property \"foo\" is unsupported`,
		`{"email":"a@example.com","password":"abc","options":{"locale":"english"}}`:  `Error at \"/options/locale\": maximum string length is 3`,
	} {
		r := raw(t, "POST", signup, js, body)
		assert.Equal(t, 400, r.status, body)
		assert.Contains(t, r.body, want, body)
	}
	r := raw(t, "POST", e.URL+"/token", js, `{"refreshToken":"not-a-uuid"}`)
	assert.Contains(t, r.body, `RefreshTokenRequest: Error at \"/refreshToken\": string doesn't match the regular expression`)
	r = raw(t, "POST", e.URL+"/token", js, `{}`)
	assert.Contains(t, r.body, `property \"refreshToken\" is missing`)
	r = raw(t, "POST", e.URL+"/signout", js, ``)
	assert.Contains(t, r.body, `request body has an error: value is required but missing`)

	// A malformed email address: 400 with an empty body and no Content-Type.
	for _, body := range []string{`{"email":"not-an-email","password":"abc"}`, `{"email":"  x@example.com","password":"abc"}`} {
		for _, path := range []string{"/signin/email-password", "/signup/email-password"} {
			r := raw(t, "POST", e.URL+path, js, body)
			assert.Equal(t, 400, r.status, path+body)
			assert.Equal(t, "", r.body)
			assert.Equal(t, "", r.ctype)
		}
	}

	// application/json; charset=utf-8 is accepted; trailing garbage is ignored.
	r = raw(t, "POST", signin, "application/json; charset=utf-8", `{"email":"nobody@example.com","password":"abc"}`)
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "application/json", r.ctype)
	assert.Equal(t, `{"error":"invalid-email-password","message":"Incorrect email or password","status":401}`+"\n", r.body)
}

func TestBearerErrors(t *testing.T) {
	e, clock := startClocked(t, with(dev, "AUTH_ACCESS_TOKEN_EXPIRES_IN", "1"))
	c := e.client()
	sess := signUp(t, c, newEmail("bearer"), nil)
	const sec = "error in openapi3filter.SecurityRequirementsError: security requirements failed: "
	for _, tc := range []struct{ header, want string }{
		{"", "invalid authorization header"},
		{"bearer " + sess.AccessToken, "invalid authorization header"},
		{"Bearer abc", "error validating token: error parsing token: token is malformed: token contains an invalid number of segments"},
	} {
		var opts []core.RequestOption
		if tc.header != "" {
			opts = append(opts, core.WithHeader("Authorization", tc.header))
		}
		_, err := c.GetUser(ctx, opts...)
		fe := fetchErr(t, err)
		assert.Equal(t, 400, fe.Status, "the real server answers 400, not 401")
		assert.Equal(t, sec+tc.want, fe.Error())
		assert.Equal(t, map[string]any{"error": sec + tc.want}, fe.Body)
	}
	// Expired access tokens: the server's clock moves on.
	clock.Advance(1100 * time.Millisecond)
	_, err := c.GetUser(ctx, core.WithBearer(sess.AccessToken))
	assert.Equal(t, sec+"error validating token: error parsing token: token has invalid claims: token is expired", fetchErr(t, err).Error())
	_, err = c.VerifyToken(ctx, &core.VerifyTokenRequest{Token: sess.AccessToken})
	assert.Equal(t, core.ErrInvalidRequest, fetchErr(t, err).Code())
	// The refresh token still works and gives a fresh access token.
	ref, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: sess.RefreshToken})
	require.NoError(t, err)
	assert.Equal(t, int64(1), ref.Body.AccessTokenExpiresIn)
	_, err = c.GetUser(ctx, core.WithBearer(ref.Body.AccessToken))
	require.NoError(t, err)
}

func TestDisabledUser(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	email := newEmail("disabled")
	sess := signUp(t, c, email, nil)

	// Admins disable users in the database; so does this test, in the live file.
	store, err := emulator.OpenStore(e.DB)
	require.NoError(t, err)
	defer store.Close()
	require.NoError(t, store.SetDisabled(ctx, sess.User.ID, true))

	for _, pw := range []string{"Passw0rd!", "wrong"} {
		_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: pw})
		fe := fetchErr(t, err)
		assert.Equal(t, 401, fe.Status)
		assert.Equal(t, core.ErrDisabledUser, fe.Code())
	}
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: sess.RefreshToken})
	assert.Equal(t, core.ErrDisabledUser, fetchErr(t, err).Code())
	_, err = c.GetUser(ctx, core.WithBearer(sess.AccessToken))
	assert.Equal(t, core.ErrDisabledUser, fetchErr(t, err).Code())
	_, err = c.VerifyToken(ctx, &core.VerifyTokenRequest{Token: sess.AccessToken})
	require.NoError(t, err, "signature and expiry only")
}

func TestCORS(t *testing.T) {
	e := start(t, dev)
	r := raw(t, "OPTIONS", e.URL+"/signin/email-password", "", "", "Origin", "http://localhost:5173",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
	assert.Equal(t, 204, r.status)
	assert.Equal(t, "true", r.headers.Get("Access-Control-Allow-Credentials"))
	assert.Equal(t, "content-type", r.headers.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "POST, GET", r.headers.Get("Access-Control-Allow-Methods"))
	assert.Equal(t, "http://localhost:5173", r.headers.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "86400", r.headers.Get("Access-Control-Max-Age"))
	assert.Equal(t, "Origin, Access-Control-Request-Method", r.headers.Get("Vary"))

	r = raw(t, "OPTIONS", e.URL+"/does/not/exist", "", "")
	assert.Equal(t, 204, r.status, "any path")
	assert.Empty(t, r.headers.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", r.headers.Get("Access-Control-Allow-Credentials"))

	for _, path := range []string{"/version", "/nope", "/user"} {
		r = raw(t, "GET", e.URL+path, "", "", "Origin", "https://evil.example")
		assert.Equal(t, "https://evil.example", r.headers.Get("Access-Control-Allow-Origin"), path)
		assert.Equal(t, "true", r.headers.Get("Access-Control-Allow-Credentials"), path)
		assert.Empty(t, r.headers.Get("Access-Control-Expose-Headers"))
	}
	r = raw(t, "GET", e.URL+"/version", "", "")
	assert.Empty(t, r.headers.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, r.headers.Get("Access-Control-Allow-Credentials"))
}

func TestFeaturesOffAreDisabledEndpoints(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: "a@example.com"})
	fe := fetchErr(t, err)
	assert.Equal(t, 409, fe.Status)
	assert.Equal(t, core.ErrDisabledEndpoint, fe.Code())
	assert.Equal(t, "This endpoint is disabled", fe.Error())
	_, err = c.SignUpWebauthn(ctx, core.SignUpWebauthnRequest{Email: "a@example.com"})
	assert.Equal(t, core.ErrDisabledEndpoint, fetchErr(t, err).Code())

	// An OAuth provider that is not configured redirects back with the error.
	for _, tc := range []struct{ url, want string }{
		{c.SignInProviderURL(core.ProviderGitHub, &core.SignInProviderParams{RedirectTo: "http://127.0.0.1:3000/cb?a=1", State: "s", ProviderSpecificParams: &core.ProviderSpecificParams{Connection: "x"}}),
			"http://127.0.0.1:3000/cb?a=1&error=disabled-endpoint&errorDescription=This+endpoint+is+disabled"},
		{c.SignInProviderURL(core.ProviderGoogle, nil), "http://127.0.0.1:3000?error=disabled-endpoint&errorDescription=This+endpoint+is+disabled"},
	} {
		r := raw(t, "GET", tc.url, "", "")
		assert.Equal(t, 302, r.status, tc.url)
		assert.Equal(t, tc.want, r.headers.Get("Location"))
	}
	// A foreign redirectTo is refused before any provider is looked at,
	// with JSON, not a redirect, as the current server does.
	r := raw(t, "GET", c.SignInProviderURL(core.ProviderApple, &core.SignInProviderParams{RedirectTo: "https://evil.example"}), "", "")
	assert.Equal(t, 400, r.status)
	assert.Equal(t, `{"error":"redirectTo-not-allowed","message":"The value of \"options.redirectTo\" is not allowed.","status":400}`+"\n", r.body)
	r = raw(t, "GET", e.URL+"/signin/provider/myspace", "", "")
	assert.Equal(t, 400, r.status)
	assert.Contains(t, r.body, `parameter \"provider\" in path has an error: value is not one of the allowed values`)

	// /verify: missing parameters in the router's shape, bad type, bad ticket.
	r = raw(t, "GET", e.URL+"/verify", "", "")
	assert.Equal(t, `{"msg":"Query argument ticket is required, but not found"}`, r.body)
	r = raw(t, "GET", e.URL+"/verify?ticket=x", "", "")
	assert.Equal(t, 400, r.status)
	assert.Equal(t, `{"msg":"Query argument redirectTo is required, but not found"}`, r.body)
	r = raw(t, "GET", c.VerifyTicketURL(&core.VerifyTicketParams{Ticket: "verifyEmail:nope", RedirectTo: "http://127.0.0.1:3000/v"}), "", "")
	assert.Equal(t, "http://127.0.0.1:3000/v?error=invalid-ticket&errorDescription=Invalid+ticket", r.headers.Get("Location"))
	r = raw(t, "GET", e.URL+"/verify?ticket=x&type=bogus&redirectTo=http://127.0.0.1:3000", "", "")
	assert.Contains(t, r.body, `parameter \"type\" in query has an error: value is not one of the allowed values`)
	// A redirect target that is not allowed goes to the client URL, and does
	// not leak into later redirects (the real server's bug is not copied).
	r = raw(t, "GET", e.URL+"/verify?ticket=x&redirectTo=https://evil.example", "", "")
	assert.Equal(t, "http://127.0.0.1:3000?error=redirectTo-not-allowed&errorDescription=The+value+of+%22options.redirectTo%22+is+not+allowed.", r.headers.Get("Location"))
	r = raw(t, "GET", c.SignInProviderURL(core.ProviderGoogle, nil), "", "")
	assert.Equal(t, "http://127.0.0.1:3000?error=disabled-endpoint&errorDescription=This+endpoint+is+disabled", r.headers.Get("Location"))
}

func TestDataSurvivesARestart(t *testing.T) {
	env := with(dev, "AUTH_EMULATOR_DB", t.TempDir()+"/persist.db")
	first := start(t, env)
	email := newEmail("persist")
	sess := signUp(t, first.client(), email, &core.SignUpOptions{Metadata: map[string]any{"k": "v"}})
	first.stop(t)

	second := start(t, env)
	c := second.client()
	_, err := c.GetUser(ctx, core.WithBearer(sess.AccessToken))
	require.NoError(t, err, "same signing key after a restart")
	ref, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: sess.RefreshToken})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"k": "v"}, ref.Body.User.Metadata)
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	require.NoError(t, err)

	store, err := emulator.OpenStore(env["AUTH_EMULATOR_DB"])
	require.NoError(t, err)
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, emulator.SchemaVersion, v)
}

func TestInMemoryDatabase(t *testing.T) {
	e := start(t, with(dev, "AUTH_EMULATOR_DB", ":memory:"))
	signUp(t, e.client(), newEmail("mem"), nil)
}

func TestEnvOnlyConfiguration(t *testing.T) {
	port := freePort(t)
	e := start(t, with(dev, "AUTH_PORT", itoa(port)))
	assert.Equal(t, "http://127.0.0.1:"+itoa(port), e.URL)
	_, err := e.client().HealthCheckGet(ctx)
	require.NoError(t, err)

	// Flags override the environment; --dev turns on anonymous users.
	f := start(t, nil, "--dev", "--port", "0", "--access-token-expires-in", "60")
	res, err := f.client().SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(60), res.Body.Session.AccessTokenExpiresIn)
}

func TestConcurrentSignIns(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	email := newEmail("many")
	signUp(t, c, email, nil)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	ids := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
			if err != nil {
				errs <- err
				return
			}
			ids <- res.Body.Session.RefreshTokenID
		}()
	}
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	assert.Len(t, seen, n, "one session each")
}

func TestConcurrentRefreshOfOneTokenHasOneWinner(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	sess := signUp(t, c, newEmail("race"), nil)
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, losses := 0, 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: sess.RefreshToken})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				wins++
			} else if fetchErr(t, err).Code() == core.ErrInvalidRefreshToken {
				losses++
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
	assert.Equal(t, n-1, losses)
}

func itoa(n int) string { return strconvItoa(n) }

// A body over 1 MB is refused with 413 before it is read: by its length,
// or while streaming; the server goes on answering.
func TestLargeBodiesAreRefused(t *testing.T) {
	e := start(t, dev)
	// Announced: 100 MB; the answer comes after a few bytes of it.
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /signin/email-password HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Content-Length: 104857600\r\n\r\n{\"email\":\"")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 413, res.StatusCode)

	// Streamed (no length): refused once 1 MB has been read; the client may
	// see the answer or the connection closed under its writes.
	pr, pw := io.Pipe()
	go func() {
		chunk := []byte(`{"email":"` + strings.Repeat("a", 64<<10))
		for i := 0; i < 1600; i++ { // 100 MB
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	t0 := time.Now()
	req, err := http.NewRequest("POST", e.URL+"/signin/email-password", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, 413, res.StatusCode, string(b))
	}
	pr.CloseWithError(io.EOF)
	assert.Less(t, time.Since(t0), 10*time.Second)

	_, err = e.client().SignInAnonymous(ctx, nil)
	assert.NoError(t, err, "the server goes on")
}

// Where the emulator answered otherwise than the real server, request by
// request (issue 13's list): each case, as the real server answers.
// The differences found comparing the emulator with the real server
// request by request, one row each: what the real server answers (or,
// where its newer version differs, what that one does, said in the name).
func TestWireDifferencesFixed(t *testing.T) {
	base := with(dev, "AUTH_EMULATOR_BCRYPT_COST", "4")
	const js = "application/json"
	for _, tc := range []struct {
		name string
		env  map[string]string
		do   func(t *testing.T, e *emu) rawResult
		// want: status, and the body exactly (body) or a part of it (has)
		status    int
		body, has string
	}{
		{name: "GET /user for a user made without metadata: metadata null, not {}", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				s := signUp(t, e.client(), newEmail("wire-meta"), nil)
				return raw(t, "GET", e.URL+"/user", "", "", "Authorization", "Bearer "+s.AccessToken)
			}, status: 200, has: `"metadata":null`},
		{name: "deanonymize keeps the anonymous user's empty avatarUrl, no Gravatar", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				c := e.client()
				anon, err := c.SignInAnonymous(ctx, nil)
				require.NoError(t, err)
				bearer := "Bearer " + anon.Body.Session.AccessToken
				r := raw(t, "POST", e.URL+"/user/deanonymize", js, `{"signInMethod":"email-password","email":"`+newEmail("wire-deanon")+`","password":"Passw0rd!"}`, "Authorization", bearer)
				require.Equal(t, 200, r.status, r.body)
				return raw(t, "GET", e.URL+"/user", "", "", "Authorization", bearer)
			}, status: 200, has: `"avatarUrl":""`},
		{name: "a bad email on disabled magic links: 400 with no body, not 409", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				return raw(t, "POST", e.URL+"/signin/passwordless/email", js, `{"email":"not-an-address@"}`)
			}, status: 400, body: ""},
		{name: "a bad email on disabled email one-time passwords: 400, not 409", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				return raw(t, "POST", e.URL+"/signin/otp/email", js, `{"email":"not-an-address@"}`)
			}, status: 400, body: ""},
		{name: "a bad email on disabled magic-link sign-up: 400, not 409", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				return raw(t, "POST", e.URL+"/signup/passwordless/email", js, `{"email":"not-an-address@"}`)
			}, status: 400, body: ""},
		{name: "a bad email on disabled WebAuthn sign-up: 400, not 409", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				return raw(t, "POST", e.URL+"/signup/webauthn", js, `{"email":"not-an-address@"}`)
			}, status: 400, body: ""},
		{name: "POST /user/mfa with a code, no activeMfaType, MFA not active: 401 disabled-mfa-totp, not invalid-totp",
			env: with(base, "AUTH_MFA_ENABLED", "true"),
			do: func(t *testing.T, e *emu) rawResult {
				c := e.client()
				s := signUp(t, c, newEmail("wire-mfa"), nil)
				_, err := c.ChangeUserMfa(ctx, core.WithBearer(s.AccessToken))
				require.NoError(t, err)
				return raw(t, "POST", e.URL+"/user/mfa", js, `{"code":"123456"}`, "Authorization", "Bearer "+s.AccessToken)
			}, status: 401, has: `"error":"disabled-mfa-totp"`},
		{name: "createPAT with an expiresAt without offset: past the validator, refused by binding: 400 with no body", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				s := signUp(t, e.client(), newEmail("wire-pat"), nil)
				return raw(t, "POST", e.URL+"/pat", js, `{"expiresAt":"2030-01-01T00:00:00"}`, "Authorization", "Bearer "+s.AccessToken)
			}, status: 400, body: ""},
		{name: "password reset email: heading banner, footer, the label Reset Password",
			env: with(base, "AUTH_EMAIL_PASSWORDLESS_ENABLED", "true"),
			do: func(t *testing.T, e *emu) rawResult {
				email := newEmail("wire-reset")
				signUp(t, e.client(), email, nil)
				require.Equal(t, 200, raw(t, "POST", e.URL+"/user/password/reset", js, `{"email":"`+email+`"}`).status)
				return raw(t, "GET", e.URL+"/emulator/mail/"+mailboxMessages(t, e, "?to="+email)[0].ID+"/html", "", "")
			}, status: 200, has: `>Reset Password</a>`},
		{name: "email change email: the label Change Email", env: base,
			do: func(t *testing.T, e *emu) rawResult {
				s := signUp(t, e.client(), newEmail("wire-change"), nil)
				to := newEmail("wire-changed")
				require.Equal(t, 200, raw(t, "POST", e.URL+"/user/email/change", js, `{"newEmail":"`+to+`"}`, "Authorization", "Bearer "+s.AccessToken).status)
				return raw(t, "GET", e.URL+"/emulator/mail/"+mailboxMessages(t, e, "?to="+to)[0].ID+"/html", "", "")
			}, status: 200, has: `>Change Email</a>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do(t, start(t, tc.env))
			assert.Equal(t, tc.status, r.status, r.body)
			if tc.has != "" {
				assert.Contains(t, r.body, tc.has)
			} else {
				assert.Equal(t, tc.body, r.body)
			}
		})
	}
}

package emulator_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

// smsCode reads the last code sent to a number from the dev endpoint.
func smsCode(t *testing.T, e *emu, phone string) string {
	t.Helper()
	res, err := http.Get(e.URL + "/emulator/sms?phoneNumber=" + url.QueryEscape(phone))
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	var m struct{ PhoneNumber, Body, Code, SentAt string }
	require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
	assert.Equal(t, phone, m.PhoneNumber)
	assert.Equal(t, "Your code is "+m.Code+".", m.Body)
	return m.Code
}

func TestSMSPasswordless(t *testing.T) {
	e, _ := startWithMail(t)
	c := e.client()
	phone := fmt.Sprintf("+1555%07d", time.Now().UnixNano()%1e7)
	_, err := c.SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: phone})
	require.NoError(t, err)
	otpCode := smsCode(t, e, phone)
	assert.Regexp(t, `^\d{6}$`, otpCode)
	e.waitLog(t, regexp.MustCompile(`Dev SMS kept in the mailbox.*to=`+regexp.QuoteMeta(phone)))
	for _, l := range e.Logs() {
		assert.NotContains(t, l, otpCode, "codes stay out of the log")
	}

	wrong := "000000"
	if otpCode == wrong {
		wrong = "111111"
	}
	_, err = c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: phone, Otp: wrong})
	fe := fetchErr(t, err)
	assert.Equal(t, 400, fe.Status, "the real server answers 400 here, not 401")
	assert.Equal(t, core.ErrInvalidRequest, fe.Code())
	res, err := c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: phone, Otp: otpCode})
	require.NoError(t, err, "a wrong code does not burn the OTP")
	u := res.Body.Session.User
	assert.Equal(t, phone, u.PhoneNumber)
	assert.True(t, u.PhoneNumberVerified)
	assert.Equal(t, phone, u.DisplayName)
	assert.Empty(t, u.Email)
	_, err = c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: phone, Otp: otpCode})
	assert.Equal(t, core.ErrInvalidRequest, code(t, err), "a code works once")
	_, err = c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: "+15550000000", Otp: otpCode})
	assert.Equal(t, core.ErrInvalidRequest, code(t, err), "unknown number")

	// Phone-only users: GET /user fails the email check; refresh works.
	_, err = c.GetUser(ctx, core.WithBearer(res.Body.Session.AccessToken))
	assert.Equal(t, core.ErrInvalidEmailPassword, code(t, err))
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: res.Body.Session.RefreshToken})
	require.NoError(t, err)

	// A new number with options.
	other := phone + "9"
	_, err = c.SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: other,
		Options: &core.SignUpOptions{AllowedRoles: []string{"me"}, DefaultRole: "me", DisplayName: "Pho", Metadata: map[string]any{"k": "v"}}})
	require.NoError(t, err)
	res, err = c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: other, Otp: smsCode(t, e, other)})
	require.NoError(t, err)
	assert.Equal(t, "Pho", res.Body.Session.User.DisplayName)
	assert.Equal(t, []string{"me"}, res.Body.Session.User.Roles)

	// The dev endpoint exists only with the dev provider on.
	off := start(t, dev)
	r, err := http.Get(off.URL + "/emulator/sms?phoneNumber=" + url.QueryEscape(phone))
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 404, r.StatusCode)
	_, err = off.client().SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: phone})
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err))
}

func totpCode(t *testing.T, secret string, at time.Time) string {
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(t, err)
	return c
}

func TestTOTP(t *testing.T) {
	e, _ := startWithMail(t)
	c := e.client()
	email := newEmail("totp")
	sess := signUp(t, c, email, nil)
	bearer := core.WithBearer(sess.AccessToken)
	totpOn := &[]core.UserMfaRequestActiveMfaType{core.MfaTypeTotp}[0]
	totpOff := &[]core.UserMfaRequestActiveMfaType{core.MfaTypeNone}[0]

	_, err := c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: "123456", ActiveMfaType: totpOn}, bearer)
	assert.Equal(t, core.ErrNoTotpSecret, code(t, err), "activate before generate")
	_, err = c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: "123456", ActiveMfaType: totpOff}, bearer)
	assert.Equal(t, core.ErrDisabledMfaTotp, code(t, err), "deactivate when never active")

	gen, err := c.ChangeUserMfa(ctx, bearer)
	require.NoError(t, err)
	secret := gen.Body.TotpSecret
	assert.Regexp(t, `^[A-Z2-7]{52}$`, secret, "32 random bytes, base32, no padding")
	require.True(t, strings.HasPrefix(gen.Body.ImageURL, "data:image/png;base64,"))
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(gen.Body.ImageURL, "data:image/png;base64,"))
	require.NoError(t, err)
	assert.Equal(t, "\x89PNG", string(png[:4]))
	gen2, err := c.ChangeUserMfa(ctx, bearer)
	require.NoError(t, err)
	assert.NotEqual(t, secret, gen2.Body.TotpSecret, "a new secret each time")
	secret = gen2.Body.TotpSecret

	_, err = c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: "000000", ActiveMfaType: totpOn}, bearer)
	assert.Equal(t, core.ErrInvalidTotp, code(t, err))
	_, err = c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: totpCode(t, secret, time.Now()), ActiveMfaType: totpOn}, bearer)
	require.NoError(t, err)
	me, err := c.GetUser(ctx, bearer)
	require.NoError(t, err)
	require.NotNil(t, me.Body.ActiveMfaType)
	assert.Equal(t, "totp", *me.Body.ActiveMfaType)
	_, err = c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: totpCode(t, secret, time.Now()), ActiveMfaType: totpOn}, bearer)
	assert.Equal(t, core.ErrTotpAlreadyActive, code(t, err))

	signIn := func() string {
		res, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
		require.NoError(t, err)
		require.Nil(t, res.Body.Session, "no session before the second factor")
		require.NotNil(t, res.Body.Mfa)
		assert.Regexp(t, `^mfaTotp:[0-9a-f-]{36}$`, res.Body.Mfa.Ticket)
		return res.Body.Mfa.Ticket
	}
	ticket := signIn()
	in, err := c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: ticket, Otp: totpCode(t, secret, time.Now())})
	require.NoError(t, err)
	assert.Nil(t, in.Body.Session.User.ActiveMfaType, "always null in a session")
	_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: ticket, Otp: totpCode(t, secret, time.Now())})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err), "a ticket works once")

	// A wrong code uses the ticket up.
	ticket = signIn()
	_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: ticket, Otp: "000000"})
	assert.Equal(t, core.ErrInvalidTotp, code(t, err))
	_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: ticket, Otp: totpCode(t, secret, time.Now())})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err))

	// Skew: one 30 s step either way, not two.
	for _, d := range []time.Duration{-30 * time.Second, 30 * time.Second} {
		_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: signIn(), Otp: totpCode(t, secret, time.Now().Add(d))})
		assert.NoError(t, err, "step %v", d)
	}
	_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: signIn(), Otp: totpCode(t, secret, time.Now().Add(-90*time.Second))})
	assert.Equal(t, core.ErrInvalidTotp, code(t, err))
	_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: "mfaTotp:" + "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24", Otp: "123456"})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err))
	_, err = c.VerifySignInMfaTotp(ctx, core.SignInMfaTotpRequest{Ticket: "garbage", Otp: "123456"})
	assert.Contains(t, fetchErr(t, err).Error(), `"^mfaTotp:.*$"`)

	// Deactivate: wrong code, then right; sign-in gives a session again.
	_, err = c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: "000000", ActiveMfaType: totpOff}, bearer)
	assert.Equal(t, core.ErrInvalidTotp, code(t, err))
	_, err = c.VerifyChangeUserMfa(ctx, core.UserMfaRequest{Code: totpCode(t, secret, time.Now()), ActiveMfaType: totpOff}, bearer)
	require.NoError(t, err)
	res, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	require.NoError(t, err)
	assert.NotNil(t, res.Body.Session)

	anon, err := c.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	_, err = c.ChangeUserMfa(ctx, core.WithBearer(anon.Body.Session.AccessToken))
	assert.Equal(t, core.ErrForbiddenAnonymous, code(t, err))
	off := start(t, with(dev, "AUTH_EMULATOR_BCRYPT_COST", "4")).client()
	offSess := signUp(t, off, newEmail("totp-off"), nil)
	_, err = off.ChangeUserMfa(ctx, core.WithBearer(offSess.AccessToken))
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err), "off by default")
}

func TestPersonalAccessTokens(t *testing.T) {
	e, _ := startWithMail(t)
	c := e.client()
	sess := signUp(t, c, newEmail("pat"), nil)
	bearer := core.WithBearer(sess.AccessToken)
	pat, err := c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339), Metadata: map[string]any{"name": "ci"}}, bearer)
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f-]{36}$`, pat.Body.ID)
	token := pat.Body.PersonalAccessToken
	for i := 0; i < 2; i++ {
		in, err := c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: token})
		require.NoError(t, err, "reusable")
		assert.Equal(t, sess.User.ID, in.Body.Session.User.ID)
		_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: in.Body.Session.RefreshToken})
		require.NoError(t, err)
	}
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: token})
	assert.Equal(t, core.ErrInvalidRefreshToken, code(t, err), "a PAT is not a refresh token")

	past, err := c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "2020-01-01T00:00:00Z"}, bearer)
	require.NoError(t, err, "a date in the past is accepted")
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: past.Body.PersonalAccessToken})
	assert.Equal(t, core.ErrInvalidPAT, code(t, err))
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"})
	assert.Equal(t, core.ErrInvalidPAT, code(t, err))

	// Failures of creation.
	_, err = c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "2030-01-01T00:00:00Z"})
	assert.Contains(t, fetchErr(t, err).Error(), "invalid authorization header")
	_, err = c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "tomorrow"}, bearer)
	assert.Contains(t, fetchErr(t, err).Error(), `doesn't match the format "date-time"`)
	anon, err := c.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	_, err = c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "2030-01-01T00:00:00Z"}, core.WithBearer(anon.Body.Session.AccessToken))
	assert.Equal(t, core.ErrForbiddenAnonymous, code(t, err))

	// Sign-out with the PAT deletes it; sign-out all deletes every PAT.
	_, err = c.SignOut(ctx, core.SignOutRequest{RefreshToken: token})
	require.NoError(t, err)
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: token})
	assert.Equal(t, core.ErrInvalidPAT, code(t, err))
	another, err := c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "2030-01-01T00:00:00Z"}, bearer)
	require.NoError(t, err)
	_, err = c.SignOut(ctx, core.SignOutRequest{All: true}, bearer)
	require.NoError(t, err)
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: another.Body.PersonalAccessToken})
	assert.Equal(t, core.ErrInvalidPAT, code(t, err))

	// Disabled users cannot use theirs.
	sess2 := signUp(t, c, newEmail("pat-disabled"), nil)
	p2, err := c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: "2030-01-01T00:00:00Z"}, core.WithBearer(sess2.AccessToken))
	require.NoError(t, err)
	disable(t, e, sess2.User.ID)
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: p2.Body.PersonalAccessToken})
	assert.Equal(t, core.ErrDisabledUser, code(t, err))
}

// A PAT lives until its expiresAt, on the server's clock.
func TestPersonalAccessTokenExpiry(t *testing.T) {
	e, clock := startClocked(t, with(dev, "AUTH_EMULATOR_BCRYPT_COST", "4"))
	c := e.client()
	sess := signUp(t, c, newEmail("pat-expiry"), nil)
	expires := clock.Now().Add(time.Minute).Truncate(time.Second)
	short, err := c.CreatePAT(ctx, core.CreatePATRequest{ExpiresAt: expires.UTC().Format(time.RFC3339)}, core.WithBearer(sess.AccessToken))
	require.NoError(t, err)
	clock.Advance(expires.Sub(clock.Now()) - time.Millisecond)
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: short.Body.PersonalAccessToken})
	require.NoError(t, err, "good until its time")
	clock.Advance(2 * time.Millisecond)
	_, err = c.SignInPAT(ctx, core.SignInPATRequest{PersonalAccessToken: short.Body.PersonalAccessToken})
	fe := fetchErr(t, err)
	assert.Equal(t, 401, fe.Status)
	assert.Equal(t, core.ErrInvalidPAT, fe.Code())
}

func TestDeanonymize(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	anon, err := c.SignInAnonymous(ctx, &core.SignInAnonymousRequest{DisplayName: "Anon", Metadata: map[string]any{"a": 1.0}})
	require.NoError(t, err)
	bearer := core.WithBearer(anon.Body.Session.AccessToken)
	email := newEmail("deanon")
	_, err = c.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizeEmailPassword, Email: email}, bearer)
	assert.Equal(t, core.ErrInvalidRequest, code(t, err), "email-password without a password")
	_, err = c.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizeEmailPassword, Email: email, Password: "Passw0rd!",
		Options: &core.SignUpOptions{DisplayName: "Deanon", RedirectTo: "http://127.0.0.1:3000/welcome"}}, bearer)
	require.NoError(t, err)
	assert.Zero(t, m.count(t, email), "no mail when verification is not required")
	me, err := c.GetUser(ctx, bearer)
	require.NoError(t, err, "the old token now reads a regular user")
	assert.Equal(t, anon.Body.Session.User.ID, me.Body.ID, "same user id")
	assert.False(t, me.Body.IsAnonymous)
	assert.Equal(t, "Deanon", me.Body.DisplayName)
	assert.Equal(t, email, me.Body.Email)
	assert.Equal(t, "user", me.Body.DefaultRole)
	assert.Nil(t, me.Body.Metadata, "the anonymous metadata is gone (null, as the real server's)")
	assert.Empty(t, me.Body.AvatarURL, "the anonymous user's avatar stays")
	ref, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: anon.Body.Session.RefreshToken})
	require.NoError(t, err)
	assert.False(t, ref.Body.User.IsAnonymous)
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	require.NoError(t, err)
	_, err = c.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizeEmailPassword, Email: newEmail("x"), Password: "Passw0rd!"}, bearer)
	assert.Equal(t, core.ErrUserNotAnonymous, code(t, err))

	// Passwordless: a magic link, even with magic links switched off.
	off, offMail := startWithMail(t, "AUTH_EMAIL_PASSWORDLESS_ENABLED", "false")
	oc := off.client()
	anon2, err := oc.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	b2 := core.WithBearer(anon2.Body.Session.AccessToken)
	anon3, err := c.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	_, err = c.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizePasswordless, Email: email},
		core.WithBearer(anon3.Body.Session.AccessToken))
	assert.Equal(t, core.ErrEmailAlreadyInUse, code(t, err))
	email2 := newEmail("deanon-link")
	_, err = oc.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizePasswordless, Email: email2,
		Options: &core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/linked"}}, b2)
	require.NoError(t, err)
	msg := offMail.latest(t, email2, nil)
	assert.Equal(t, "Secure sign-in link", msg.Subject)
	loc := follow(t, msg.link(t))
	assert.Equal(t, "passwordlessEmail", loc.Query().Get("type"))
	s2, err := oc.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.Equal(t, anon2.Body.Session.User.ID, s2.Body.User.ID)
	assert.Equal(t, email2, s2.Body.User.DisplayName)

	_, err = c.DeanonymizeUser(ctx, core.UserDeanonymizeRequest{SignInMethod: core.DeanonymizeEmailPassword, Email: email, Password: "x12"})
	assert.Contains(t, fetchErr(t, err).Error(), "invalid authorization header")
}

// Elevation modes, with users given a security key in the database.
func TestElevationModes(t *testing.T) {
	keyed := func(t *testing.T, e *emu) *core.Session {
		s := signUp(t, e.client(), newEmail("keyed"), nil)
		store, err := emulator.OpenStore(e.DB)
		require.NoError(t, err)
		defer store.Close()
		require.NoError(t, store.AddSecurityKey(ctx, s.User.ID, "cred-"+s.User.ID, []byte{1}, "key"))
		return s
	}
	patReq := core.CreatePATRequest{ExpiresAt: "2030-01-01T00:00:00Z"}
	const elevated = "error in openapi3filter.SecurityRequirementsError: security requirements failed: elevated-claim-required"

	t.Run("disabled", func(t *testing.T) {
		e := start(t, with(dev, "AUTH_EMULATOR_BCRYPT_COST", "4"))
		k := keyed(t, e)
		_, err := e.client().CreatePAT(ctx, patReq, core.WithBearer(k.AccessToken))
		assert.NoError(t, err)
	})
	t.Run("recommended", func(t *testing.T) {
		e := start(t, with(dev, "AUTH_REQUIRE_ELEVATED_CLAIM", "recommended", "AUTH_EMULATOR_BCRYPT_COST", "4"))
		c := e.client()
		plain := signUp(t, c, newEmail("plain"), nil)
		_, err := c.CreatePAT(ctx, patReq, core.WithBearer(plain.AccessToken))
		assert.NoError(t, err, "users without a key pass")
		_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: newEmail("n")}, core.WithBearer(plain.AccessToken))
		assert.NoError(t, err)
		k := keyed(t, e)
		_, err = c.CreatePAT(ctx, patReq, core.WithBearer(k.AccessToken))
		fe := fetchErr(t, err)
		assert.Equal(t, 400, fe.Status)
		assert.Equal(t, elevated, fe.Error())
		_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: newEmail("n")}, core.WithBearer(k.AccessToken))
		assert.Equal(t, elevated, fetchErr(t, err).Error())
		_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass1!"}, core.WithBearer(k.AccessToken))
		assert.Equal(t, core.ErrInvalidRequest, code(t, err), "falls back to the unauthenticated branch, which needs a ticket")
		_, err = c.ChangeUserMfa(ctx, core.WithBearer(k.AccessToken))
		assert.Equal(t, core.ErrDisabledEndpoint, code(t, err), "plain BearerAuth endpoints need no elevation")
	})
	t.Run("required", func(t *testing.T) {
		e := start(t, with(dev, "AUTH_REQUIRE_ELEVATED_CLAIM", "required", "AUTH_EMULATOR_BCRYPT_COST", "4"))
		c := e.client()
		plain := signUp(t, c, newEmail("plain"), nil)
		_, err := c.CreatePAT(ctx, patReq, core.WithBearer(plain.AccessToken))
		assert.Equal(t, elevated, fetchErr(t, err).Error())
		_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass1!"}, core.WithBearer(plain.AccessToken))
		assert.Equal(t, core.ErrInvalidRequest, code(t, err))
		_, err = c.GetUser(ctx, core.WithBearer(plain.AccessToken))
		assert.NoError(t, err)
	})
	t.Run("bad value", func(t *testing.T) {
		_, err := emulator.Load(nil, func(k string) string {
			if k == "AUTH_REQUIRE_ELEVATED_CLAIM" {
				return "sometimes"
			}
			return ""
		})
		assert.ErrorContains(t, err, "AUTH_REQUIRE_ELEVATED_CLAIM")
	})
}

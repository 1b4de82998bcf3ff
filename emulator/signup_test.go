package emulator_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
)

// pkcePair is a verifier and its S256 challenge, made independently of
// the emulator's own code.
func pkcePair(t *testing.T) (verifier, challenge string) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestSignUpVariants(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()

	// A magic link for a new address signs it up, with its options.
	fresh := newEmail("signup-magic")
	_, err := c.SignUpPasswordlessEmail(ctx, core.SignUpPasswordlessEmailRequest{Email: fresh,
		Options: &core.SignUpOptions{DisplayName: "New Person", RedirectTo: "http://127.0.0.1:3000/in"}})
	require.NoError(t, err)
	loc := follow(t, m.latest(t, fresh, nil).link(t))
	assert.Equal(t, "/in", loc.Path)
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.Equal(t, "New Person", sess.Body.User.DisplayName)
	assert.True(t, sess.Body.User.EmailVerified)

	// An address that has an account gets the same answer and no email:
	// the endpoint does not reveal who is registered.
	before := m.count(t, fresh)
	_, err = c.SignUpPasswordlessEmail(ctx, core.SignUpPasswordlessEmailRequest{Email: fresh})
	require.NoError(t, err)
	_, err = c.SignUpOTPEmail(ctx, core.SignUpOTPEmailRequest{Email: fresh})
	require.NoError(t, err)
	assert.Equal(t, before, m.count(t, fresh))

	// One-time passwords by email and by SMS sign up the same way.
	otpUser := newEmail("signup-otp")
	_, err = c.SignUpOTPEmail(ctx, core.SignUpOTPEmailRequest{Email: otpUser, Options: &core.SignUpOptions{DisplayName: "Otp New"}})
	require.NoError(t, err)
	res, err := c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: otpUser, Otp: otpRe.FindStringSubmatch(m.latest(t, otpUser, nil).Text)[1]})
	require.NoError(t, err)
	assert.Equal(t, "Otp New", res.Body.Session.User.DisplayName)

	phone := fmt.Sprintf("+1556%07d", time.Now().UnixNano()%1e7)
	_, err = c.SignUpPasswordlessSms(ctx, core.SignUpPasswordlessSmsRequest{PhoneNumber: phone})
	require.NoError(t, err)
	sms := lastSMS(t, e, phone)
	smsRes, err := c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: phone, Otp: sms.Code})
	require.NoError(t, err)
	assert.Equal(t, phone, smsRes.Body.Session.User.PhoneNumber)
	_, err = c.SignUpPasswordlessSms(ctx, core.SignUpPasswordlessSmsRequest{PhoneNumber: phone})
	require.NoError(t, err)
	assert.Equal(t, sms, lastSMS(t, e, phone), "no new code for a registered number")

	// Switched off: each variant follows its sign-in method's switch, and
	// AUTH_DISABLE_SIGNUP refuses them all.
	off := start(t, dev).client()
	_, err = off.SignUpPasswordlessEmail(ctx, core.SignUpPasswordlessEmailRequest{Email: newEmail("x")})
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err))
	_, err = off.SignUpPasswordlessSms(ctx, core.SignUpPasswordlessSmsRequest{PhoneNumber: "+34600000001"})
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err))
	closed, _ := startWithMail(t, "AUTH_DISABLE_SIGNUP", "true")
	for _, call := range []func() error{
		func() error {
			_, err := closed.client().SignUpPasswordlessEmail(ctx, core.SignUpPasswordlessEmailRequest{Email: newEmail("x")})
			return err
		},
		func() error {
			_, err := closed.client().SignUpOTPEmail(ctx, core.SignUpOTPEmailRequest{Email: newEmail("x")})
			return err
		},
		func() error {
			_, err := closed.client().SignUpPasswordlessSms(ctx, core.SignUpPasswordlessSmsRequest{PhoneNumber: "+34600000002"})
			return err
		},
	} {
		fe := fetchErr(t, call())
		assert.Equal(t, 403, fe.Status)
		assert.Equal(t, core.ErrorCode("signup-disabled"), fe.Code())
	}
}

func TestAutoSignupOff(t *testing.T) {
	e, m := startWithMail(t, "AUTH_DISABLE_AUTO_SIGNUP", "true")
	c := e.client()
	stranger := newEmail("auto-off")
	_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: stranger})
	require.NoError(t, err, "the same answer as for a known address")
	assert.Equal(t, 0, m.count(t, stranger), "but no account and no email")
	// The explicit sign-up endpoint still registers.
	_, err = c.SignUpPasswordlessEmail(ctx, core.SignUpPasswordlessEmailRequest{Email: stranger})
	require.NoError(t, err)
	assert.Equal(t, 1, m.count(t, stranger))
	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: stranger})
	require.NoError(t, err)
	assert.Equal(t, 2, m.count(t, stranger), "a known address signs in as before")
}

// A flow that starts with a code challenge ends with a code, which only
// the verifier's holder can exchange, once.
func TestPKCEMagicLinkAndTokenExchange(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	email := newEmail("pkce")
	verifier, challenge := pkcePair(t)
	_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email, CodeChallenge: challenge,
		Options: &core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/back?keep=1"}})
	require.NoError(t, err)
	link := m.latest(t, email, nil).link(t)
	assert.Contains(t, link, "codeChallenge="+challenge)
	loc := follow(t, link)
	q := loc.Query()
	assert.Empty(t, q.Get("refreshToken"), "no refresh token in the address bar")
	assert.Equal(t, "1", q.Get("keep"))
	assert.Equal(t, "passwordlessEmail", q.Get("type"))
	authCode := q.Get("code")
	require.NotEmpty(t, authCode)

	other, _ := pkcePair(t)
	_, err = c.TokenExchange(ctx, core.TokenExchangeRequest{Code: authCode, CodeVerifier: other})
	fe := fetchErr(t, err)
	assert.Equal(t, 400, fe.Status)
	assert.Equal(t, core.ErrorCode("invalid-request"), fe.Code())

	res, err := c.TokenExchange(ctx, core.TokenExchangeRequest{Code: authCode, CodeVerifier: verifier})
	require.NoError(t, err, "a wrong verifier does not burn the code")
	assert.Equal(t, email, res.Body.Session.User.Email)
	_, err = c.TokenExchange(ctx, core.TokenExchangeRequest{Code: authCode, CodeVerifier: verifier})
	assert.Equal(t, core.ErrorCode("invalid-request"), code(t, err), "a code works once")

	// The challenge and the verifier are checked for shape by the schema.
	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email, CodeChallenge: "short"})
	assert.Equal(t, 400, fetchErr(t, err).Status)
	_, err = c.TokenExchange(ctx, core.TokenExchangeRequest{Code: authCode, CodeVerifier: "short"})
	assert.Equal(t, 400, fetchErr(t, err).Status)

	// Every emailed flow carries the challenge: verification after sign-up.
	closedMail, m2 := startWithMail(t, "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED", "true")
	v2, ch2 := pkcePair(t)
	addr := newEmail("pkce-verify")
	_, err = closedMail.client().SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: addr, Password: "Passw0rd!", CodeChallenge: ch2})
	require.NoError(t, err)
	loc = follow(t, m2.latest(t, addr, nil).link(t))
	got, err := url.ParseQuery(loc.RawQuery)
	require.NoError(t, err)
	res, err = closedMail.client().TokenExchange(ctx, core.TokenExchangeRequest{Code: got.Get("code"), CodeVerifier: v2})
	require.NoError(t, err)
	assert.True(t, res.Body.Session.User.EmailVerified)
}

type sentSMS struct{ PhoneNumber, Body, Code, SentAt string }

func lastSMS(t *testing.T, e *emu, phone string) sentSMS {
	t.Helper()
	res, err := http.Get(e.URL + "/emulator/sms?phoneNumber=" + url.QueryEscape(phone))
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	var m sentSMS
	require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
	return m
}

// Five wrong codes in a row burn a one-time password (the newer server's
// otp-too-many-attempts on the fifth): the right code no longer works, a
// new one does. By email and by SMS.
func TestNewerServerBurnsACodeAfterFiveWrongTries(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	email := newEmail("tries")
	_, err := c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: email})
	require.NoError(t, err)
	otp := otpRe.FindStringSubmatch(m.latest(t, email, nil).Text)[1]
	wrong := "000000"
	if otp == wrong {
		wrong = "111111"
	}
	for i := 1; i <= 5; i++ {
		_, err = c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: email, Otp: wrong})
		want := core.ErrInvalidTicket
		if i == 5 {
			want = "otp-too-many-attempts"
		}
		assert.Equal(t, want, code(t, err), "try %d", i)
	}
	_, err = c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: email, Otp: otp})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err), "the code is gone")
	_, err = c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: email})
	require.NoError(t, err)
	fresh := otpRe.FindStringSubmatch(m.latest(t, email, nil).Text)[1]
	_, err = c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: email, Otp: fresh})
	require.NoError(t, err, "a new code starts with five tries again")

	phone := fmt.Sprintf("+1557%07d", time.Now().UnixNano()%1e7)
	_, err = c.SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: phone})
	require.NoError(t, err)
	right := lastSMS(t, e, phone).Code
	bad := "000000"
	if right == bad {
		bad = "111111"
	}
	for i := 1; i <= 5; i++ {
		_, err = c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: phone, Otp: bad})
		require.Error(t, err)
	}
	assert.Equal(t, core.ErrorCode("otp-too-many-attempts"), code(t, err))
	_, err = c.VerifySignInPasswordlessSms(ctx, core.SignInPasswordlessSmsOtpRequest{PhoneNumber: phone, Otp: right})
	assert.Error(t, err, "the code is gone")
}

// Addresses that differ only in case (Unicode's, not just ASCII's) or in
// Unicode normalisation are one account; the address is kept as given.
func TestEmailsAreOneAccountWhateverTheirForm(t *testing.T) {
	e := start(t, dev)
	c := e.client()
	given := "Ärger.Ünïcode@Example.com"
	s := signUp(t, c, given, nil)
	assert.Equal(t, given, s.User.Email)
	nfd := "A\u0308rger.U\u0308ni\u0308code@example.com" // the same letters, decomposed
	for _, other := range []string{"ärger.ünïcode@example.com", "ÄRGER.ÜNÏCODE@EXAMPLE.COM", nfd} {
		_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: other, Password: "Passw0rd!"})
		assert.Equal(t, core.ErrorCode("email-already-in-use"), code(t, err), other)
		res, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: other, Password: "Passw0rd!"})
		require.NoError(t, err, other)
		assert.Equal(t, s.User.ID, res.Body.Session.User.ID)
	}
}

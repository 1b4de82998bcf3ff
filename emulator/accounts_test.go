package emulator_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

// Every feature of the accounts side switched on, mail through mailpit.
func startWithMail(t *testing.T, kv ...string) (*emu, *mailpit) {
	m := startMailpit(t)
	env := with(dev, m.env()...)
	env = with(env, "AUTH_EMAIL_PASSWORDLESS_ENABLED", "true", "AUTH_OTP_EMAIL_ENABLED", "true",
		"AUTH_SMS_PASSWORDLESS_ENABLED", "true", "AUTH_SMS_PROVIDER", "dev", "AUTH_MFA_ENABLED", "true",
		"AUTH_EMULATOR_BCRYPT_COST", "4")
	env = with(env, kv...)
	return start(t, env), m
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// follow opens an emailed link without following the redirect and returns
// the Location it answers with.
func follow(t *testing.T, link string) *url.URL {
	t.Helper()
	res, err := noFollow.Get(link)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 302, res.StatusCode, link)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	return loc
}

func code(t *testing.T, err error) core.ErrorCode {
	t.Helper()
	return fetchErr(t, err).Code()
}

func disable(t *testing.T, e *emu, userID string) {
	store, err := emulator.OpenStore(e.DB)
	require.NoError(t, err)
	defer store.Close()
	require.NoError(t, store.SetDisabled(ctx, userID, true))
}

func TestVerificationEmailOverSMTP(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	email := newEmail("verify-smtp")
	signUp(t, c, email, nil)
	assert.Zero(t, m.count(t, email), "no mail on sign-up when verification is not required")

	res, err := c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: email,
		Options: &core.OptionsRedirectTo{RedirectTo: "http://127.0.0.1:3000/verified?x=1"}})
	require.NoError(t, err)
	assert.Equal(t, core.OKResponse("OK"), res.Body)

	msg := m.latest(t, email, nil)
	assert.Equal(t, "Verify your email", msg.Subject)
	assert.Equal(t, "auth@example.com", msg.From.Address)
	assert.Contains(t, msg.Text, "Use this link to verify your email:")
	link := msg.link(t)
	assert.Regexp(t, `^`+regexp.QuoteMeta(e.URL+"/verify?redirectTo=http%3A%2F%2F127.0.0.1%3A3000%2Fverified%3Fx%3D1&ticket=verifyEmail%3A")+
		`[0-9a-f-]{36}&type=emailVerify$`, link)
	assert.Contains(t, msg.HTML, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`)

	loc := follow(t, link)
	assert.Equal(t, "/verified", loc.Path)
	assert.Regexp(t, `^refreshToken=[0-9a-f-]{36}&type=verifyEmail&x=1$`, loc.RawQuery)
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.True(t, sess.Body.User.EmailVerified)
	assert.Equal(t, "http://127.0.0.1:3000/verified?error=invalid-ticket&errorDescription=Invalid+ticket&x=1", follow(t, link).String(),
		"a link works once")

	_, err = c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: email})
	assert.Equal(t, core.ErrEmailAlreadyVerified, code(t, err))
	_, err = c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: newEmail("nobody")})
	fe := fetchErr(t, err)
	assert.Equal(t, 401, fe.Status)
	assert.Equal(t, core.ErrInvalidEmailPassword, fe.Code())
	_, err = c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: email,
		Options: &core.OptionsRedirectTo{RedirectTo: "https://evil.example.com/"}})
	assert.Equal(t, core.ErrRedirectToNotAllowed, code(t, err))
	_, err = c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: "not-an-email"})
	fe = fetchErr(t, err)
	assert.Equal(t, 400, fe.Status)
	assert.Empty(t, fe.Headers.Get("Content-Type"), "the real server's empty 400")

	other := newEmail("verify-disabled")
	disable(t, e, signUp(t, c, other, nil).User.ID)
	_, err = c.SendVerificationEmail(ctx, core.UserEmailSendVerificationEmailRequest{Email: other})
	assert.Equal(t, core.ErrDisabledUser, code(t, err))
}

func TestPasswordReset(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	email := newEmail("reset")
	signUp(t, c, email, nil)
	reset := func() string {
		_, err := c.SendPasswordResetEmail(ctx, core.UserPasswordResetRequest{Email: email,
			Options: &core.OptionsRedirectTo{RedirectTo: "http://127.0.0.1:3000/reset-done"}})
		require.NoError(t, err)
		msg := m.latest(t, email, regexp.MustCompile(`^Reset your password$`))
		link := msg.link(t)
		assert.Contains(t, link, "&ticket=passwordReset%3A")
		assert.True(t, strings.HasSuffix(link, "&type=passwordReset"), link)
		q, _ := url.Parse(link)
		return q.Query().Get("ticket")
	}

	// The link signs the user in (the SDK then changes the password with a Bearer).
	ticket := reset()
	loc := follow(t, e.URL+"/verify?"+url.Values{"ticket": {ticket}, "type": {"passwordReset"}, "redirectTo": {"http://127.0.0.1:3000/reset-done"}}.Encode())
	assert.Regexp(t, `^refreshToken=[0-9a-f-]{36}&type=passwordReset$`, loc.RawQuery)
	_, err := c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "Other1!", Ticket: ticket})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err), "the ticket was used by /verify")
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "ViaBearer1!"}, core.WithBearer(sess.Body.AccessToken))
	require.NoError(t, err)
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "ViaBearer1!"})
	require.NoError(t, err)

	// Or the ticket goes straight to POST /user/password, once.
	ticket = reset()
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass2!", Ticket: ticket})
	require.NoError(t, err)
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass3!", Ticket: ticket})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err))
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "ViaBearer1!"})
	assert.Equal(t, core.ErrInvalidEmailPassword, code(t, err))
	in, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "NewPass2!"})
	require.NoError(t, err)
	_, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: sess.Body.RefreshToken})
	assert.NoError(t, err, "changing the password does not revoke sessions")

	// A later ticket replaces an earlier one: one ticket slot per user.
	first := reset()
	_ = reset()
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass4!", Ticket: first})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err))

	// Unknown users get the same answer and no mail; failures.
	nobody := newEmail("nobody")
	_, err = c.SendPasswordResetEmail(ctx, core.UserPasswordResetRequest{Email: nobody})
	require.NoError(t, err)
	assert.Zero(t, m.count(t, nobody))
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass5!"})
	assert.Equal(t, core.ErrInvalidRequest, code(t, err))
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass5!", Ticket: "garbage"})
	assert.Contains(t, fetchErr(t, err).Error(), `doesn't match the regular expression "^passwordReset\:.*$"`)
	_, err = c.SendPasswordResetEmail(ctx, core.UserPasswordResetRequest{Email: email, Options: &core.OptionsRedirectTo{RedirectTo: "https://evil.example.com"}})
	assert.Equal(t, core.ErrRedirectToNotAllowed, code(t, err))
	anon, err := c.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	_, err = c.ChangeUserPassword(ctx, core.UserPasswordRequest{NewPassword: "NewPass5!"}, core.WithBearer(anon.Body.Session.AccessToken))
	assert.Equal(t, core.ErrForbiddenAnonymous, code(t, err))
	disable(t, e, in.Body.Session.User.ID)
	_, err = c.SendPasswordResetEmail(ctx, core.UserPasswordResetRequest{Email: email})
	require.NoError(t, err, "disabled users get OK too")
}

func TestChangeEmail(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	oldEmail, newAddr := newEmail("change-old"), newEmail("change-new")
	sess := signUp(t, c, oldEmail, nil)
	bearer := core.WithBearer(sess.AccessToken)
	_, err := c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: newAddr,
		Options: &core.OptionsRedirectTo{RedirectTo: "http://127.0.0.1:3000/email-changed"}}, bearer)
	require.NoError(t, err)
	assert.Zero(t, m.count(t, oldEmail), "mail goes to the new address only")
	msg := m.latest(t, newAddr, nil)
	assert.Equal(t, "Change your email address", msg.Subject)
	assert.Contains(t, msg.Text, "Use this link to confirm changing email:")
	link := msg.link(t)
	assert.Contains(t, link, "&ticket=emailConfirmChange%3A")
	assert.True(t, strings.HasSuffix(link, "&type=emailConfirmChange"))

	me, err := c.GetUser(ctx, bearer)
	require.NoError(t, err)
	assert.Equal(t, oldEmail, me.Body.Email, "unchanged until the link is followed")
	assert.True(t, me.Body.EmailVerified, "the real server marks it verified at request time")

	loc := follow(t, link)
	assert.Regexp(t, `^refreshToken=[0-9a-f-]{36}&type=emailConfirmChange$`, loc.RawQuery)
	me, err = c.GetUser(ctx, bearer)
	require.NoError(t, err)
	assert.Equal(t, newAddr, me.Body.Email)
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: newAddr, Password: "Passw0rd!"})
	require.NoError(t, err)
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: oldEmail, Password: "Passw0rd!"})
	assert.Equal(t, core.ErrInvalidEmailPassword, code(t, err))
	assert.Contains(t, follow(t, link).RawQuery, "error=invalid-ticket")

	// Failures.
	_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: newAddr}, bearer)
	assert.Equal(t, core.ErrEmailAlreadyInUse, code(t, err), "own current address")
	taken := newEmail("taken")
	signUp(t, c, taken, nil)
	_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: taken}, bearer)
	assert.Equal(t, core.ErrEmailAlreadyInUse, code(t, err))
	_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: newEmail("x")})
	assert.Contains(t, fetchErr(t, err).Error(), "invalid authorization header")
	_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: "bad"}, bearer)
	assert.Equal(t, 400, fetchErr(t, err).Status)
	_, err = c.ChangeUserEmail(ctx, core.UserEmailChangeRequest{NewEmail: newEmail("x"), Options: &core.OptionsRedirectTo{RedirectTo: "https://evil.example.com"}}, bearer)
	assert.Equal(t, core.ErrRedirectToNotAllowed, code(t, err))
}

func TestMagicLink(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	email := newEmail("magic")
	signUp(t, c, email, nil)
	_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email,
		Options: &core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/magic"}})
	require.NoError(t, err)
	msg := m.latest(t, email, nil)
	assert.Equal(t, "Secure sign-in link", msg.Subject)
	assert.Contains(t, msg.Text, "Use this link to securely sign in:")
	link := msg.link(t)
	assert.Contains(t, link, "&ticket=passwordlessEmail%3A")
	assert.True(t, strings.HasSuffix(link, "&type=signinPasswordless"))
	loc := follow(t, link)
	assert.Equal(t, "/magic", loc.Path)
	assert.Equal(t, "passwordlessEmail", loc.Query().Get("type"), "the ticket prefix, not the link's type")
	sess, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	assert.True(t, sess.Body.User.EmailVerified)
	assert.Contains(t, follow(t, link).RawQuery, "error=invalid-ticket")

	// A new address signs up, with its options.
	fresh := newEmail("magic-new")
	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: fresh,
		Options: &core.SignUpOptions{DisplayName: "Magic Person", Metadata: map[string]any{"k": "v"}, AllowedRoles: []string{"me"}, DefaultRole: "me"}})
	require.NoError(t, err)
	link = m.latest(t, fresh, nil).link(t)
	assert.Contains(t, link, "redirectTo=http%3A%2F%2F127.0.0.1%3A3000&", "the client URL when no redirectTo is given")
	loc = follow(t, link)
	sess, err = c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: loc.Query().Get("refreshToken")})
	require.NoError(t, err)
	u := sess.Body.User
	assert.Equal(t, "Magic Person", u.DisplayName)
	assert.Equal(t, []string{"me"}, u.Roles)
	assert.Equal(t, "me", u.DefaultRole)
	assert.Equal(t, map[string]any{"k": "v"}, u.Metadata)
	assert.True(t, u.EmailVerified)

	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: "bad"})
	assert.Equal(t, 400, fetchErr(t, err).Status)
	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email, Options: &core.SignUpOptions{RedirectTo: "https://evil.example.com"}})
	assert.Equal(t, core.ErrRedirectToNotAllowed, code(t, err))
	_, err = start(t, dev).client().SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email})
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err), "off by default")

	gone := newEmail("magic-disabled")
	disable(t, e, signUp(t, c, gone, nil).User.ID)
	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: gone})
	assert.Equal(t, core.ErrDisabledUser, code(t, err))
	_, err = c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: gone})
	assert.Equal(t, core.ErrDisabledUser, code(t, err))
}

var otpRe = regexp.MustCompile(`(?m)^(\d{6})\s*$`)

func TestEmailOTP(t *testing.T) {
	e, m := startWithMail(t)
	c := e.client()
	email := newEmail("otp")
	signUp(t, c, email, nil)
	_, err := c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: email, Options: &core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/otp"}})
	require.NoError(t, err)
	msg := m.latest(t, email, nil)
	assert.Equal(t, "One-time password for http://127.0.0.1:3000/otp", msg.Subject)
	assert.Contains(t, msg.Text, "To sign in to http://127.0.0.1:3000/otp, please, use the following one-time password:")
	got := otpRe.FindStringSubmatch(msg.Text)
	require.NotNil(t, got, msg.Text)
	otp := got[1]
	assert.Contains(t, msg.HTML, `font-size: 24px`)

	wrong := "000000"
	if otp == wrong {
		wrong = "111111"
	}
	for _, bad := range []core.SignInOTPEmailVerifyRequest{{Email: email, Otp: wrong}, {Email: email, Otp: "123"}, {Email: newEmail("nobody"), Otp: otp}} {
		_, err = c.VerifySignInOTPEmail(ctx, bad)
		fe := fetchErr(t, err)
		assert.Equal(t, 401, fe.Status)
		assert.Equal(t, core.ErrInvalidTicket, fe.Code())
	}
	res, err := c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: email, Otp: otp})
	require.NoError(t, err, "a wrong code does not burn the OTP")
	assert.True(t, res.Body.Session.User.EmailVerified)
	_, err = c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: email, Otp: otp})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err), "a code works once")
	r := raw(t, "GET", e.URL+"/verify?ticket=otp:"+otp+"&type=signinPasswordless&redirectTo=http://127.0.0.1:3000", "", "")
	assert.Contains(t, r.headers.Get("Location"), "error=invalid-ticket")

	fresh := newEmail("otp-new")
	_, err = c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: fresh, Options: &core.SignUpOptions{DisplayName: "Otp Person", Metadata: map[string]any{"a": 1.0}}})
	require.NoError(t, err)
	msg = m.latest(t, fresh, nil)
	assert.Equal(t, "One-time password for http://127.0.0.1:3000", msg.Subject)
	res, err = c.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: fresh, Otp: otpRe.FindStringSubmatch(msg.Text)[1]})
	require.NoError(t, err)
	assert.Equal(t, "Otp Person", res.Body.Session.User.DisplayName)

	off := start(t, dev).client()
	_, err = off.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: email})
	assert.Equal(t, core.ErrDisabledEndpoint, code(t, err))
	_, err = off.VerifySignInOTPEmail(ctx, core.SignInOTPEmailVerifyRequest{Email: email, Otp: "123456"})
	assert.Equal(t, core.ErrInvalidTicket, code(t, err), "the real server's answer when off")
}

package emulator_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

// mailboxMessages reads GET /emulator/mail[?query].
func mailboxMessages(t *testing.T, e *emu, query string) []emulator.Mail {
	t.Helper()
	r := raw(t, "GET", e.URL+"/emulator/mail"+query, "", "")
	require.Equal(t, 200, r.status, r.body)
	var out struct{ Messages []emulator.Mail }
	require.NoError(t, json.Unmarshal([]byte(r.body), &out))
	return out.Messages
}

var mailboxEnv = with(dev, "AUTH_EMAIL_PASSWORDLESS_ENABLED", "true", "AUTH_OTP_EMAIL_ENABLED", "true",
	"AUTH_SMS_PASSWORDLESS_ENABLED", "true", "AUTH_EMULATOR_BCRYPT_COST", "4", "AUTH_LOCALE_ALLOWED_LOCALES", "en,fr,de")

// Every message the emulator sends is in its mailbox: the JSON API, one
// message with its HTML, the page with working links, SMS included.
func TestMailbox(t *testing.T) {
	e := start(t, mailboxEnv)
	c := e.client()
	email := newEmail("mailbox")
	_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email,
		Options: &core.SignUpOptions{RedirectTo: "http://127.0.0.1:3000/magic"}})
	require.NoError(t, err)
	_, err = c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: email})
	require.NoError(t, err)
	phone := "+15550001234"
	_, err = c.SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: phone})
	require.NoError(t, err)

	all := mailboxMessages(t, e, "")
	require.Len(t, all, 3)
	assert.Equal(t, "sms", all[0].Kind, "newest first")
	assert.Equal(t, phone, all[0].To)
	assert.Regexp(t, `^\d{6}$`, all[0].Code)
	assert.Equal(t, "Your code is "+all[0].Code+".", all[0].Text)
	otp, magic := all[1], all[2]
	assert.Equal(t, "signin-otp", otp.Template)
	assert.Regexp(t, `^\d{6}$`, otp.Code)
	assert.Empty(t, otp.HTML, "the list leaves HTML out")
	assert.Equal(t, "signin-passwordless", magic.Template)
	assert.Equal(t, "Secure sign-in link", magic.Subject)
	assert.Contains(t, magic.Link, e.URL+"/verify?")

	// The link works: it signs in.
	loc := follow(t, magic.Link)
	assert.Equal(t, "/magic", loc.Path)
	assert.NotEmpty(t, loc.Query().Get("refreshToken"))

	// Filters, one message, its HTML in a sandbox.
	assert.Len(t, mailboxMessages(t, e, "?to="+strings.ToUpper(email)), 2, "by address, any case")
	assert.Len(t, mailboxMessages(t, e, "?kind=sms"), 1)
	one := raw(t, "GET", e.URL+"/emulator/mail/"+magic.ID, "", "")
	var full emulator.Mail
	require.NoError(t, json.Unmarshal([]byte(one.body), &full))
	assert.Contains(t, full.HTML, "<h1")
	page := raw(t, "GET", e.URL+"/emulator/mail/"+magic.ID+"/html", "", "")
	assert.Equal(t, "text/html; charset=utf-8", page.ctype)
	assert.Contains(t, page.headers.Get("Content-Security-Policy"), "sandbox")
	assert.Equal(t, full.HTML, page.body)
	assert.Equal(t, 404, raw(t, "GET", e.URL+"/emulator/mail/999", "", "").status)

	// The page: each link clickable, values escaped.
	html := raw(t, "GET", e.URL+"/emulator/mail", "", "", "Accept", "text/html")
	assert.Equal(t, "text/html; charset=utf-8", html.ctype)
	assert.Contains(t, html.body, `href="`+strings.ReplaceAll(magic.Link, "&", "&amp;")+`"`)
	assert.Contains(t, html.body, "<code>"+otp.Code+"</code>")
	assert.Contains(t, html.body, `href="mail/`+magic.ID+`/html"`)

	// The dev SMS reader reads the mailbox.
	sms := raw(t, "GET", e.URL+"/emulator/sms?phoneNumber=%2B15550001234", "", "")
	assert.Contains(t, sms.body, `"code":"`+all[0].Code+`"`)

	// Only the app's origins may read it from a page.
	for origin, allowed := range map[string]bool{"http://127.0.0.1:3000": true, "https://evil.example": false} {
		r := raw(t, "GET", e.URL+"/emulator/mail", "", "", "Origin", origin)
		if allowed {
			assert.Equal(t, origin, r.headers.Get("Access-Control-Allow-Origin"))
		} else {
			assert.Empty(t, r.headers.Get("Access-Control-Allow-Origin"), origin)
		}
		pre := raw(t, "OPTIONS", e.URL+"/emulator/mail", "", "", "Origin", origin, "Access-Control-Request-Method", "DELETE")
		assert.Equal(t, allowed, pre.headers.Get("Access-Control-Allow-Origin") != "", origin)
	}
	// The API itself stays open to any origin, as on the real server.
	r := raw(t, "GET", e.URL+"/version", "", "", "Origin", "https://evil.example")
	assert.Equal(t, "https://evil.example", r.headers.Get("Access-Control-Allow-Origin"))

	assert.Equal(t, 200, raw(t, "DELETE", e.URL+"/emulator/mail", "", "").status)
	assert.Empty(t, mailboxMessages(t, e, ""))
}

// The mailbox keeps the newest messages up to its size.
func TestMailboxSize(t *testing.T) {
	e := start(t, with(mailboxEnv, "AUTH_EMULATOR_MAILBOX_SIZE", "2"))
	c := e.client()
	var sent []string
	for i := 0; i < 4; i++ {
		email := newEmail("ring")
		sent = append(sent, email)
		_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email})
		require.NoError(t, err)
	}
	got := mailboxMessages(t, e, "")
	require.Len(t, got, 2)
	assert.Equal(t, sent[3], got[0].To)
	assert.Equal(t, sent[2], got[1].To)
}

// Built-in templates have the real server's shape: a heading banner, the
// message, a button with its label, a footer; 2.8 to 3.7 KB of HTML.
func TestBuiltInTemplates(t *testing.T) {
	e := start(t, with(mailboxEnv, "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED", "true"))
	c := e.client()
	email := newEmail("templates")
	_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	require.NoError(t, err)
	_, err = c.SendPasswordResetEmail(ctx, core.UserPasswordResetRequest{Email: email})
	require.NoError(t, err)
	_, err = c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email})
	require.NoError(t, err)
	_, err = c.SignInOTPEmail(ctx, core.SignInOTPEmailRequest{Email: email})
	require.NoError(t, err)
	want := map[string]struct{ subject, label string }{
		"email-verify":        {"Verify your email", "Verify Email"},
		"password-reset":      {"Reset your password", "Reset Password"},
		"signin-passwordless": {"Secure sign-in link", "Magic Link"},
		"signin-otp":          {"One-time password for http://127.0.0.1:3000", ""},
	}
	msgs := mailboxMessages(t, e, "?to="+email)
	require.Len(t, msgs, len(want))
	for _, m := range msgs {
		w, ok := want[m.Template]
		require.True(t, ok, m.Template)
		full := raw(t, "GET", e.URL+"/emulator/mail/"+m.ID+"/html", "", "").body
		assert.Equal(t, w.subject, m.Subject)
		assert.Regexp(t, `<h1[^>]*>`, full, "heading banner")
		assert.Contains(t, full, "local server for development and tests", "footer")
		assert.True(t, len(full) >= 2800 && len(full) <= 3700, "%s: %d bytes of HTML", m.Template, len(full))
		if w.label != "" {
			assert.Contains(t, full, ">"+w.label+"</a>")
			assert.Contains(t, m.Text, w.label+" ( "+m.Link+" )", "the text part shows the link")
		} else {
			assert.Regexp(t, `(?m)^`+m.Code+`$`, m.Text, "the code on its own line")
		}
	}
}

// Templates by locale: the user's own if there are templates for it, else
// the default locale's; a templates directory overrides the built-in ones,
// with ${…} values HTML-escaped in the body.
func TestTemplatesByLocaleAndOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(path, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, path)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, path), []byte(text), 0o644))
	}
	write("de/signin-passwordless/subject.txt", "Anmelden, ${displayName}\n")
	write("de/signin-passwordless/body.html", `<p>Hallo ${displayName} (${email}, ${locale})</p><p><a href="${link}">Anmelden</a></p>`)
	write("en/signin-passwordless-sms/body.txt", "Code ${code} for ${clientUrl}\n")
	e := start(t, with(mailboxEnv, "AUTH_EMAIL_TEMPLATES_PATH", dir))
	c := e.client()

	de, fr, en := newEmail("de"), newEmail("fr"), newEmail("xx")
	for email, locale := range map[string]string{de: "de", fr: "fr", en: "xx"} {
		_, err := c.SignInPasswordlessEmail(ctx, core.SignInPasswordlessEmailRequest{Email: email,
			Options: &core.SignUpOptions{Locale: locale, DisplayName: `<Ana> + Bo`}})
		require.NoError(t, err)
	}
	m := mailboxMessages(t, e, "?to="+de)[0]
	assert.Equal(t, "de", m.Locale)
	assert.Equal(t, `Anmelden, <Ana> + Bo`, m.Subject, "the subject is text")
	body := raw(t, "GET", e.URL+"/emulator/mail/"+m.ID+"/html", "", "").body
	assert.Contains(t, body, `Hallo &lt;Ana&gt; + Bo (`+de+`, de)`)
	assert.Contains(t, body, `href="`+strings.ReplaceAll(m.Link, "&", "&amp;")+`"`)
	assert.Contains(t, m.Text, "Anmelden ( "+m.Link+" )")

	m = mailboxMessages(t, e, "?to="+fr)[0]
	assert.Equal(t, "fr", m.Locale, "built-in French")
	assert.Equal(t, "Lien de connexion sécurisé", m.Subject)
	m = mailboxMessages(t, e, "?to="+en)[0]
	assert.Equal(t, "en", m.Locale, "a locale not allowed is the default")

	_, err := c.SignInPasswordlessSms(ctx, core.SignInPasswordlessSmsRequest{PhoneNumber: "+15550009876"})
	require.NoError(t, err)
	sms := mailboxMessages(t, e, "?kind=sms")[0]
	assert.Equal(t, "Code "+sms.Code+" for http://127.0.0.1:3000", sms.Text, "SMS from the directory too")

	_, err = emulator.Load(nil, env("AUTH_EMAIL_TEMPLATES_PATH", filepath.Join(dir, "missing")))
	assert.ErrorContains(t, err, "AUTH_EMAIL_TEMPLATES_PATH")
}

// metadata has a size limit (the real server has none and sends it back in
// every session): over it, 400 invalid-request, nothing stored.
func TestMetadataCap(t *testing.T) {
	e := start(t, with(mailboxEnv, "AUTH_EMULATOR_METADATA_MAX_BYTES", "1024",
		"AUTH_PROVIDER_GITHUB_ENABLED", "true", "AUTH_PROVIDER_GITHUB_CLIENT_ID", "app"))
	c := e.client()
	small := map[string]any{"note": strings.Repeat("x", 900)}
	big := map[string]any{"note": strings.Repeat("x", 2000)}
	email := newEmail("meta")
	_, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!", Options: &core.SignUpOptions{Metadata: big}})
	fe := fetchErr(t, err)
	assert.Equal(t, 400, fe.Status)
	assert.Equal(t, core.ErrInvalidRequest, fe.Code())
	_, err = c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
	assert.Equal(t, core.ErrInvalidEmailPassword, code(t, err), "not stored")
	_, err = c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!", Options: &core.SignUpOptions{Metadata: small}})
	require.NoError(t, err)
	_, err = c.SignInAnonymous(ctx, &core.SignInAnonymousRequest{Metadata: big})
	assert.Equal(t, core.ErrInvalidRequest, code(t, err))
	r := raw(t, "GET", e.URL+"/signin/provider/github?metadata="+url.QueryEscape(`{"a":"`+strings.Repeat("y", 2000)+`"}`), "", "")
	assert.Equal(t, 400, r.status)
	assert.Contains(t, r.body, "metadata is too large")
	r = raw(t, "GET", e.URL+"/signin/provider/github?metadata="+url.QueryEscape(`{"a":"b"}`), "", "")
	assert.Equal(t, 302, r.status, "a small one goes to the provider")
}

// GET /emulator/security-keys lists the caller's keys (what a real app
// reads from Hasura); it needs the caller's token.
func TestDevSecurityKeys(t *testing.T) {
	e := start(t, mailboxEnv)
	s := signUp(t, e.client(), newEmail("keys"), nil)
	r := raw(t, "GET", e.URL+"/emulator/security-keys", "", "")
	assert.Equal(t, 400, r.status)
	assert.Contains(t, r.body, "invalid authorization header")
	r = raw(t, "GET", e.URL+"/emulator/security-keys", "", "", "Authorization", "Bearer "+s.AccessToken)
	assert.Equal(t, 200, r.status)
	assert.JSONEq(t, `{"securityKeys":[]}`, r.body)
	r = raw(t, "GET", e.URL+"/emulator/security-keys", "", "", "Authorization", "Bearer "+s.AccessToken, "Origin", "https://evil.example")
	assert.Empty(t, r.headers.Get("Access-Control-Allow-Origin"), "not readable by other sites")
}

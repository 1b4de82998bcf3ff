package e2e_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demo is the `make demo` program, running.
type demo struct {
	page, auth, idp string
	out             func() string
}

// startDemo builds and runs the demo with its default ports, 3000 and 4000
// held by this test, so it has to pick others.
func startDemo(t *testing.T) *demo {
	dir := t.TempDir()
	bin := filepath.Join(dir, "demo")
	build := exec.Command("go", "build", "-o", bin, "./examples/web")
	build.Dir = repoRoot
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	for _, port := range []string{"3000", "4000"} {
		// Taken by us, or already by something else: either way, taken.
		if ln, err := net.Listen("tcp", "127.0.0.1:"+port); err == nil {
			t.Cleanup(func() { ln.Close() })
		}
	}
	cmd := exec.Command(bin, "-db", filepath.Join(dir, "demo.db"), "-js", filepath.Join(siteDir, "js"), "-quiet")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		// Ctrl-C, as a person stops it; it must end on its own.
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			assert.NoError(t, err, "the demo stops cleanly on Ctrl-C")
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("the demo did not stop on Ctrl-C")
		}
	})
	var mu sync.Mutex
	var printed strings.Builder
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			mu.Lock()
			printed.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	d := &demo{out: func() string { mu.Lock(); defer mu.Unlock(); return printed.String() }}
	url := func(label string) string {
		m := regexp.MustCompile(label + `\s+(http://\S+?)/?(\s|$)`).FindStringSubmatch(d.out())
		if m == nil {
			return ""
		}
		return m[1]
	}
	for deadline := time.Now().Add(60 * time.Second); d.page == "" || d.auth == "" || d.idp == ""; time.Sleep(50 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "the demo did not print its URLs:\n%s", d.out())
		d.page, d.auth, d.idp = url("Demo page"), url("Auth server"), url("GitHub, Google")
	}
	res, err := http.Get(d.auth + "/version")
	require.NoError(t, err)
	res.Body.Close()
	return d
}

// The demo a newcomer sees, driven through its UI: sign up, a passkey,
// TOTP with its QR code, sign out, passkey sign-in, provider sign-in, a
// magic link from the mailbox, events from another tab. Screenshots of
// each state go to $E2E_ARTIFACTS (default .cache/screenshots).
func TestDemo(t *testing.T) {
	d := startDemo(t)
	assert.NotEqual(t, "http://localhost:3000", d.page, "3000 is taken")
	assert.NotEqual(t, "http://127.0.0.1:4000", d.auth, "4000 is taken")
	assert.Contains(t, d.out(), "port 3000 is taken")
	assert.Contains(t, d.out(), d.auth+"/emulator/mail")

	shots := os.Getenv("E2E_ARTIFACTS")
	if shots == "" {
		shots = filepath.Join(repoRoot, ".cache", "screenshots")
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))

	ctx := tab(t)
	_, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true,
		},
	})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 960), chromedp.Navigate(d.page+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))))

	shot := func(name string) {
		t.Helper()
		time.Sleep(300 * time.Millisecond)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, "demo-"+name+".png"), png, 0o644))
	}
	text := func(id string) string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById(`+jsString(id)+`)?.textContent ?? ''`))
		require.NoError(t, err)
		return v
	}
	// Each step has 15 s: a page that never gets there fails, not hangs.
	step := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := chromedp.Do(c, a); err != nil {
			t.Fatalf("%s: %v (the page's error line: %q)", what, err, text("auth-error"))
		}
	}
	visible := func(id string) { t.Helper(); step("#"+id+" visible", chromedp.WaitVisible(chromedp.ID(id))) }
	click := func(id string) { t.Helper(); step("click #"+id, chromedp.Click(chromedp.ID(id))) }
	typeIn := func(id, v string) {
		t.Helper()
		// Set, not typed: focusing the email field would let the virtual
		// authenticator answer the passkey autofill at once.
		_, err := chromedp.Run(ctx, chromedp.Evaluate[any](`{ const el = document.getElementById(`+jsString(id)+`);
el.value = `+jsString(v)+`; el.dispatchEvent(new Event('input', { bubbles: true })); }`))
		require.NoError(t, err, id)
	}
	waitText := func(id, want string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !strings.Contains(text(id), want) {
			require.True(t, time.Now().Before(deadline), "#%s never showed %q (it shows %q; error: %q)", id, want, text(id), text("auth-error"))
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Signed out: the sign-in card.
	visible("signed-out")
	assert.Equal(t, "signed out", text("status"))
	shot("signed-out")

	// Sign up with a password.
	const email = "ada@example.com"
	typeIn("email", email)
	typeIn("password", "Passw0rd!")
	click("btn-sign-up")
	visible("signed-in")
	waitText("user-email", email)
	assert.Contains(t, text("user-roles"), "user")
	assert.Regexp(t, `^\d+:\d\d$`, text("countdown"))
	waitText("events", "SIGNED_IN")

	// Security: TOTP with its QR code.
	click("btn-totp-setup")
	visible("totp-qr")
	secret := text("totp-secret")
	require.NotEmpty(t, secret)
	src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('totp-qr').src`))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(src, "data:image/png;base64,"), "a QR code image")
	shot("security-totp")
	code, err := totp.GenerateCode(secret, time.Now())
	require.NoError(t, err)
	typeIn("totp-code", code)
	click("btn-totp-activate")
	waitText("totp-state", "On:")

	// Sign out, sign in again with the password: the TOTP step.
	click("btn-sign-out")
	visible("signed-out")
	typeIn("email", email)
	typeIn("password", "Passw0rd!")
	click("btn-sign-in")
	visible("mfa")
	code, err = totp.GenerateCode(secret, time.Now())
	require.NoError(t, err)
	typeIn("mfa-otp", code)
	click("btn-mfa-verify")
	visible("signed-in")
	waitText("user-email", email)
	waitText("totp-state", "On:")

	// A passkey; signed out, its button signs in, and so does the email
	// field's autofill (the virtual authenticator picks it at once).
	click("btn-passkey-add")
	waitText("passkeys", "Passkey 1")
	click("btn-refresh")
	shot("signed-in")
	click("btn-sign-out")
	visible("signed-out")
	click("btn-passkey-sign-in")
	visible("signed-in")
	waitText("user-email", email)
	click("btn-sign-out")
	visible("signed-out")
	click("email")
	visible("signed-in")
	waitText("toast", "from autofill")
	waitText("user-email", email)
	click("btn-sign-out")
	visible("signed-out")

	// Sign in with GitHub: the stand-in's login page, then back here.
	click("btn-github")
	waitForURL(t, ctx, d.idp+"/emulator/oauth2/login?")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "octocat@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "Passw0rd!"),
		chromedp.Click(chromedp.ID("approve"))))
	waitForURL(t, ctx, d.page+"/")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))))
	visible("signed-in")
	waitText("user-email", "octocat@example.com")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	require.NoError(t, err)
	assert.NotContains(t, href, "code=", "the code left the address bar")
	click("btn-sign-out")
	visible("signed-out")

	// A magic link, opened from the mailbox panel.
	const linkEmail = "grace@example.com"
	click("tab-link")
	typeIn("link-email", linkEmail)
	click("btn-magic-link")
	waitText("mail", "to "+linkEmail)
	shot("mailbox")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mail li:first-child a[data-mail-link]`))))
	waitForURL(t, ctx, d.page+"/")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))))
	visible("signed-in")
	waitText("user-email", linkEmail)
	href, err = chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	require.NoError(t, err)
	assert.Equal(t, d.page+"/", href, "nothing left in the address bar")

	// Another tab signs out: this one follows, and its log says who did.
	other := tab(t)
	require.NoError(t, chromedp.Do(other, chromedp.Navigate(d.page+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.ID("signed-in")),
		chromedp.Click(chromedp.ID("btn-sign-out"))))
	visible("signed-out")
	waitText("events", "SIGNED_OUT")
	otherName, err := chromedp.Run(other, chromedp.Evaluate[string](`document.getElementById('tab-name').textContent`))
	require.NoError(t, err)
	waitText("events", otherName)
	shot("events")

	// An SMS code: from the mailbox into the field with its button.
	click("tab-phone")
	click("btn-sms-code")
	waitText("mail", "SMS: Your code is")
	step("use the code", chromedp.Click(chromedp.CSS(`#mail li:first-child [data-use-code]`)))
	click("btn-sms-code-verify")
	visible("signed-in")
	waitText("user-email", "+15551234567")
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

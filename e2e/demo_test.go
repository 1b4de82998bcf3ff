package e2e_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo page (make demo) driven through its buttons: the page, the SDK
// and the emulator it runs, as a newcomer sees them.
func TestDemoPage(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "demo")
	build := exec.Command("go", "build", "-o", bin, "./examples/web")
	build.Dir = repoRoot
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	pagePort, authPort, idpPort := freePort(t), freePort(t), freePort(t)
	cmd := exec.Command(bin, "-port", fmt.Sprint(pagePort), "-auth-port", fmt.Sprint(authPort), "-idp-port", fmt.Sprint(idpPort),
		"-db", filepath.Join(dir, "demo.db"), "-js", filepath.Join(siteDir, "js"))
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var mu sync.Mutex
	var logs []string
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs = append(logs, sc.Text())
			mu.Unlock()
		}
	}()
	logged := func(re *regexp.Regexp) []string {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			for _, l := range logs {
				if m := re.FindStringSubmatch(l); m != nil {
					mu.Unlock()
					return m
				}
			}
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("no log line matches %s", re)
		return nil
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/version", authPort))
		if err == nil {
			res.Body.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "the demo did not start")
	}

	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	authURL := fmt.Sprintf("http://127.0.0.1:%d", authPort)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("http://localhost:%d/?auth=%s", pagePort, authURL))))

	// click presses a button and waits for the result to replace the "…".
	click := func(action string) string {
		var res string
		run(t, ctx, map[string]any{"A": action}, `
document.querySelector('[data-action="' + A + '"]').click();
for (let i = 0; i < 200 && document.getElementById('out').textContent === '…'; i++) await new Promise((r) => setTimeout(r, 25));
return document.getElementById('out').textContent;`, &res)
		return res
	}
	status := func() string {
		var s string
		run(t, ctx, nil, `await new Promise((r) => setTimeout(r, 50)); return document.getElementById('status').textContent;`, &s)
		return s
	}
	set := func(id, v string) {
		var ignored any
		run(t, ctx, map[string]any{"ID": id, "V": v}, `document.getElementById(ID).value = V;`, &ignored)
	}

	set("email", "demo-page@example.com")
	assert.Contains(t, click("signUp"), `"status": 200`)
	assert.Equal(t, "signed in as demo-page@example.com", status())
	assert.Contains(t, click("getUser"), `"email": "demo-page@example.com"`)
	assert.Contains(t, click("signOut"), `"status": 200`)
	assert.Equal(t, "signed out", status())

	// Email code: the emulator logs it (no SMTP server in the demo).
	assert.Contains(t, click("emailOtp"), `"body": "OK"`)
	code := logged(regexp.MustCompile(`to=demo-page@example.com subject="One-time password for [^"]+" code=(\d{6})`))[1]
	set("code", code)
	assert.Contains(t, click("emailOtpVerify"), `"status": 200`)
	assert.Equal(t, "signed in as demo-page@example.com", status())
	assert.Contains(t, click("signOut"), `"status": 200`)

	// SMS code through the dev endpoint button.
	assert.Contains(t, click("sms"), `"body": "OK"`)
	assert.Contains(t, click("smsCode"), `"code"`)
	assert.Contains(t, click("smsVerify"), `"status": 200`)
	assert.Equal(t, "signed in as +15551234567", status())

	var events string
	run(t, ctx, nil, `return document.getElementById('events').textContent;`, &events)
	assert.Equal(t, 3, strings.Count(events, "SIGNED_IN"), events)
	assert.Equal(t, 2, strings.Count(events, "SIGNED_OUT"), events)
	assert.Contains(t, click("signOut"), `"status": 200`)

	// Sign in with GitHub: the button goes to the stand-in's login page;
	// back on the page, the user is signed in.
	var ignored any
	run(t, ctx, nil, `document.querySelector('[data-action="github"]').click(); return null;`, &ignored)
	// The demo page has an #email too: wait for the stand-in's page first.
	waitForURL(t, ctx, fmt.Sprintf("http://127.0.0.1:%d/emulator/oauth2/login?", idpPort))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "octocat@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "Passw0rd!"),
		chromedp.Click(chromedp.ID("approve"))))
	waitForURL(t, ctx, fmt.Sprintf("http://localhost:%d/?", pagePort))
	var shown string
	for i := 0; i < 100 && !strings.HasPrefix(shown, "signed in"); i++ {
		shown = status()
	}
	assert.Equal(t, "signed in as octocat@example.com", shown)
	var href string
	run(t, ctx, nil, `return location.href;`, &href)
	assert.NotContains(t, href, "code=")
	assert.Contains(t, click("providerTokens"), `"accessToken": "ey`)
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

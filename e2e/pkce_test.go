package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// arrival is what a page sees when a redirect brings the user back and
// its createClient handles it.
type arrival struct {
	Before   string `json:"before"`
	Href     string `json:"href"`
	SeenHref string `json:"seenHref"`
	Kind     string `json:"kind"`
	Type     string `json:"type"`
	Code     string `json:"code"`
	Email    string `json:"email"`
	Stored   string `json:"stored"`
}

// arriveScript makes the page's client and reports the redirect's outcome.
const arriveScript = `
const before = location.href;
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const seenHref = location.href;
const r = await nhost.authRedirect;
return { before, href: location.href, seenHref, kind: r.kind, type: r.type ?? '', code: r.error?.body?.error ?? '',
  email: nhost.getUserSession()?.user?.email ?? '', stored: Object.keys(localStorage).filter((k) => k.startsWith('nhostPKCE:')).join(',') };`

// arriveAt opens url (unless empty: the tab is there already) and
// reports the arrival.
func arriveAt(t *testing.T, ctx context.Context, url, auth string) arrival {
	t.Helper()
	if url != "" {
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	}
	var out arrival
	run(t, ctx, map[string]any{"AUTH": auth}, arriveScript, &out)
	return out
}

// A magic link with PKCE: the link brings back a code, not a token; the
// page that started the flow (or another tab of the same browser) trades
// it with the verifier it kept, once; overlapping flows keep their own
// verifiers; a link opened where no verifier is kept says so.
func TestPKCEMagicLinks(t *testing.T) {
	emu := emulator(t, "AUTH_EMAIL_PASSWORDLESS_ENABLED", "true")
	ctx := tab(t)
	start := func(email string) string {
		run(t, ctx, map[string]any{"AUTH": emu.URL, "EMAIL": email, "BACK": pageOrigin + "/blank.html?keep=1#top"}, `
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const flow = await nhost.auth.startPKCEFlow(BACK);
await nhost.auth.signInPasswordlessEmail({ email: EMAIL, codeChallenge: flow.codeChallenge, options: { redirectTo: flow.redirectTo } });
return null;`, new(any))
		return emu.mail(t, email).Link
	}
	run(t, ctx, nil, `localStorage.clear(); return null;`, new(any))
	linkA := start("pkce-a@example.com")
	linkB := start("pkce-b@example.com")
	assert.Contains(t, linkA, "codeChallenge=")

	// B first: its own verifier; A's stays where it is.
	b := arriveAt(t, ctx, linkB, emu.URL)
	require.Equal(t, "signedIn", b.Kind, "%+v", b)
	assert.Equal(t, "pkce-b@example.com", b.Email)
	assert.Contains(t, b.Before, "code=")
	assert.Contains(t, b.Before, "nhostFlow=")
	want := without(t, b.Before, "code", "type", "nhostFlow")
	assert.Equal(t, want, b.SeenHref, "the code left the address bar before the page's code ran on")
	assert.Equal(t, want, b.Href)
	assert.Contains(t, b.Href, "keep=1")
	assert.Contains(t, b.Href, "#top")
	assert.NotEmpty(t, b.Stored, "flow A's verifier is still kept")

	a := arriveAt(t, ctx, linkA, emu.URL)
	require.Equal(t, "signedIn", a.Kind, "%+v", a)
	assert.Equal(t, "pkce-a@example.com", a.Email)
	assert.Empty(t, a.Stored, "each verifier is used once")

	// The history entry of the arrival holds no code: it was replaced.
	back := hrefAfterBack(t, ctx)
	assert.Equal(t, a.Href, back)
	assert.NotContains(t, back, "code=")

	// Opened in a browser that did not start it: no verifier here.
	linkC := start("pkce-c@example.com")
	run(t, ctx, nil, `for (const k of Object.keys(localStorage)) if (k.startsWith('nhostPKCE:')) localStorage.removeItem(k); return null;`, new(any))
	c := arriveAt(t, ctx, linkC, emu.URL)
	assert.Equal(t, "error", c.Kind)
	assert.Equal(t, "pkce-verifier-missing", c.Code)
	assert.Equal(t, "pkce-a@example.com", c.Email, "the session there was is kept")
	assert.NotContains(t, c.Href, "code=")
	assert.NotContains(t, c.Href, "nhostFlow=")

	// An exchange that fails (the code was used already) keeps the session.
	flow := a.Before[strings.Index(a.Before, "nhostFlow=")+len("nhostFlow="):]
	flow = flow[:strings.IndexAny(flow+"&#", "&#")]
	run(t, ctx, map[string]any{"KEY": "nhostPKCE:" + flow}, `
localStorage.setItem(KEY, JSON.stringify({ v: 'x'.repeat(43), t: Date.now() })); return null;`, new(any))
	used := arriveAt(t, ctx, a.Before, emu.URL)
	assert.Equal(t, "error", used.Kind)
	assert.Equal(t, "invalid-request", used.Code)
	assert.Equal(t, "pkce-a@example.com", used.Email, "the session there was is kept")
	assert.Equal(t, a.Href, used.Href)

	// A code that is not of a flow of ours is the page's own business.
	plain := arriveAt(t, ctx, pageOrigin+"/blank.html?code=xyz&state=1", emu.URL)
	assert.Equal(t, "none", plain.Kind)
	assert.Equal(t, pageOrigin+"/blank.html?code=xyz&state=1", plain.Href)
}

// idpPair is two emulator processes: idp is an OpenID provider (Nhost as
// OAuth2 provider, with its login page), app uses it as "github" and
// trusts its ID tokens as "google".
type idpPair struct {
	idp, app *server
}

const idpUser, idpPassword = "provider-user@example.com", "Passw0rd!"

func startIdP(t *testing.T) *idpPair {
	t.Helper()
	appPort := freePort(t)
	appURL := "http://127.0.0.1:" + strconv.Itoa(appPort)
	idp := emulator(t, "AUTH_OAUTH2_PROVIDER_ENABLED", "true", "AUTH_OAUTH2_PROVIDER_LOGIN_URL", "builtin",
		"AUTH_EMULATOR_OAUTH2_CLIENTS", "app:s3cret@"+appURL+"/signin/provider/github/callback")
	app := emulator(t, "AUTH_PORT", strconv.Itoa(appPort), "AUTH_PROVIDER_GITHUB_ENABLED", "true",
		"AUTH_PROVIDER_GITHUB_CLIENT_ID", "app", "AUTH_PROVIDER_GITHUB_CLIENT_SECRET", "s3cret",
		"AUTH_EMULATOR_PROVIDER_GITHUB_ISSUER", idp.URL,
		// google's ID tokens come from the same identity provider.
		"AUTH_PROVIDER_GOOGLE_ENABLED", "true", "AUTH_PROVIDER_GOOGLE_CLIENT_ID", "app",
		"AUTH_EMULATOR_PROVIDER_GOOGLE_ISSUER", idp.URL)
	ctx := tab(t)
	run(t, ctx, map[string]any{"IDP": idp.URL, "EMAIL": idpUser, "PASSWORD": idpPassword}, `
const r = await fetch(IDP + '/signup/email-password', { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ email: EMAIL, password: PASSWORD, options: { displayName: 'Provider Person' } }) });
if (!r.ok) throw new Error('sign-up at the identity provider: ' + r.status);
return null;`, new(any))
	return &idpPair{idp: idp, app: app}
}

// A click-through provider sign-in with PKCE: the page asks the SDK to go
// to the provider, the user signs in on the identity provider's page, and
// the page they come back to is signed in, with no token or code left in
// the address bar or history; the provider's tokens are read once and
// refreshed. The same without PKCE (a refresh token in the redirect), and
// the error paths, each with its SDK error and the session kept.
func TestProviderSignInClickThrough(t *testing.T) {
	p := startIdP(t)
	ctx := tab(t)
	back := pageOrigin + "/blank.html?from=provider"
	run(t, ctx, nil, `localStorage.clear(); return null;`, new(any))

	// The SDK navigates (navigate defaults to true).
	run(t, ctx, map[string]any{"AUTH": p.app.URL, "BACK": back}, `
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
nhost.auth.signInWithProvider('github', { redirectTo: BACK });
return null;`, new(any))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), idpUser),
		chromedp.SendKeys(chromedp.ID("password"), idpPassword),
		chromedp.Click(chromedp.ID("approve")),
	))
	waitForURL(t, ctx, pageOrigin+"/blank.html?")
	a := arriveAt(t, ctx, "", p.app.URL)
	require.Equal(t, "signedIn", a.Kind, "%+v", a)
	assert.Equal(t, idpUser, a.Email)
	assert.Equal(t, back, a.Href, "code and nhostFlow removed, the rest as it was")
	assert.Contains(t, a.Before, "code=")
	assert.NotContains(t, a.Before, "refreshToken=", "with PKCE no token travels in a URL")
	backURL := hrefAfterBack(t, ctx)
	assert.Equal(t, back, backURL, "history holds no code")

	// The provider's tokens: once, then refreshed at the provider.
	type tokens struct {
		First, Second, Refreshed string
		HasRefresh               bool
	}
	var toks tokens
	run(t, ctx, map[string]any{"AUTH": p.app.URL}, `
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const first = (await nhost.auth.getProviderTokens('github')).body;
const second = (await nhost.auth.getProviderTokens('github')).body;
const refreshed = (await nhost.auth.refreshProviderToken('github', { refreshToken: first.refreshToken })).body;
return { First: first.accessToken, Second: second.accessToken, Refreshed: refreshed.accessToken, HasRefresh: !!refreshed.refreshToken };`, &toks)
	assert.NotEmpty(t, toks.First)
	assert.Empty(t, toks.Second, "read once")
	assert.NotEmpty(t, toks.Refreshed)
	assert.True(t, toks.HasRefresh)

	// Without PKCE: the nhost-js way, a refresh token in the redirect.
	var plainURL string
	run(t, ctx, map[string]any{"AUTH": p.app.URL, "BACK": back}, `
const { createClient } = await import('/js/index.js');
return createClient({ authUrl: AUTH }).auth.signInProviderURL('github', { redirectTo: BACK });`, &plainURL)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(plainURL),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), idpUser),
		chromedp.SendKeys(chromedp.ID("password"), idpPassword),
		chromedp.Click(chromedp.ID("approve"))))
	waitForURL(t, ctx, pageOrigin+"/blank.html?")
	plain := arriveAt(t, ctx, "", p.app.URL)
	require.Equal(t, "signedIn", plain.Kind, "%+v", plain)
	assert.Contains(t, plain.Before, "refreshToken=")
	assert.Equal(t, back, plain.Href)
	assert.Equal(t, back, hrefAfterBack(t, ctx), "history holds no refresh token")

	// Error paths: each comes back with its error, the session is kept,
	// and the error parameters leave the address bar.
	for _, tc := range []struct{ name, url, code string }{
		{"forged state", p.app.URL + "/signin/provider/github/callback?code=x&state=forged", "invalid-state"},
		{"provider error", "", "oauth-provider-error"},
		{"unknown code", "", "oauth-token-echange-failed"},
		{"disabled provider", p.app.URL + "/signin/provider/gitlab?redirectTo=" + back, "disabled-endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url
			if url == "" {
				// A real state from the app, then the provider's answer made up.
				var start string
				run(t, ctx, map[string]any{"AUTH": p.app.URL, "BACK": back}, `
const { createClient } = await import('/js/index.js');
return createClient({ authUrl: AUTH }).auth.signInProviderURL('github', { redirectTo: BACK });`, &start)
				state := stateOf(t, start)
				url = p.app.URL + "/signin/provider/github/callback?state=" + state
				if tc.code == "oauth-provider-error" {
					url += "&error=access_denied&error_description=denied"
				} else {
					url += "&code=not-a-code"
				}
			}
			r := arriveAt(t, ctx, url, p.app.URL)
			assert.Equal(t, "error", r.Kind)
			assert.Equal(t, tc.code, r.Code)
			assert.Equal(t, idpUser, r.Email, "the session there was is kept")
			for _, k := range []string{"error=", "errorDescription=", "provider_error", "provider_state="} {
				assert.NotContains(t, r.Href, k)
			}
		})
	}
}

// stateOf follows the app's provider URL one hop and returns the state it
// sends to the provider.
func stateOf(t *testing.T, start string) string {
	t.Helper()
	loc := noRedirectLocation(t, start)
	i := strings.Index(loc, "state=")
	require.Greater(t, i, 0, loc)
	s := loc[i+len("state="):]
	if j := strings.IndexByte(s, '&'); j >= 0 {
		s = s[:j]
	}
	return s
}

// waitForURL waits until the tab's location starts with prefix.
func waitForURL(t *testing.T, ctx context.Context, prefix string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var href string
	for time.Now().Before(deadline) {
		if h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); err == nil {
			if href = h; strings.HasPrefix(href, prefix) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the tab did not reach %s (at %s)", prefix, href)
}

// hrefAfterBack goes to another page and back, and returns where the
// history entry of the page before leads (a restore from the back-forward
// cache fires no load event, so this polls).
func hrefAfterBack(t *testing.T, ctx context.Context) string {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageOrigin+"/blank.html?elsewhere")))
	_, err := chromedp.Run(ctx, chromedp.Evaluate[any](`history.back()`))
	require.NoError(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); err == nil && !strings.HasSuffix(h, "?elsewhere") {
			return h
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("history.back() did not leave the page")
	return ""
}

// noRedirectLocation GETs u and returns its redirect's Location.
func noRedirectLocation(t *testing.T, u string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(u)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	return res.Header.Get("Location")
}

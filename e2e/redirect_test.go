package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A magic link brings the user back with a refresh token in the URL: the
// page's createClient exchanges it, removes it from the address bar at
// once (everything else in the URL stays), and reports the outcome; the
// same link again comes back with an error, reported too, and the session
// there was is kept.
func TestSignInLinkIsHandledOnArrival(t *testing.T) {
	emu := emulator(t, "AUTH_EMAIL_PASSWORDLESS_ENABLED", "true")
	ctx := tab(t)
	email := "link-arrival@example.com"
	run(t, ctx, map[string]any{"AUTH": emu.URL, "EMAIL": email, "BACK": pageOrigin + "/blank.html?keep=a%20b&n=1#section"}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
await nhost.auth.signInPasswordlessEmail({ email: EMAIL, options: { redirectTo: BACK } });
return null;`, new(any))
	link := emu.mail(t, email).Link

	type arrival struct {
		Before   string `json:"before"`
		Href     string `json:"href"`
		SeenHref string `json:"seenHref"`
		Kind     string `json:"kind"`
		Type     string `json:"type"`
		Code     string `json:"code"`
		Session  bool   `json:"session"`
		Events   []string
	}
	arrive := func() arrival {
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(link)))
		var out arrival
		run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const before = location.href;
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const seenHref = location.href; // what the page's own code sees right after createClient
const events = [];
nhost.onAuthStateChange((e) => events.push(e));
const r = await nhost.authRedirect;
return { before, href: location.href, seenHref, kind: r.kind, type: r.type, code: r.error?.body?.error ?? '',
  session: !!nhost.getUserSession(), events };`, &out)
		return out
	}

	first := arrive()
	assert.Equal(t, "signedIn", first.Kind)
	assert.NotEmpty(t, first.Type, "the link's type, as the server sent it")
	assert.True(t, first.Session)
	assert.Contains(t, first.Before, "refreshToken=")
	want := without(t, first.Before, "refreshToken", "type")
	assert.Contains(t, want, "keep=")
	assert.Contains(t, want, "#section")
	assert.Equal(t, want, first.SeenHref, "the token left the address bar before the page's code ran on")
	assert.Equal(t, want, first.Href)
	assert.NotContains(t, first.Href, "refreshToken")

	// The link is single-use: the server sends the user back with an error.
	second := arrive()
	assert.Equal(t, "error", second.Kind)
	assert.Equal(t, "invalid-ticket", second.Code)
	assert.True(t, second.Session, "the session from the first visit is kept")
	assert.Contains(t, second.Before, "errorDescription=")
	assert.Equal(t, without(t, second.Before, "error", "errorDescription", "type"), second.Href, "error and errorDescription removed, the rest kept")
}

// without is rawURL with the query parameters named left out, every other
// byte as it was.
func without(t *testing.T, rawURL string, names ...string) string {
	u, frag, _ := strings.Cut(rawURL, "#")
	base, query, _ := strings.Cut(u, "?")
	var kept []string
	for _, p := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(p, "=")
		drop := false
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop && p != "" {
			kept = append(kept, p)
		}
	}
	out := base
	if len(kept) > 0 {
		out += "?" + strings.Join(kept, "&")
	}
	if frag != "" {
		out += "#" + frag
	}
	return out
}

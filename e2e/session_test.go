package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

// The session engine in real Chromium against the emulator process:
// single-flight refresh in a page and across tabs, cross-tab events,
// outages, sleeping timers and wrong clocks.

// shortLived is the access token lifetime (seconds) of the tests that need
// a token to really expire: the server rejects it afterwards.
const shortLived = 4

// requests counts the emulator's logged requests (preflights aside) per
// "METHOD /path", once its log has been quiet for a moment: a response can
// reach the page before its log line reaches us.
func requests(t testing.TB, emu *server) map[string]int {
	n := map[string]int{}
	for _, l := range settledLogs(t, emu) {
		if m := requestLine.FindStringSubmatch(l); m != nil && m[1] != "OPTIONS" {
			n[m[1]+" "+m[2]]++
		}
	}
	return n
}

// settledLogs is the emulator's log once it has been quiet for a moment:
// a response can reach the page before its log line reaches us.
func settledLogs(t testing.TB, emu *server) []string {
	logs := emu.logs(t)
	for quiet := 0; quiet < 3; {
		time.Sleep(50 * time.Millisecond)
		if now := emu.logs(t); len(now) != len(logs) {
			logs, quiet = now, 0
		} else {
			quiet++
		}
	}
	return logs
}

// storedSessions signs users up from Go and returns their sessions in the
// stored shape nhost-js keeps under nhostSession. When the emulator runs
// with shortLived tokens, it waits until they have expired and checks that
// the server refuses them.
func storedSessions(t *testing.T, emu *server, expire bool, emails ...string) []string {
	ctx := context.Background()
	c := nethttp.NewClient(emu.URL)
	var out []string
	var last core.Session
	for _, email := range emails {
		res, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!"})
		require.NoError(t, err)
		require.NotNil(t, res.Body.Session)
		last = *res.Body.Session
		stored, err := core.NewStoredSession(last)
		require.NoError(t, err)
		b, err := codec.Marshal(stored)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	if expire {
		time.Sleep(shortLived*time.Second + 600*time.Millisecond)
		_, err := c.GetUser(ctx, core.WithBearer(last.AccessToken))
		var fe *core.FetchError
		require.ErrorAs(t, err, &fe)
		// The real server's answer to an expired token on a Bearer endpoint.
		require.Equal(t, 400, fe.Status, "the stored token has expired for the server too")
		require.Contains(t, fmt.Sprint(fe.Body), "token is expired")
	}
	return out
}

func TestOnePageExpiredTokenOneRefresh(t *testing.T) {
	emu := emulator(t, "AUTH_ACCESS_TOKEN_EXPIRES_IN", fmt.Sprint(shortLived))
	stored := storedSessions(t, emu, true, "one-page@example.com")[0]
	base := requests(t, emu)
	ctx := tab(t)
	var out struct {
		OK      int
		Rotated bool
		Events  []string
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL, "STORED": stored}, `
localStorage.setItem('nhostSession', STORED);
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const events = [];
nhost.onAuthStateChange((e) => events.push(e));
const results = await Promise.allSettled(Array.from({ length: 20 }, () => nhost.auth.getUser()));
return { OK: results.filter((r) => r.status === 'fulfilled' && r.value.status === 200).length,
  Rotated: nhost.getUserSession().refreshToken !== JSON.parse(STORED).refreshToken, Events: events };`, &out)
	n := requests(t, emu)
	assert.Equal(t, 20, out.OK)
	assert.True(t, out.Rotated)
	assert.Equal(t, []string{"TOKEN_REFRESHED"}, out.Events)
	assert.Equal(t, 1, n["POST /token"], "one refresh for 20 concurrent calls")
	assert.Equal(t, 20, n["GET /user"]-base["GET /user"])
}

// evalIn evaluates an async function body in a tab, for use from goroutines.
func evalIn(ctx context.Context, consts map[string]any, body string) (string, error) {
	var decl strings.Builder
	for k, v := range consts {
		b, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&decl, "const %s = %s;\n", k, b)
	}
	expr := "(async () => {\n" + decl.String() + body + "\n})().then((r) => JSON.stringify(r === undefined ? null : r))"
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return chromedp.Run(tctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
}

func TestThreeTabsExpiredTokenOneRefresh(t *testing.T) {
	emu := emulator(t, "AUTH_ACCESS_TOKEN_EXPIRES_IN", fmt.Sprint(shortLived))
	stored := storedSessions(t, emu, true, "three-tabs@example.com")[0]
	base := requests(t, emu)
	tabs := []context.Context{tab(t), tab(t), tab(t)}
	starter := tab(t)
	var ignored any
	run(t, starter, map[string]any{"STORED": stored}, `localStorage.setItem('nhostSession', STORED);`, &ignored)

	type result struct {
		OK      int      `json:"ok"`
		Refresh string   `json:"refresh"`
		Events  []string `json:"events"`
	}
	results := make([]result, len(tabs))
	errs := make([]error, len(tabs))
	var wg sync.WaitGroup
	for i, ctx := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each tab loads the SDK, then waits for the same start signal.
			res, err := evalIn(ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient, preload } = await import('/js/index.js');
await preload();
await new Promise((resolve) => { new BroadcastChannel('start').onmessage = resolve; });
const nhost = createClient({ authUrl: AUTH });
const events = [];
nhost.onAuthStateChange((e) => events.push(e));
const rs = await Promise.allSettled(Array.from({ length: 20 }, () => nhost.auth.getUser()));
await new Promise((r) => setTimeout(r, 300)); // let the other tabs' notices arrive
return { ok: rs.filter((r) => r.status === 'fulfilled' && r.value.status === 200).length,
  refresh: nhost.getUserSession()?.refreshToken ?? null, events };`)
			if err == nil {
				err = json.Unmarshal([]byte(res), &results[i])
			}
			errs[i] = err
		}()
	}
	time.Sleep(time.Second) // all three are waiting
	run(t, starter, nil, `new BroadcastChannel('start').postMessage('go');`, &ignored)
	wg.Wait()
	for i := range tabs {
		require.NoError(t, errs[i], "tab %d", i)
		assert.Equal(t, 20, results[i].OK, "tab %d", i)
		assert.NotEmpty(t, results[i].Refresh, "tab %d is still signed in", i)
		assert.Equal(t, results[0].Refresh, results[i].Refresh, "tab %d has the same session", i)
		assert.NotContains(t, results[i].Events, "SIGNED_OUT", "tab %d", i)
	}
	assert.NotEqual(t, storedRefresh(t, stored), results[0].Refresh)
	n := requests(t, emu)
	assert.Equal(t, 1, n["POST /token"], "one refresh for three tabs")
	assert.Equal(t, 60, n["GET /user"]-base["GET /user"])
}

func storedRefresh(t *testing.T, stored string) string {
	var s struct{ RefreshToken string }
	require.NoError(t, json.Unmarshal([]byte(stored), &s))
	return s.RefreshToken
}

func TestSignOutReachesOtherTabs(t *testing.T) {
	emu := emulator(t)
	a, b, c := tab(t), tab(t), tab(t)
	var ignored any
	run(t, a, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
window.nhost = createClient({ authUrl: AUTH });
await nhost.auth.signUpEmailPassword({ email: 'sign-out@example.com', password: 'Passw0rd!' });`, &ignored)
	for _, ctx := range []context.Context{b, c} {
		run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient } = await import('/js/index.js');
window.nhost = createClient({ authUrl: AUTH });
window.events = [];
window.changes = [];
nhost.onAuthStateChange((event, session) => events.push({ event, at: Date.now(), session: session !== null }));
nhost.sessionStorage.onChange((s) => changes.push(s !== null));
await nhost.auth.getUser();`, &ignored)
	}
	before := requests(t, emu)["POST /token"]
	var signedOutAt float64
	run(t, a, nil, `
const at = Date.now();
await nhost.auth.signOut({ refreshToken: nhost.getUserSession().refreshToken });
return at;`, &signedOutAt)
	time.Sleep(1500 * time.Millisecond)
	for i, ctx := range []context.Context{b, c} {
		var out struct {
			Events []struct {
				Event   string
				At      float64
				Session bool
			}
			Changes []bool
			Session any
			Status  int
		}
		run(t, ctx, nil, `
let status = 0;
try { await nhost.auth.getUser(); } catch (e) { status = e.status; }
document.dispatchEvent(new Event('visibilitychange'));
await new Promise((r) => setTimeout(r, 200));
return { Events: events, Changes: changes, Session: nhost.getUserSession(), Status: status };`, &out)
		require.Len(t, out.Events, 1, "tab %d", i)
		assert.Equal(t, "SIGNED_OUT", out.Events[0].Event)
		assert.False(t, out.Events[0].Session)
		assert.Less(t, out.Events[0].At-signedOutAt, 1000.0, "tab %d saw the sign-out within 1 s", i)
		assert.Equal(t, []bool{false}, out.Changes, "sessionStorage.onChange fired in tab %d", i)
		assert.Nil(t, out.Session)
		assert.Equal(t, 400, out.Status, "no bearer token: the server's 400")
	}
	assert.Equal(t, before, requests(t, emu)["POST /token"], "no /token after the sign-out")
}

func TestOfflineWhileTheTokenExpires(t *testing.T) {
	emu := emulator(t, "AUTH_ACCESS_TOKEN_EXPIRES_IN", fmt.Sprint(shortLived))
	ctx := tab(t)
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	var ignored any
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
window.attempts = 0;
const realFetch = window.fetch;
window.fetch = (url, init) => { if (String(url).endsWith('/token')) attempts++; return realFetch(url, init); };
const { createClient } = await import('/js/index.js');
window.nhost = createClient({ authUrl: AUTH });
await nhost.auth.signUpEmailPassword({ email: 'offline@example.com', password: 'Passw0rd!' });
window.first = nhost.getUserSession().refreshToken;
window.refreshedAt = null;
window.onlineAt = null;
addEventListener('online', () => { onlineAt = Date.now(); });
nhost.onAuthStateChange((e) => { if (e === 'TOKEN_REFRESHED' && refreshedAt === null && navigator.onLine) refreshedAt = Date.now(); });`, &ignored)

	setOffline := func(offline bool) {
		_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
		})
		require.NoError(t, err)
		_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		})
		require.NoError(t, err)
	}
	setOffline(true)
	// Offline for three token lifetimes, with the page making requests.
	var offline struct {
		Attempts int
		Kept     bool
		Failed   int
		OnLine   bool
	}
	run(t, ctx, map[string]any{"WAIT": 3 * shortLived * 1000}, `
let failed = 0;
const end = Date.now() + WAIT;
while (Date.now() < end) {
  try { await nhost.auth.getUser(); } catch (e) { if (e.status === 0) failed++; }
  await new Promise((r) => setTimeout(r, 250));
}
return { Attempts: attempts, Kept: nhost.getUserSession()?.refreshToken === first, Failed: failed, OnLine: navigator.onLine };`, &offline)
	assert.False(t, offline.OnLine)
	assert.True(t, offline.Kept, "the session is kept while offline")
	assert.Greater(t, offline.Failed, 10, "requests were made and failed")
	assert.GreaterOrEqual(t, offline.Attempts, 1)
	assert.LessOrEqual(t, offline.Attempts, 6, "backoff, not a storm")

	setOffline(false)
	var back struct {
		Delay    float64
		Rotated  bool
		Attempts int
	}
	run(t, ctx, nil, `
const deadline = Date.now() + 5000;
while (refreshedAt === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
return { Delay: refreshedAt === null || onlineAt === null ? -1 : refreshedAt - onlineAt,
  Rotated: nhost.getUserSession()?.refreshToken !== first, Attempts: attempts };`, &back)
	assert.True(t, back.Rotated)
	assert.GreaterOrEqual(t, back.Delay, 0.0)
	assert.Less(t, back.Delay, 2000.0, "refreshed within 2 s of going back online")
	assert.GreaterOrEqual(t, requests(t, emu)["POST /token"], 1, "the server saw the refresh")
}

// clockScript replaces Date so that the page's clock (and Go's, which
// reads Date) runs window.clockOffset ms ahead of the real one.
const clockScript = `
(() => {
  const RealDate = Date;
  let offset = %d;
  class ShiftedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
    static now() { return RealDate.now() + offset; }
  }
  globalThis.Date = ShiftedDate;
  globalThis.setClockOffset = (ms) => { offset = ms; };
})();`

// clockTab opens a tab whose clock runs offset ahead.
func clockTab(t *testing.T, offset time.Duration) context.Context {
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: fmt.Sprintf(clockScript, offset.Milliseconds()),
	})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageOrigin+"/blank.html")))
	return ctx
}

func TestSleepingTimerRefreshesOnVisibilityChange(t *testing.T) {
	emu := emulator(t)
	ctx := clockTab(t, 0)
	var out struct {
		Events       []string
		RefreshFirst bool
		Status       int
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
await nhost.auth.signUpEmailPassword({ email: 'sleeper@example.com', password: 'Passw0rd!' });
const events = [];
let requestsSeen = 0;
nhost.auth.pushChainFunction((next) => (url, init) => { requestsSeen++; return next(url, init); });
const refreshed = new Promise((resolve) => nhost.onAuthStateChange((e) => { events.push(e); if (e === 'TOKEN_REFRESHED') resolve(requestsSeen); }));
// The laptop slept for 20 minutes: no timer fired, the clock moved on.
setClockOffset(20 * 60 * 1000);
document.dispatchEvent(new Event('visibilitychange'));
const seenAtRefresh = await refreshed;
const res = await nhost.auth.getUser();
return { Events: events, RefreshFirst: seenAtRefresh === 1, Status: res.status };`, &out)
	assert.Equal(t, []string{"TOKEN_REFRESHED"}, out.Events)
	assert.True(t, out.RefreshFirst, "only the refresh went out before the page's next request")
	assert.Equal(t, 200, out.Status)
	n := requests(t, emu)
	assert.Equal(t, 1, n["POST /token"])
	var order []string
	for _, l := range emu.logs(t) {
		if m := requestLine.FindStringSubmatch(l); m != nil && m[1] != "OPTIONS" && (m[2] == "/token" || m[2] == "/user") {
			order = append(order, m[2])
		}
	}
	assert.Equal(t, []string{"/token", "/user"}, order)
}

func TestClockSixteenMinutesAhead(t *testing.T) {
	emu := emulator(t)
	stored := storedSessions(t, emu, false, "clock-stored@example.com")[0]
	const ahead = 16 * time.Minute

	// Signed in within the page.
	ctx := clockTab(t, ahead)
	var okIn int
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
localStorage.clear();
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
await nhost.auth.signUpEmailPassword({ email: 'clock@example.com', password: 'Passw0rd!' });
let ok = 0;
for (let i = 0; i < 20; i++) if ((await nhost.auth.getUser()).status === 200) ok++;
return ok;`, &okIn)
	assert.Equal(t, 20, okIn)
	assert.Zero(t, requests(t, emu)["POST /token"], "a fresh token is not refreshed for a wrong clock")

	// A session stored before: judged expired once, then right.
	ctx2 := clockTab(t, ahead)
	var okStored int
	run(t, ctx2, map[string]any{"AUTH": emu.URL, "STORED": stored}, `
localStorage.setItem('nhostSession', STORED);
const { createClient } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
let ok = 0;
for (let i = 0; i < 20; i++) if ((await nhost.auth.getUser()).status === 200) ok++;
return ok;`, &okStored)
	assert.Equal(t, 20, okStored)
	assert.LessOrEqual(t, requests(t, emu)["POST /token"], 1)
	assert.Equal(t, 40, requests(t, emu)["GET /user"])
}

func TestCorruptStoredSession(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	for _, bad := range []string{`{corrupt`, `"foreign"`, `{"accessToken":1}`, `{"accessToken":"a.b.c","refreshToken":"x"}`, `[1,2]`} {
		var out struct {
			Session any
			Status  int
			Errors  []string
			Stored  any
			Class   string
		}
		run(t, ctx, map[string]any{"AUTH": emu.URL, "BAD": bad}, `
const errors = [];
const onError = (e) => errors.push(String(e.message ?? e.reason));
addEventListener('error', onError);
addEventListener('unhandledrejection', onError);
localStorage.setItem('nhostSession', BAD);
const { createClient, FetchError } = await import('/js/index.js');
const nhost = createClient({ authUrl: AUTH });
const session = nhost.getUserSession();
let status = 0, cls = '';
try { await nhost.auth.getUser(); } catch (e) { status = e.status; cls = e.constructor.name; }
await nhost.refreshSession();
await new Promise((r) => setTimeout(r, 100));
nhost.dispose();
removeEventListener('error', onError);
removeEventListener('unhandledrejection', onError);
return { Session: session, Status: status, Errors: errors, Stored: localStorage.getItem('nhostSession'), Class: cls };`, &out)
		assert.Nil(t, out.Session, bad)
		assert.Equal(t, 400, out.Status, "%s: signed out, so no bearer (the server answers 400 then)", bad)
		assert.Equal(t, "FetchError", out.Class, bad)
		assert.Empty(t, out.Errors, bad)
		assert.Nil(t, out.Stored, "%s is discarded", bad)
	}
	assert.Zero(t, requests(t, emu)["POST /token"])
}

package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expiredSession is JS that signs up through EMU with a fresh client and
// leaves in store a copy of the session whose access token has expired,
// so the next request refreshes first.
const expiredSession = `
const { createClient } = await import(INDEX);
const store = { v: null, get() { return this.v; }, set(x) { this.v = x; }, remove() { this.v = null; } };
const seed = createClient({ authUrl: EMU, autoRefresh: false, storage: store });
await seed.auth.signUpEmailPassword({ email: 'expired-' + Math.random() + '@example.com', password: 'Passw0rd!' });
const s = seed.getUserSession();
seed.dispose();
const b64 = (o) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const exp = Math.floor(Date.now() / 1000) - 60;
store.v = { ...s, accessToken: [b64({ alg: 'RS256' }), b64({ ...s.decodedToken, iat: exp - 900, exp }), 'x'].join('.') };
`

// Signing out after the access token expired revokes the refresh token
// that the refresh step just obtained, not the one the caller read
// (defect 2): afterwards neither refresh token works.
func TestSignOutAfterExpiryRevokesTheCurrentToken(t *testing.T) {
	emu := emulator(t)
	script := expiredSession + `
const nhost = createClient({ authUrl: EMU, autoRefresh: false, storage: store });
const old = nhost.getUserSession().refreshToken;
let sentBody = null;
nhost.auth.pushChainFunction((next) => (u, init) => { if (String(u).endsWith('/signout')) sentBody = init.body; return next(u, init); });
await nhost.auth.signOut({ refreshToken: old });
const raw = (await import(INDEX.replace('index.js', 'auth.js'))).createAPIClient(EMU);
const sent = JSON.parse(sentBody).refreshToken;
const status = (p) => p.then((r) => r.status, (e) => e.status);
return { rotated: sent !== old, newWorks: await status(raw.refreshToken({ refreshToken: sent })),
  oldWorks: await status(raw.refreshToken({ refreshToken: old })), session: nhost.getUserSession() };`
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			var out struct {
				Rotated            bool
				NewWorks, OldWorks int
				Session            any
			}
			inPageOrNode(t, where, map[string]any{"EMU": emu.URL}, script, &out)
			assert.True(t, out.Rotated, "the sign-out carried the refresh token the refresh step obtained")
			assert.Equal(t, 401, out.NewWorks, "the current refresh token is revoked")
			assert.Equal(t, 401, out.OldWorks, "the old one was spent by the refresh")
			assert.Nil(t, out.Session)
		})
	}
}

// A 2xx /token answer without a usable session counts as a failed
// refresh and backs off, instead of asking again at once (defect 3).
func TestUnusableRefreshAnswerBacksOff(t *testing.T) {
	emu := emulator(t)
	target, err := url.Parse(emu.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var tokens atomic.Int32
	answers := []string{`{}`, ``, `{"session":null}`, `{"accessToken":"a.b.c","refreshToken":"r"}`}
	var answer atomic.Int32
	broken := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodOptions && strings.HasSuffix(r.URL.Path, "/token") {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			tokens.Add(1)
			body := answers[int(answer.Load())%len(answers)]
			if body == "" {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body)
			return
		}
		proxy.ServeHTTP(w, r)
	})
	authURL := fmt.Sprintf("http://127.0.0.1:%d", serveLoopback(t, broken))
	script := expiredSession + `
const nhost = createClient({ authUrl: AUTH, storage: store });
const end = Date.now() + 3000;
let calls = 0;
while (Date.now() < end) {
  await nhost.auth.getVersion().catch(() => {});
  calls++;
  await new Promise((r) => setTimeout(r, 20));
}
nhost.dispose();
return { calls, session: nhost.getUserSession()?.refreshToken === s.refreshToken };`
	for i, where := range []string{"browser", "node"} {
		for j := range answers {
			t.Run(fmt.Sprintf("%s/%d", where, j), func(t *testing.T) {
				answer.Store(int32(i*len(answers) + j))
				before := tokens.Load()
				var out struct {
					Calls   int
					Session bool
				}
				inPageOrNode(t, where, map[string]any{"EMU": emu.URL, "AUTH": authURL}, script, &out)
				assert.Greater(t, out.Calls, 20, "requests went on")
				got := tokens.Load() - before
				assert.LessOrEqual(t, got, int32(3), "%s: /token asked %d times in 3 s (1 s, 2 s backoff)", answers[j], got)
				assert.True(t, out.Session, "the session is kept")
			})
		}
	}
}

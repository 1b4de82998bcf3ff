//go:build !(js && wasm)

package core_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

// flaky is a transport that can be switched off (no network) or made to
// answer 503, and counts the requests that reached it.
type flaky struct {
	next    core.Transport
	offline atomic.Bool
	fail503 atomic.Bool
	tokens  atomic.Int64 // /token attempts
}

func (f *flaky) RoundTrip(ctx context.Context, r *core.Request) (*core.Response, error) {
	if len(r.URL) > 6 && r.URL[len(r.URL)-6:] == "/token" {
		f.tokens.Add(1)
	}
	if f.offline.Load() {
		return nil, errors.New("network is down")
	}
	if f.fail503.Load() {
		return &core.Response{Status: 503, Header: core.Header{}, Body: []byte("<html>503</html>")}, nil
	}
	return f.next.RoundTrip(ctx, r)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestOfflineRefreshKeepsTheSessionAndBacksOff(t *testing.T) {
	ts, _ := emulatorServer(t)
	ctx := context.Background()
	tr := &flaky{next: nethttp.New(nil)}
	a := core.NewAuthClient(ts.URL, tr, nil)
	clk := &clock{t: time.Now()}
	a.Now = clk.now
	_, err := a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	before := a.GetUserSession()

	// The token nears its end while the network is down.
	clk.add(870 * time.Second)
	tr.offline.Store(true)
	for i := 0; i < 50; i++ {
		_, err := a.GetVersion(ctx)
		require.Error(t, err)
	}
	assert.Equal(t, int64(1), tr.tokens.Load(), "one refresh attempt, then the backoff holds")
	assert.Equal(t, before.RefreshToken, a.GetUserSession().RefreshToken, "session kept")

	// The scheduler is told to come back when the backoff ends, not before.
	next, err := a.AutoRefresh(ctx)
	assert.NoError(t, err)
	assert.True(t, next.After(clk.now()), "next %v now %v", next, clk.now())
	assert.True(t, next.Sub(clk.now()) <= 2*core.MinBackoff)

	// Server errors count as failures too: kept session, longer backoff.
	tr.offline.Store(false)
	tr.fail503.Store(true)
	clk.add(2 * time.Second)
	_, err = a.AutoRefresh(ctx)
	assert.Error(t, err)
	assert.Equal(t, int64(2), tr.tokens.Load())
	assert.NotNil(t, a.GetUserSession())

	// Back online: the next attempt is immediate and succeeds.
	tr.fail503.Store(false)
	a.ResetBackoff()
	next, err = a.AutoRefresh(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, before.RefreshToken, a.GetUserSession().RefreshToken)
	assert.True(t, next.After(clk.now().Add(time.Minute)), "next run at the start of the next margin")
}

// lockerFunc makes a Locker from a function.
type lockerFunc func(ctx context.Context, timeout time.Duration) (func(), error)

func (f lockerFunc) Lock(ctx context.Context, timeout time.Duration) (func(), error) {
	return f(ctx, timeout)
}

// Two clients on one storage, as two tabs: while one waits for the lock,
// the other refreshes; the waiter uses that session instead of spending
// the (now rotated) refresh token.
func TestWaiterUsesTheSessionAnotherTabObtained(t *testing.T) {
	ts, counts := emulatorServer(t)
	ctx := context.Background()
	shared := &core.MemoryStorage{}
	var lock sync.Mutex
	locker := lockerFunc(func(context.Context, time.Duration) (func(), error) {
		lock.Lock()
		return lock.Unlock, nil
	})
	tabA := core.NewAuthClient(ts.URL, nethttp.New(nil), shared)
	tabB := core.NewAuthClient(ts.URL, nethttp.New(nil), shared)
	tabA.Locker, tabB.Locker = locker, locker
	_, err := tabA.SignInAnonymous(ctx, nil)
	require.NoError(t, err)

	lock.Lock() // tab A's refresh waits behind this
	doneA := make(chan error)
	go func() {
		_, err := tabA.RefreshSession(ctx, 0)
		doneA <- err
	}()
	time.Sleep(50 * time.Millisecond)
	// Meanwhile "tab B" refreshes without the lock (as if it held it earlier).
	tabB.Locker = nil
	_, err = tabB.RefreshSession(ctx, 0)
	require.NoError(t, err)
	lock.Unlock()
	require.NoError(t, <-doneA)
	assert.Equal(t, int64(1), count(counts, "/token"), "the waiter did not refresh again")
	_, err = tabA.GetUser(ctx)
	assert.Error(t, err, "anonymous users cannot read /user, but the call was made with a valid token")
	var fe *core.FetchError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, http.StatusForbidden, fe.Status)
}

// A lock that cannot be had in time does not stop the refresh.
func TestLockTimeoutFallsBack(t *testing.T) {
	ts, counts := emulatorServer(t)
	ctx := context.Background()
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), nil)
	a.Locker = lockerFunc(func(context.Context, time.Duration) (func(), error) { return nil, errors.New("timed out") })
	_, err := a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	_, err = a.RefreshSession(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, int64(1), count(counts, "/token"))
}

// A 401 for a token that another tab already replaced keeps that tab's session.
func TestRejectedOldTokenDoesNotClearANewerSession(t *testing.T) {
	ts, _ := emulatorServer(t)
	ctx := context.Background()
	shared := &core.MemoryStorage{}
	tabA := core.NewAuthClient(ts.URL, nethttp.New(nil), shared)
	_, err := tabA.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	old := tabA.GetUserSession()

	// Tab B rotates the token; tab A then tries the old one (its refresh raced).
	tabB := core.NewAuthClient(ts.URL, nethttp.New(nil), shared)
	_, err = tabB.RefreshSession(ctx, 0)
	require.NoError(t, err)
	newer := tabB.GetUserSession()
	require.NotEqual(t, old.RefreshToken, newer.RefreshToken)

	// The server rejects the old token (tab A's request raced tab B's)...
	_, err = tabA.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: old.RefreshToken})
	var fe *core.FetchError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 401, fe.Status)
	// ...and tab A keeps the newer session: it is not the rejected token.
	assert.Equal(t, newer.RefreshToken, tabA.GetUserSession().RefreshToken)
	s, err := tabA.RefreshSession(ctx, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, newer.RefreshToken, s.RefreshToken)
}

func TestAutomaticMarginIsAtMostHalfTheTokenLifetime(t *testing.T) {
	ts, hits := emulatorServer(t)
	ctx := context.Background()
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), nil)
	clk := &clock{t: time.Now()}
	a.Now = clk.now
	a.Margin = time.Hour // longer than the token's 900 s life
	_, err := a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		_, err := a.GetVersion(ctx)
		require.NoError(t, err)
	}
	assert.Zero(t, count(hits, "/token"), "a margin beyond the lifetime must not refresh before every request")
	next, err := a.AutoRefresh(ctx)
	require.NoError(t, err)
	exp := time.UnixMilli(*a.GetUserSession().DecodedToken.Exp)
	assert.WithinDuration(t, exp.Add(-450*time.Second), next, 2*time.Second, "timer set at half the lifetime")

	clk.add(451 * time.Second)
	_, err = a.GetVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), count(hits, "/token"))

	// Margin 0 in the configuration means "at expiry", not "always".
	a.Margin = 0
	for i := 0; i < 5; i++ {
		_, err := a.GetVersion(ctx)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), count(hits, "/token"))
}

// Signing out after the access token expired refreshes first (the
// request needs a fresh token), which rotates the refresh token: the
// sign-out must then revoke the new one, not the one the caller read
// before, or the new one stays valid on the server.
func TestSignOutAfterExpiryRevokesTheCurrentRefreshToken(t *testing.T) {
	ts, _ := emulatorServer(t)
	ctx := context.Background()
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), nil)
	clk := &clock{t: time.Now()}
	a.Now = clk.now
	var seen []string
	a.Sessions.OnChange(func(s *core.StoredSession) {
		if s != nil {
			seen = append(seen, s.RefreshToken)
		}
	})
	_, err := a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	old := a.GetUserSession().RefreshToken

	clk.add(890 * time.Second) // within the refresh margin
	_, err = a.SignOut(ctx, core.SignOutRequest{RefreshToken: old})
	require.NoError(t, err)
	assert.Nil(t, a.GetUserSession())
	require.Len(t, seen, 2, "signed in, then refreshed before the sign-out")

	raw := core.NewClient(ts.URL, nethttp.New(nil))
	for _, rt := range seen {
		_, err := raw.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: rt})
		var fe *core.FetchError
		require.ErrorAs(t, err, &fe, "refresh token %s must be revoked", rt)
		assert.Equal(t, 401, fe.Status)
	}
}

// canned answers /token with a fixed response and passes the rest on.
type canned struct {
	next   core.Transport
	answer *core.Response
	tokens atomic.Int64
}

func (c *canned) RoundTrip(ctx context.Context, r *core.Request) (*core.Response, error) {
	if strings.HasSuffix(r.URL, "/token") {
		c.tokens.Add(1)
		return c.answer, nil
	}
	return c.next.RoundTrip(ctx, r)
}

func unsignedJWT(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(claims)) + ".x"
}

// A 2xx /token answer without a usable session counts as a failed
// refresh: the session is kept and the backoff holds, so that neither
// requests nor the timer ask again in a loop.
func TestRefreshAnswerWithoutUsableSessionBacksOff(t *testing.T) {
	now := time.Now().Unix()
	session := func(token string) []byte {
		return []byte(`{"accessToken":"` + token + `","accessTokenExpiresIn":900,"refreshToken":"9f4e7c2a-0000-4000-8000-000000000000","refreshTokenId":"r","user":null}`)
	}
	for name, answer := range map[string]*core.Response{
		"empty object": {Status: 200, Body: []byte(`{}`)},
		"204":          {Status: 204},
		"no refresh token": {Status: 200, Body: []byte(`{"accessToken":"` +
			unsignedJWT(fmt.Sprintf(`{"iat":%d,"exp":%d}`, now, now+900)) + `"}`)},
		"exp before iat": {Status: 200, Body: session(unsignedJWT(fmt.Sprintf(`{"iat":%d,"exp":%d}`, now, now-10)))},
		"no exp":         {Status: 200, Body: session(unsignedJWT(fmt.Sprintf(`{"iat":%d}`, now)))},
	} {
		t.Run(name, func(t *testing.T) {
			ts, _ := emulatorServer(t)
			ctx := context.Background()
			answer.Header = core.Header{}
			tr := &canned{next: nethttp.New(nil), answer: answer}
			a := core.NewAuthClient(ts.URL, tr, nil)
			clk := &clock{t: time.Now()}
			a.Now = clk.now
			_, err := a.SignInAnonymous(ctx, nil)
			require.NoError(t, err)
			before := a.GetUserSession()

			clk.add(890 * time.Second) // due
			for i := 0; i < 20; i++ {
				_, _ = a.GetVersion(ctx)
				next, _ := a.AutoRefresh(ctx)
				assert.True(t, next.After(clk.now()), "the timer waits for the backoff")
			}
			assert.Equal(t, int64(1), tr.tokens.Load(), "one /token, then the backoff holds")
			assert.Equal(t, before.RefreshToken, a.GetUserSession().RefreshToken, "the session is kept")
			_, err = a.RefreshSession(ctx, 0)
			var fe *core.FetchError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, core.ErrorCode("invalid-session"), fe.Code())
		})
	}
}

// A /token that never answers: a caller waiting for that refresh gives up
// when its own context ends, and the refresh itself is given up after
// RefreshTimeout, so that the request that started it goes on.
func TestStalledRefreshFreesWaiters(t *testing.T) {
	ts, _ := emulatorServer(t)
	target, err := url.Parse(ts.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	done := make(chan struct{})
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			select { // never answers; ends when the client gives up
			case <-r.Context().Done():
			case <-done:
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(done); stalled.Close() })

	ctx := context.Background()
	a := core.NewAuthClient(stalled.URL, nethttp.New(nil), nil)
	a.RefreshTimeout = 700 * time.Millisecond
	clk := &clock{t: time.Now()}
	a.Now = clk.now
	_, err = a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	before := a.GetUserSession()
	clk.add(890 * time.Second) // due: the next request refreshes first

	first := make(chan error, 1)
	go func() {
		_, err := a.GetVersion(ctx)
		first <- err
	}()
	time.Sleep(100 * time.Millisecond) // the first request now holds the refresh

	wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = a.GetVersion(wctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the waiter honours its own deadline")
	select {
	case <-first:
		t.Fatal("the refresh should still be stalled while the waiter gave up")
	default:
	}

	select {
	case err := <-first:
		assert.NoError(t, err, "after the refresh timeout the request went on")
	case <-time.After(10 * time.Second):
		t.Fatal("the refresh timeout did not end the stalled refresh")
	}
	assert.Equal(t, before.RefreshToken, a.GetUserSession().RefreshToken, "a timed-out refresh keeps the session")
	_, err = a.GetVersion(ctx)
	assert.NoError(t, err, "the next call works (the backoff skips the refresh)")
}

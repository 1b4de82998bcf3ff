//go:build !(js && wasm)

package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
	"github.com/nhost-auth-wasm/sdk/emulator"
)

// emulatorServer runs the emulator in-process over loopback and counts
// requests per path.
func emulatorServer(t *testing.T) (*httptest.Server, *sync.Map) {
	cfg := emulator.Defaults()
	cfg.ApplyDev()
	cfg.DB = ":memory:"
	cfg.BcryptCost = 4
	srv, err := emulator.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	counts := &sync.Map{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := counts.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, counts
}

func count(m *sync.Map, path string) int64 {
	if n, ok := m.Load(path); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

func TestAuthClientKeepsTheSession(t *testing.T) {
	ts, counts := emulatorServer(t)
	ctx := context.Background()
	store := &core.MemoryStorage{}
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), store)
	var changes []string
	unsub := a.Sessions.OnChange(func(s *core.StoredSession) {
		if s == nil {
			changes = append(changes, "removed")
		} else {
			changes = append(changes, "set")
		}
	})
	defer unsub()

	assert.Nil(t, a.GetUserSession())
	res, err := a.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: "keep@example.com", Password: "Passw0rd!"})
	require.NoError(t, err)
	stored := a.GetUserSession()
	require.NotNil(t, stored, "sign-up response stored")
	assert.Equal(t, res.Body.Session.RefreshToken, stored.RefreshToken)
	assert.Equal(t, res.Body.Session.User.ID, stored.DecodedToken.Sub)

	// The token is attached without the caller doing anything.
	me, err := a.GetUser(ctx)
	require.NoError(t, err)
	assert.Equal(t, "keep@example.com", me.Body.Email)

	// An expiring token is refreshed once before the next requests, even
	// when they are many and concurrent.
	a.Now = func() time.Time { return time.Now().Add(850 * time.Second) }
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.GetUser(ctx)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(1), count(counts, "/token"))
	assert.NotEqual(t, stored.RefreshToken, a.GetUserSession().RefreshToken)

	// Sign-out forgets the session.
	_, err = a.SignOut(ctx, core.SignOutRequest{RefreshToken: a.GetUserSession().RefreshToken})
	require.NoError(t, err)
	assert.Nil(t, a.GetUserSession())
	assert.Equal(t, []string{"set", "set", "removed"}, changes)
}

func TestRefreshSessionRules(t *testing.T) {
	ts, counts := emulatorServer(t)
	ctx := context.Background()
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), nil)
	none, err := a.RefreshSession(ctx, time.Minute)
	require.NoError(t, err)
	assert.Nil(t, none, "signed out: nothing to refresh")

	_, err = a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	s, err := a.RefreshSession(ctx, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, int64(0), count(counts, "/token"), "fresh token: no request")
	s2, err := a.RefreshSession(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, int64(1), count(counts, "/token"), "margin 0 forces a refresh")
	assert.NotEqual(t, s.RefreshToken, s2.RefreshToken)

	// The server rejects the stored token: the session is cleared.
	_, err = a.SignOut(ctx, core.SignOutRequest{RefreshToken: s2.RefreshToken}, core.WithHeader("X-Keep", "1"))
	require.NoError(t, err)
	assert.Nil(t, a.GetUserSession())
	_, err = a.Sessions.Set(s2.Session) // put the dead session back
	require.NoError(t, err)
	_, err = a.RefreshSession(ctx, 0)
	var fe *core.FetchError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, core.ErrInvalidRefreshToken, fe.Code())
	assert.Nil(t, a.GetUserSession())
}

func TestCorruptStoredSessionReadsAsSignedOut(t *testing.T) {
	for _, bad := range []string{`not json`, `{"foo":1}`, `{"accessToken":"x.y.z","refreshToken":"r"}`, `[]`, `"str"`} {
		store := &core.MemoryStorage{}
		require.NoError(t, store.Set([]byte(bad)))
		s := core.NewSessionStore(store)
		assert.Nil(t, s.Get(), bad)
		data, _ := store.Get()
		assert.Nil(t, data, "removed: %s", bad)
	}
}

func TestNoRefreshRecursionWithACustomPath(t *testing.T) {
	ts, counts := emulatorServer(t)
	ctx := context.Background()
	// A base URL that does not end in /v1 (nhost-js recurses forever here).
	a := core.NewAuthClient(ts.URL+"/v1", nethttp.New(nil), nil)
	_, err := a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	a.Now = func() time.Time { return time.Now().Add(time.Hour) }
	_, err = a.GetVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), count(counts, "/v1/token"))
	assert.True(t, strings.HasPrefix(a.BaseURL, ts.URL))
}

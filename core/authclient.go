package core

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// DefaultRefreshMargin is how long before expiry a token is refreshed.
const DefaultRefreshMargin = 60 * time.Second

// AuthClient is the client with a session (nhost-js's createClient): the
// raw Client wrapped by three middlewares, outermost first — refresh the
// session before a request when its token is about to expire, store the
// session carried by sign-in/sign-up/token responses (and drop it on
// sign-out), attach the access token to requests for the Auth origin.
// Chain functions pushed later sit inside these, next to the network.
type AuthClient struct {
	*Client
	Sessions *SessionStore
	// Margin is how close to expiry a token may get before requests refresh it.
	Margin time.Duration
	// Now is the clock (tests replace it).
	Now func() time.Time

	refreshMu sync.Mutex // single flight: one refresh at a time per client

	// skew is local clock minus server clock, learned from the iat of each
	// token received. Expiry is judged as exp+skew against the local
	// clock, so a device clock that is minutes off neither refreshes
	// before every request nor sends expired tokens.
	skewMu sync.Mutex
	skew   time.Duration
}

// NewAuthClient returns a client for baseURL whose session lives in storage
// (memory when nil).
func NewAuthClient(baseURL string, t Transport, storage Storage) *AuthClient {
	a := &AuthClient{Sessions: NewSessionStore(storage), Margin: DefaultRefreshMargin, Now: time.Now}
	a.Client = NewClient(baseURL, t,
		a.refreshMiddleware,
		a.updateSessionMiddleware,
		AttachAccessToken(baseURL, func(context.Context) string {
			if s := a.Sessions.Get(); s != nil {
				return s.AccessToken
			}
			return ""
		}),
	)
	return a
}

// GetUserSession returns the stored session, or nil.
func (a *AuthClient) GetUserSession() *StoredSession { return a.Sessions.Get() }

// ClearSession forgets the session locally (no request is made).
func (a *AuthClient) ClearSession() error { return a.Sessions.Remove() }

// needsRefresh is nhost-js's rule: no expiry known, margin 0, or expiring
// within margin.
func (a *AuthClient) needsRefresh(s *StoredSession, margin time.Duration) bool {
	if margin <= 0 || s.DecodedToken == nil || s.DecodedToken.Exp == nil {
		return true
	}
	a.skewMu.Lock()
	skew := a.skew
	a.skewMu.Unlock()
	exp := time.UnixMilli(*s.DecodedToken.Exp).Add(skew)
	return exp.Sub(a.Now()) <= margin
}

// learnSkew records the clock difference shown by a token just received.
func (a *AuthClient) learnSkew(s *StoredSession) {
	if s == nil || s.DecodedToken == nil || s.DecodedToken.Iat == nil {
		return
	}
	a.skewMu.Lock()
	a.skew = a.Now().Sub(time.UnixMilli(*s.DecodedToken.Iat))
	a.skewMu.Unlock()
}

// RefreshSession refreshes the session if its token expires within margin
// (always for margin 0) and returns the current session, nil when signed
// out. Concurrent callers share one refresh. The session is cleared only
// when the server rejects the refresh token that is still the stored one.
func (a *AuthClient) RefreshSession(ctx context.Context, margin time.Duration) (*StoredSession, error) {
	s := a.Sessions.Get()
	if s == nil || !a.needsRefresh(s, margin) {
		return s, nil
	}
	a.refreshMu.Lock()
	defer a.refreshMu.Unlock()
	// Another caller may have refreshed while we waited.
	s = a.Sessions.Get()
	if s == nil || !a.needsRefresh(s, margin) {
		return s, nil
	}
	used := s.RefreshToken
	// The response is stored by updateSessionMiddleware on its way back.
	_, err := a.RefreshToken(ctx, RefreshTokenRequest{RefreshToken: used}, noRefresh)
	if err != nil {
		if fe, ok := err.(*FetchError); ok && fe.Status == 401 {
			if cur := a.Sessions.Get(); cur != nil && cur.RefreshToken == used {
				_ = a.Sessions.Remove()
			}
		}
		return nil, err
	}
	return a.Sessions.Get(), nil
}

// noRefresh marks the refresh request itself, so that it never passes
// through the refresh step again (nhost-js recurses forever there with a
// custom authUrl).
func noRefresh(r *Request) { r.noRefresh = true }

func (a *AuthClient) refreshMiddleware(next FetchFunc) FetchFunc {
	return func(ctx context.Context, req *Request) (*Response, error) {
		if !req.noRefresh && !req.Header.Has("Authorization") {
			if s := a.Sessions.Get(); s != nil && a.needsRefresh(s, a.Margin) {
				// A failed refresh is not fatal here: the request goes on
				// and the server decides.
				_, _ = a.RefreshSession(ctx, a.Margin)
			}
		}
		return next(ctx, req)
	}
}

// sessionPath reports whether a response to path may carry a session.
func sessionPath(path string) bool {
	return strings.HasSuffix(path, "/token") || strings.HasSuffix(path, "/token/exchange") ||
		strings.Contains(path, "/signin/") || strings.Contains(path, "/signup/") ||
		(strings.Contains(path, "/elevate/") && strings.HasSuffix(path, "/verify"))
}

func (a *AuthClient) updateSessionMiddleware(next FetchFunc) FetchFunc {
	return func(ctx context.Context, req *Request) (*Response, error) {
		res, err := next(ctx, req)
		if err != nil || Origin(req.URL) != Origin(a.BaseURL) {
			return res, err
		}
		path := req.URL
		if i := strings.IndexAny(path, "?#"); i >= 0 {
			path = path[:i]
		}
		switch {
		case strings.HasSuffix(path, "/signout"):
			// As nhost-js: the user asked to sign out, so forget the session
			// whatever the server answered.
			_ = a.Sessions.Remove()
		case sessionPath(path) && res.Status < 300 && len(res.Body) > 0:
			if s := extractSession(res.Body); s != nil {
				stored, err := a.Sessions.Set(*s)
				if err == nil {
					a.learnSkew(stored)
				}
			}
		}
		return res, err
	}
}

// extractSession finds a session in a response body: {session: …} or a
// bare Session (from /token).
func extractSession(body []byte) *Session {
	var probe struct{ payload SessionPayload }
	var bare Session
	if codec.Unmarshal(body, &probe.payload) == nil && probe.payload.Session != nil {
		bare = *probe.payload.Session
	} else if codec.Unmarshal(body, &bare) != nil {
		return nil
	}
	if bare.AccessToken == "" || bare.RefreshToken == "" {
		return nil
	}
	return &bare
}

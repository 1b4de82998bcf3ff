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
// raw Client with one session step in front (see sessionStep): refresh
// the session before a request when its token is about to expire, attach
// the access token to requests for the Auth origin, and apply each
// operation's effect on the session. Chain functions pushed later sit
// inside it, next to the network.
type AuthClient struct {
	*Client
	Sessions *SessionStore
	// Margin is how close to expiry a token may get before requests refresh it.
	Margin time.Duration
	// Now is the clock (tests replace it).
	Now func() time.Time

	// refreshing is the single flight: one refresh at a time per client.
	// A channel rather than a mutex, so that a waiter gives up when its
	// own context ends.
	refreshing chan struct{}
	// RefreshTimeout bounds the refresh request, so that a /token that
	// never answers frees the waiters (default 15 s).
	RefreshTimeout time.Duration

	// skew is local clock minus server clock, learned from the iat of each
	// token received. Expiry is judged as exp+skew against the local
	// clock, so a device clock that is minutes off neither refreshes
	// before every request nor sends expired tokens.
	skewMu sync.Mutex
	skew   time.Duration

	// Locker, when set, serializes refreshes across tabs.
	Locker Locker
	// NoRefreshBeforeRequests turns off the refresh step (nhost-js's
	// server client): on a server, the browser owns the session's renewal.
	NoRefreshBeforeRequests bool

	origin   string    // of BaseURL
	failures int       // consecutive refreshes that failed without a 401
	retryAt  time.Time // no automatic refresh before this
	jitter   func() float64
}

// NewAuthClient returns a client for baseURL whose session lives in storage
// (memory when nil).
func NewAuthClient(baseURL string, t Transport, storage Storage) *AuthClient {
	a := &AuthClient{Sessions: NewSessionStore(storage), Margin: DefaultRefreshMargin, Now: time.Now, jitter: defaultJitter,
		refreshing: make(chan struct{}, 1), RefreshTimeout: DefaultRefreshTimeout}
	a.Client = NewClient(baseURL, t, a.sessionStep)
	a.origin = Origin(a.Client.BaseURL)
	return a
}

// GetUserSession returns the stored session, or nil.
func (a *AuthClient) GetUserSession() *StoredSession { return a.Sessions.Get() }

// ClearSession forgets the session locally (no request is made).
func (a *AuthClient) ClearSession() error { return a.Sessions.Remove() }

// needsRefresh is nhost-js's rule for an explicit refresh: no expiry
// known, margin 0, or expiring within margin.
func (a *AuthClient) needsRefresh(s *StoredSession, margin time.Duration) bool {
	return margin <= 0 || a.expiresWithin(s, margin)
}

// due is the rule for automatic refreshes (before requests and on the
// timer): expiring within the margin, where the margin is at most half
// the token's lifetime, so that short-lived tokens are not refreshed
// before every request, and a margin of 0 means "at expiry".
func (a *AuthClient) due(s *StoredSession) bool { return a.expiresWithin(s, a.autoMargin(s)) }

func (a *AuthClient) autoMargin(s *StoredSession) time.Duration {
	m := a.Margin
	if d := s.DecodedToken; d != nil && d.Exp != nil && d.Iat != nil {
		if half := time.Duration(*d.Exp-*d.Iat) * time.Millisecond / 2; half > 0 && half < m {
			m = half
		}
	}
	if m < 0 {
		m = 0
	}
	return m
}

func (a *AuthClient) expiresWithin(s *StoredSession, margin time.Duration) bool {
	exp, ok := a.expiry(s)
	return !ok || exp.Sub(a.Now()) <= margin
}

// expiry is when the access token expires by the local clock: its exp
// shifted by the learned skew.
func (a *AuthClient) expiry(s *StoredSession) (time.Time, bool) {
	if s.DecodedToken == nil || s.DecodedToken.Exp == nil {
		return time.Time{}, false
	}
	a.skewMu.Lock()
	skew := a.skew
	a.skewMu.Unlock()
	return time.UnixMilli(*s.DecodedToken.Exp).Add(skew), true
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

// Locker serializes refreshes across the tabs of a browser (Web Locks
// there). Lock returns a release function, or an error when the lock could
// not be had in time; the refresh then goes ahead without it, which is
// safe because a lost race only costs one rejected refresh token, and
// that never clears a session another tab has already renewed.
type Locker interface {
	Lock(ctx context.Context, timeout time.Duration) (release func(), err error)
}

// DefaultRefreshTimeout bounds a refresh request.
const DefaultRefreshTimeout = 15 * time.Second

// LockTimeout bounds the wait for the cross-tab lock.
const LockTimeout = 10 * time.Second

// Backoff bounds: a refresh that fails for lack of network or a server
// error is retried after 1 s, 2 s, 4 s, … up to MaxBackoff, with jitter.
const (
	MinBackoff = time.Second
	MaxBackoff = time.Minute
)

// RefreshSession refreshes the session if its token expires within margin
// (always for margin 0) and returns the current session, nil when signed
// out. Concurrent callers in this process share one refresh; with a Locker,
// so do other tabs: whoever waited and finds that the stored session
// changed meanwhile uses it. A 401 clears the session only if the
// rejected refresh token is still the stored one; network errors and 5xx
// keep it and start a backoff.
func (a *AuthClient) RefreshSession(ctx context.Context, margin time.Duration) (*StoredSession, error) {
	return a.refresh(ctx, func(s *StoredSession) bool { return a.needsRefresh(s, margin) }, false)
}

// refresh is the single flight. auto marks the automatic refreshes, which
// give way to a running backoff, also after waiting for their turn: when
// many requests wait while the first refresh fails, none of them repeats it.
func (a *AuthClient) refresh(ctx context.Context, needed func(*StoredSession) bool, auto bool) (*StoredSession, error) {
	s := a.Sessions.Get()
	if s == nil || !needed(s) || (auto && a.inBackoff()) {
		return s, nil
	}
	seen := s.RefreshToken
	select {
	case a.refreshing <- struct{}{}:
		defer func() { <-a.refreshing }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Re-read: another caller, here or in another tab, may have refreshed
	// while we waited; then its session is the answer. Callers that waited
	// for one in this process find it here, without the cross-tab lock.
	settled := func() (*StoredSession, bool) {
		s := a.Sessions.Reload()
		if s == nil || s.RefreshToken != seen || !needed(s) || (auto && a.inBackoff()) {
			if s != nil && s.RefreshToken != seen {
				a.learnSkew(s)
			}
			return s, true
		}
		return s, false
	}
	if s, done := settled(); done {
		return s, nil
	}
	if a.Locker != nil {
		if release, err := a.Locker.Lock(ctx, LockTimeout); err == nil {
			defer release()
		}
		if s, done := settled(); done {
			return s, nil
		}
	}
	res, err := a.RefreshToken(ctx, RefreshTokenRequest{RefreshToken: seen}, func(r *Request) {
		noRefresh(r)
		r.Timeout = a.RefreshTimeout
	})
	if err == nil && !usable(res.Body) {
		// A 2xx without a session that can be used counts as a failure:
		// backing off, instead of asking again at once and forever.
		err = NewFetchError(map[string]any{"error": "invalid-session", "message": "the refresh answered without a usable session"},
			res.Status, res.Headers)
	}
	if err != nil {
		var fe *FetchError
		if asFetchError(err, &fe) && fe.Status == 401 {
			if cur := a.Sessions.Get(); cur != nil && cur.RefreshToken == seen {
				_ = a.Sessions.Remove()
			}
			a.resetBackoff()
		} else {
			a.backoff()
		}
		return nil, err
	}
	a.resetBackoff()
	// The answer is the session the server sent, also when the storage
	// does not read back what it was given (a server's request cookie).
	if cur := a.Sessions.Get(); cur != nil && cur.RefreshToken == res.Body.RefreshToken {
		return cur, nil
	}
	return NewStoredSession(res.Body)
}

// usable reports whether a refresh answer is a session to keep: both
// tokens, and an access token that decodes and lives (exp after iat).
func usable(s Session) bool {
	if s.RefreshToken == "" || s.AccessToken == "" {
		return false
	}
	tok, err := DecodeAccessToken(s.AccessToken)
	return err == nil && tok.Exp != nil && (tok.Iat == nil || *tok.Exp > *tok.Iat)
}

func asFetchError(err error, fe **FetchError) bool {
	e, ok := err.(*FetchError)
	if ok {
		*fe = e
	}
	return ok
}

func (a *AuthClient) backoff() {
	a.skewMu.Lock()
	defer a.skewMu.Unlock()
	d := MinBackoff << a.failures
	if d > MaxBackoff || d <= 0 {
		d = MaxBackoff
	} else {
		a.failures++
	}
	// Jitter in [0.5, 1.5) so that tabs and clients do not retry in step.
	d = d/2 + time.Duration(a.jitter()*float64(d))
	a.retryAt = a.Now().Add(d)
}

func (a *AuthClient) resetBackoff() {
	a.skewMu.Lock()
	a.failures, a.retryAt = 0, time.Time{}
	a.skewMu.Unlock()
}

// ResetBackoff forgets past failures, so the next attempt happens at once
// (the browser calls it when it comes back online).
func (a *AuthClient) ResetBackoff() { a.resetBackoff() }

func (a *AuthClient) inBackoff() bool {
	a.skewMu.Lock()
	defer a.skewMu.Unlock()
	return !a.retryAt.IsZero() && a.Now().Before(a.retryAt)
}

// AutoRefresh is the proactive step: it refreshes when the token is within
// the margin (unless a backoff is running) and returns when it should run
// again: at the start of the margin, when the backoff ends, or zero when
// there is no session.
func (a *AuthClient) AutoRefresh(ctx context.Context) (next time.Time, err error) {
	_, err = a.refresh(ctx, a.due, true)
	return a.nextRefresh(), err
}

func (a *AuthClient) nextRefresh() time.Time {
	s := a.Sessions.Get()
	if s == nil {
		return time.Time{}
	}
	a.skewMu.Lock()
	retryAt := a.retryAt
	a.skewMu.Unlock()
	if !retryAt.IsZero() && a.Now().Before(retryAt) {
		return retryAt
	}
	exp, ok := a.expiry(s)
	if !ok { // a token without exp: look again now and then
		return a.Now().Add(MaxBackoff)
	}
	return exp.Add(-a.autoMargin(s))
}

// noRefresh marks the refresh request itself, so that it never passes
// through the refresh step again (nhost-js recurses forever there with a
// custom authUrl).
func noRefresh(r *Request) { r.noRefresh = true }

// sessionStep is the session's one step in the chain, outside the chain
// functions pushed later. Before a request: refresh the session when its
// token is due (not for the refresh request itself, nor with the
// caller's own Authorization, nor on a server), then attach the token to
// a request for the Auth origin. After it: the operation's effect on the
// session (the table's word: store the session a sign-in answered with,
// forget it on sign-out).
func (a *AuthClient) sessionStep(next FetchFunc) FetchFunc {
	return func(ctx context.Context, req *Request) (*Response, error) {
		own := req.Header.Has("Authorization")
		s := a.Sessions.Get()
		if !own && !req.noRefresh && !a.NoRefreshBeforeRequests && s != nil {
			// A failed refresh is not fatal here: the request goes on and
			// the server decides. During a backoff no refresh is tried, so
			// requests made offline cause no /token storm.
			after, _ := a.refresh(ctx, a.due, true)
			// The refresh rotated the refresh token the caller read for a
			// sign-out: revoke the one that is valid now.
			if after != nil && after.RefreshToken != s.RefreshToken && req.op != nil && req.op.Effect == ClearsSession {
				body, old := string(req.Body), `"`+s.RefreshToken+`"`
				if i := strings.Index(body, old); i >= 0 {
					req.Body = []byte(body[:i] + `"` + after.RefreshToken + `"` + body[i+len(old):])
				}
			}
			s = after
		}
		// Only to the Auth origin; the shim checks again under the page's
		// chain functions, which may rewrite the URL.
		if !own && s != nil && s.AccessToken != "" && a.origin != "" && sameOrigin(req.URL, a.BaseURL, a.origin) {
			req.Header.Set("Authorization", "Bearer "+s.AccessToken)
		}
		res, err := next(ctx, req)
		if err != nil || req.op == nil || !sameOrigin(req.URL, a.BaseURL, a.origin) {
			return res, err
		}
		switch req.op.Effect {
		case ClearsSession:
			// As nhost-js: the user asked to sign out, so forget the session
			// whatever the server answered.
			_ = a.Sessions.Remove()
		case SetsSession:
			if res.Status >= 300 || len(res.Body) == 0 {
				break
			}
			if s := extractSession(res.Body); s != nil && usable(*s) {
				stored, serr := a.Sessions.Set(*s)
				if stored != nil {
					a.learnSkew(stored)
				}
				if se, ok := serr.(*StorageError); ok {
					// Signed in for this client's life, but not stored: the
					// caller learns it (the response is in the error).
					return res, se
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

// defaultJitter is a cheap pseudo-random number in [0, 1): jitter needs no
// cryptographic quality, and math/rand would add to auth.wasm.
func defaultJitter() float64 {
	n := uint64(time.Now().UnixNano())
	n ^= n >> 33
	n *= 0xff51afd7ed558ccd
	n ^= n >> 33
	return float64(n>>11) / (1 << 53)
}

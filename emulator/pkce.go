package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"

	"github.com/nhost-auth-wasm/sdk/core"
)

// PKCE for Nhost's own redirects: a flow that starts with a codeChallenge
// ends with ?code= instead of ?refreshToken=, and only the holder of the
// verifier can trade that code for a session at /token/exchange.

// pkceCodeTTL is how long a redirect's code can be exchanged.
const pkceCodeTTL = 5 * time.Minute

// randomToken is 32 random bytes, base64url without padding.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// s256 is the S256 code challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// redirectSignedIn ends a redirect flow for userID at target: with a code
// for challenge when there is one, else with a new refresh token; extra
// keys (type, state) are added to the query.
func (s *Server) redirectSignedIn(w http.ResponseWriter, r *http.Request, userID, target, challenge string, extra url.Values) error {
	if extra == nil {
		extra = url.Values{}
	}
	if challenge != "" {
		code := randomToken()
		if err := s.store.CreatePKCECode(r.Context(), userID, code, challenge, s.now().Add(pkceCodeTTL)); err != nil {
			return err
		}
		extra.Set("code", code)
	} else {
		rt := newID()
		if _, err := s.store.CreateRefreshToken(r.Context(), userID, rt, "regular", s.now().Add(s.cfg.RefreshTTL)); err != nil {
			return err
		}
		extra.Set("refreshToken", rt)
	}
	redirect(w, target, extra)
	return nil
}

// tokenExchange is POST /token/exchange: a redirect's code and the
// verifier of its challenge, once, for a session.
func (s *Server) tokenExchange(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.TokenExchangeRequest](r)
	if err != nil {
		return err
	}
	userID, err := s.store.TakePKCECode(r.Context(), body.Code, s256(body.CodeVerifier))
	if err != nil {
		if err == ErrNotFound {
			return errInvalidRequest
		}
		return err
	}
	u, err := s.enabledUser(r, userID)
	if err != nil {
		return err
	}
	return s.respondSession(w, r, u)
}

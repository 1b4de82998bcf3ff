package emulator

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhost-auth-wasm/sdk/core"
)

// ID-token sign-in (apple, google): the app hands over a token the provider
// signed; it is checked against the provider's JWKS, issuer, audience,
// times and nonce, and its profile then signs in like a provider callback.

// idTokenLeeway is the clock skew allowed on a token's times.
const idTokenLeeway = 30 * time.Second

// hashNonce is how a nonce appears in an ID token: the hex SHA-256 of the
// raw nonce the app keeps (and sends here).
func hashNonce(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// verifyIDToken checks token for provider (apple, google) and returns its profile.
func (s *Server) verifyIDToken(r *http.Request, provider, token, nonce string) (*profile, *apiError) {
	p := s.cfg.Providers[provider]
	if p == nil {
		return nil, errDisabledEndpoint
	}
	e, err := s.endpoints(r.Context(), provider, p)
	if err != nil || e.JWKS == "" {
		s.log.Error("id token provider", "provider", provider, "err", err)
		return nil, errInternal
	}
	aud := or(p.Audience, p.ClientID)
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return s.providerKey(r, provider, e.JWKS, kid)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(aud), jwt.WithIssuer(e.Issuer),
		jwt.WithIssuedAt(), jwt.WithExpirationRequired(), jwt.WithLeeway(idTokenLeeway), jwt.WithTimeFunc(s.now))
	if err != nil {
		s.log.Warn("id token rejected", "provider", provider, "err", err)
		return nil, errInvalidRequest
	}
	if got, ok := claims["nonce"].(string); ok && subtle.ConstantTimeCompare([]byte(got), []byte(hashNonce(nonce))) != 1 {
		s.log.Warn("id token rejected", "provider", provider, "err", "nonce mismatch")
		return nil, errInvalidRequest
	}
	prof := readProfile(claims)
	if prof.ID == "" {
		return nil, errProfileFetchFailed
	}
	return &prof, nil
}

// providerKey finds a provider's signing key by kid, fetching its JWKS
// again when the kid is new (providers rotate keys).
func (s *Server) providerKey(r *http.Request, provider, jwksURL, kid string) (*rsa.PublicKey, error) {
	cacheKey := provider + "\x00" + kid
	s.prov.mu.Lock()
	k, ok := s.prov.keys[cacheKey]
	s.prov.mu.Unlock()
	if ok {
		return k, nil
	}
	var set core.JWKSet
	if err := s.getJSON(r.Context(), jwksURL, "", &set); err != nil {
		return nil, err
	}
	s.prov.mu.Lock()
	defer s.prov.mu.Unlock()
	for _, j := range set.Keys {
		n, err1 := base64.RawURLEncoding.DecodeString(j.N)
		e, err2 := base64.RawURLEncoding.DecodeString(j.E)
		if err1 != nil || err2 != nil || j.Kty != "RSA" {
			continue
		}
		s.prov.keys[provider+"\x00"+j.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	if k, ok := s.prov.keys[cacheKey]; ok {
		return k, nil
	}
	return nil, errors.New("no key " + kid + " in the provider's JWKS")
}

func (s *Server) signInIDToken(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInIdTokenRequest](r)
	if err != nil {
		return err
	}
	return s.idTokenSession(w, r, string(body.Provider), body.IDToken, body.Nonce, body.Options, false)
}

func (s *Server) signUpIDToken(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignUpIdTokenRequest](r)
	if err != nil {
		return err
	}
	if s.cfg.SignupOff {
		return errSignupDisabled
	}
	return s.idTokenSession(w, r, string(body.Provider), body.IDToken, body.Nonce, body.Options, true)
}

// idTokenSession signs in (or, with signup, registers) the user of an ID token.
func (s *Server) idTokenSession(w http.ResponseWriter, r *http.Request, provider, token, nonce string, o *core.SignUpOptions, signup bool) error {
	if o == nil {
		o = &core.SignUpOptions{}
	}
	target, aerr := s.redirectTarget(o.RedirectTo)
	if aerr != nil {
		return aerr
	}
	o.RedirectTo = target
	prof, aerr := s.verifyIDToken(r, provider, token, nonce)
	if aerr != nil {
		return aerr
	}
	if !validEmail(prof.Email) {
		return errInvalidEmailPassword
	}
	userID, aerr := s.providerUser(r, provider, *prof, o, signup)
	if aerr != nil {
		return aerr
	}
	if userID == "" {
		// Signed up, not signed in yet (verification, or new users disabled).
		writeJSON(w, http.StatusOK, core.SessionPayload{})
		return nil
	}
	u, err := s.enabledUser(r, userID)
	if err != nil {
		return err
	}
	return s.respondSession(w, r, u)
}

// linkIDToken is POST /link/idtoken: the provider account of the token
// joins the signed-in user.
func (s *Server) linkIDToken(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.LinkIdTokenRequest](r)
	if err != nil {
		return err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	prof, aerr := s.verifyIDToken(r, string(body.Provider), body.IDToken, body.Nonce)
	if aerr != nil {
		return aerr
	}
	if err := s.store.LinkProvider(r.Context(), u.ID, string(body.Provider), prof.ID); errors.Is(err, ErrConflict) {
		return errAlreadyLinked
	} else if err != nil {
		return err
	}
	writeOK(w)
	return nil
}

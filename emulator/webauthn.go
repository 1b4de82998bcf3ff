package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"github.com/nhost-auth-wasm/sdk/core"
)

// WebAuthn (AUTH_WEBAUTHN_*): passkey sign-up and sign-in (with an email,
// or discoverable), security keys added by a signed-in user, and
// elevation. Ceremonies are verified for real by go-webauthn; a challenge
// lives in memory until it is used or its timeout passes.

// waUser is a user as go-webauthn sees it: the handle is the user's UUID
// as text, as the real server's (options carry it as a string).
type waUser struct {
	id, name string
	creds    []webauthn.Credential
}

func (u *waUser) WebAuthnID() []byte                         { return []byte(u.id) }
func (u *waUser) WebAuthnName() string                       { return u.name }
func (u *waUser) WebAuthnDisplayName() string                { return u.name }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// ceremony is a pending WebAuthn challenge.
type ceremony struct {
	kind    string // signup, signin, add, elevate
	session webauthn.SessionData
	user    *waUser
	choice  *signUpChoice // sign-up
	email   string        // sign-up
}

type ceremonies struct {
	now     func() time.Time
	mu      sync.Mutex // guards pending
	pending map[string]*ceremony
}

func (c *ceremonies) put(challenge string, cer *ceremony) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, v := range c.pending {
		if now.After(v.session.Expires) {
			delete(c.pending, k)
		}
	}
	c.pending[challenge] = cer
}

// take removes and returns the ceremony of challenge, if it is of kind
// and has not expired: each challenge is answered once.
func (c *ceremonies) take(challenge, kind string) *ceremony {
	c.mu.Lock()
	defer c.mu.Unlock()
	cer := c.pending[challenge]
	if cer == nil || cer.kind != kind {
		return nil
	}
	delete(c.pending, challenge)
	if c.now().After(cer.session.Expires) {
		return nil
	}
	return cer
}

// relyingParty is go-webauthn for an origin: the configured ones, or in
// --dev any loopback origin (the demo and the tests run on any port).
func (s *Server) relyingParty(origin string) (*webauthn.WebAuthn, error) {
	origins := s.cfg.WebAuthnOrigins
	if origin != "" && s.cfg.Dev && loopbackOrigin(origin) {
		origins = []string{origin}
	}
	timeout := s.cfg.WebAuthnTimeout
	return webauthn.New(&webauthn.Config{
		RPID:                  s.cfg.WebAuthnRPID,
		RPDisplayName:         s.cfg.WebAuthnRPName,
		RPOrigins:             origins,
		AttestationPreference: protocol.PreferIndirectAttestation,
		EncodeUserIDAsString:  true,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			RequireResidentKey: protocol.ResidentKeyNotRequired(),
			ResidentKey:        protocol.ResidentKeyRequirementPreferred,
			UserVerification:   protocol.VerificationPreferred,
		},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: timeout, TimeoutUVD: timeout},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: timeout, TimeoutUVD: timeout},
		},
	})
}

// userHandle undoes what browsers do to a user id sent as text: the
// options carry the UUID as a string, which parseCreationOptionsFromJSON
// (like every base64url codec) decodes to 27 bytes, so the handle comes
// back as those bytes; encoded again they are the UUID, the user's id.
func userHandle(h []byte) []byte {
	if len(h) == 0 {
		return h
	}
	if _, err := uuid.Parse(string(h)); err == nil {
		return h
	}
	if text := base64.RawURLEncoding.EncodeToString(h); len(text) == 36 {
		if _, err := uuid.Parse(text); err == nil {
			return []byte(text)
		}
	}
	return h
}

func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

// webAuthnOn answers for the feature being off and reports whether it is on.
// credentialRequest is a verify endpoint's body, once WebAuthn is known on.
func (s *Server) credentialRequest(r *http.Request) (*credentialBody, error) {
	body, err := decode[credentialBody](r)
	if err != nil {
		return nil, err
	}
	if err := s.webAuthnOn(); err != nil {
		return nil, err
	}
	return body, nil
}

func (s *Server) webAuthnOn() error {
	if !s.cfg.WebAuthnOn {
		return errDisabledEndpoint
	}
	return nil
}

// keysOf loads a user's credentials for go-webauthn.
func (s *Server) keysOf(r *http.Request, u *User) (*waUser, error) {
	creds, err := s.store.WebAuthnCredentials(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	return &waUser{id: u.ID, name: u.DisplayName, creds: creds}, nil
}

func descriptors(creds []webauthn.Credential) []protocol.CredentialDescriptor {
	out := make([]protocol.CredentialDescriptor, len(creds))
	for i := range creds {
		out[i] = creds[i].Descriptor()
	}
	return out
}

// beginRegistration starts a creation ceremony for u and answers its options.
func (s *Server) beginRegistration(w http.ResponseWriter, r *http.Request, cer *ceremony) error {
	rp, err := s.relyingParty("")
	if err != nil {
		return err
	}
	creation, session, err := rp.BeginRegistration(cer.user, webauthn.WithExclusions(descriptors(cer.user.creds)))
	if err != nil {
		return err
	}
	cer.session = *session
	s.webauthn.put(session.Challenge, cer)
	writeJSON(w, http.StatusOK, creation.Response)
	return nil
}

// beginLogin starts an assertion ceremony: for u's keys, or discoverable
// when u is nil.
func (s *Server) beginLogin(w http.ResponseWriter, r *http.Request, kind string, u *waUser) error {
	rp, err := s.relyingParty("")
	if err != nil {
		return err
	}
	var assertion *protocol.CredentialAssertion
	var session *webauthn.SessionData
	if u == nil {
		assertion, session, err = rp.BeginDiscoverableLogin()
	} else {
		assertion, session, err = rp.BeginLogin(u, webauthn.WithAllowedCredentials(descriptors(u.creds)))
	}
	if err != nil {
		return err
	}
	s.webauthn.put(session.Challenge, &ceremony{kind: kind, session: *session, user: u})
	writeJSON(w, http.StatusOK, assertion.Response)
	return nil
}

// credentialBody is a verify request with its credential kept as sent.
type credentialBody struct {
	Credential    json.RawMessage     `json:"credential"`
	Nickname      string              `json:"nickname,omitempty"`
	Options       *core.SignUpOptions `json:"options,omitempty"`
	CodeChallenge string              `json:"codeChallenge,omitempty"`
	Email         string              `json:"email,omitempty"`
}

// finishRegistration verifies a creation response for a ceremony of kind.
func (s *Server) finishRegistration(r *http.Request, raw json.RawMessage, kind string) (*ceremony, *webauthn.Credential, bool) {
	parsed, err := protocol.ParseCredentialCreationResponseBytes(raw)
	if err != nil {
		s.log.Warn("webauthn: bad creation response", "err", err)
		return nil, nil, false
	}
	cer := s.webauthn.take(parsed.Response.CollectedClientData.Challenge, kind)
	if cer == nil {
		return nil, nil, false
	}
	rp, err := s.relyingParty(parsed.Response.CollectedClientData.Origin)
	if err != nil {
		return nil, nil, false
	}
	cred, err := rp.CreateCredential(cer.user, cer.session, parsed)
	if err != nil {
		s.log.Warn("webauthn: registration refused", "err", err)
		return nil, nil, false
	}
	return cer, cred, true
}

// finishLogin verifies an assertion for a ceremony of kind and returns the
// user and the credential (its counter updated).
func (s *Server) finishLogin(r *http.Request, raw json.RawMessage, kind string) (*User, *webauthn.Credential, bool) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(raw)
	if err != nil {
		s.log.Warn("webauthn: bad assertion", "err", err)
		return nil, nil, false
	}
	cer := s.webauthn.take(parsed.Response.CollectedClientData.Challenge, kind)
	if cer == nil {
		return nil, nil, false
	}
	parsed.Response.UserHandle = userHandle(parsed.Response.UserHandle)
	rp, err := s.relyingParty(parsed.Response.CollectedClientData.Origin)
	if err != nil {
		return nil, nil, false
	}
	var u *User
	var cred *webauthn.Credential
	if cer.user == nil {
		_, cred, err = rp.ValidatePasskeyLogin(func(_, handle []byte) (webauthn.User, error) {
			uu, err := s.store.UserByID(r.Context(), string(handle))
			if err != nil {
				return nil, err
			}
			u = uu
			return s.keysOf(r, uu)
		}, cer.session, parsed)
	} else {
		cred, err = rp.ValidateLogin(cer.user, cer.session, parsed)
		if err == nil {
			u, err = s.store.UserByID(r.Context(), cer.user.id)
		}
	}
	if err != nil || u == nil {
		s.log.Warn("webauthn: assertion refused", "err", err)
		return nil, nil, false
	}
	if err := s.store.UpdateWebAuthnCredential(r.Context(), u.ID, cred); err != nil {
		s.log.Error("webauthn: keeping the sign counter", "err", err)
		return nil, nil, false
	}
	return u, cred, true
}

func (s *Server) signUpWebAuthn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignUpWebauthnRequest](r)
	if err != nil {
		return err
	}
	if !validEmail(body.Email) {
		return errEmpty400
	}
	if err := s.webAuthnOn(); err != nil {
		return err
	}
	if s.cfg.SignupOff {
		return errSignupDisabled
	}
	choice, err := s.signUpOptions(body.Options)
	if err != nil {
		return err
	}
	if _, err := s.store.UserByEmail(r.Context(), body.Email); err == nil {
		return errEmailInUse
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	name := choice.opts.DisplayName
	if name == "" {
		name = body.Email
	}
	return s.beginRegistration(w, r, &ceremony{kind: "signup", user: &waUser{id: newID(), name: name}, choice: choice, email: body.Email})
}

func (s *Server) verifySignUpWebAuthn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := s.credentialRequest(r)
	if err != nil {
		return err
	}
	cer, cred, ok := s.finishRegistration(r, body.Credential, "signup")
	if !ok {
		return errInvalidRequest
	}
	u := s.newUser(cer.choice, cer.email, "", cer.email)
	u.ID, u.DisplayName = cer.user.id, cer.user.name
	if err := s.store.CreateUser(r.Context(), u); errors.Is(err, ErrConflict) {
		return errEmailInUse
	} else if err != nil {
		return err
	}
	if err := s.store.AddWebAuthnCredential(r.Context(), u.ID, cred, body.Nickname); err != nil {
		return err
	}
	if s.cfg.VerifyEmail || s.cfg.DisableNew {
		if s.cfg.VerifyEmail {
			if err := s.sendVerification(r, u, cer.choice.redirectTo, body.CodeChallenge); err != nil {
				return err
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{})
		return nil
	}
	return s.respondSession(w, r, u)
}

func (s *Server) signInWebAuthn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInWebauthnRequest](r)
	if err != nil {
		return err
	}
	if err := s.webAuthnOn(); err != nil {
		return err
	}
	if body.Email == "" {
		return s.beginLogin(w, r, "signin", nil)
	}
	u, err := s.store.UserByEmail(r.Context(), body.Email)
	if errors.Is(err, ErrNotFound) {
		return errInvalidEmailPassword
	} else if err != nil {
		return err
	}
	wu, err := s.keysOf(r, u)
	if err != nil {
		return err
	}
	if len(wu.creds) == 0 {
		return errInvalidRequest
	}
	return s.beginLogin(w, r, "signin", wu)
}

func (s *Server) verifySignInWebAuthn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := s.credentialRequest(r)
	if err != nil {
		return err
	}
	u, _, ok := s.finishLogin(r, body.Credential, "signin")
	switch {
	case !ok:
		return errInvalidRequest
	case u.Disabled:
		return errDisabledUser
	case s.cfg.VerifyEmail && !u.EmailVerified:
		return errUnverifiedUser
	}
	return s.respondSession(w, r, u)
}

// callerKeys is the signed-in user and their keys, for a ceremony that
// needs them.
func (s *Server) callerKeys(r *http.Request) (*waUser, error) {
	if err := s.webAuthnOn(); err != nil {
		return nil, err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return nil, err
	}
	return s.keysOf(r, u)
}

func (s *Server) addSecurityKey(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	wu, err := s.callerKeys(r)
	if err != nil {
		return err
	}
	return s.beginRegistration(w, r, &ceremony{kind: "add:" + wu.id, user: wu})
}

func (s *Server) verifyAddSecurityKey(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := s.credentialRequest(r)
	if err != nil {
		return err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	_, cred, ok := s.finishRegistration(r, body.Credential, "add:"+u.ID)
	if !ok {
		return errInvalidRequest
	}
	if err := s.store.AddWebAuthnCredential(r.Context(), u.ID, cred, body.Nickname); err != nil {
		return err
	}
	id, err := s.store.SecurityKeyID(r.Context(), cred.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, core.VerifyAddSecurityKeyResponse{ID: id, Nickname: body.Nickname})
	return nil
}

func (s *Server) elevateWebAuthn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	wu, err := s.callerKeys(r)
	if err != nil {
		return err
	}
	if len(wu.creds) == 0 {
		return errInvalidRequest
	}
	return s.beginLogin(w, r, "elevate:"+wu.id, wu)
}

func (s *Server) verifyElevateWebAuthn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := s.credentialRequest(r)
	if err != nil {
		return err
	}
	c := caller(r)
	if c == nil {
		return errInvalidRequest
	}
	u, _, ok := s.finishLogin(r, body.Credential, "elevate:"+c.UserID)
	if !ok {
		return errInvalidRequest
	}
	sess, err := s.newSession(r, u, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, core.SessionPayload{Session: sess})
	return nil
}

// webAuthnExempt reports whether an elevated endpoint lets a user without
// a security key through even when elevation is required: adding the
// first key cannot need one.
func webAuthnExempt(r *http.Request) bool {
	p := strings.TrimPrefix(r.URL.Path, "/v1")
	return p == "/user/webauthn/add" || p == "/user/webauthn/verify"
}

// devSecurityKeys is GET /emulator/security-keys (Bearer): the caller's
// keys. A real app reads them from Hasura (auth.user_security_keys); the
// emulator has no GraphQL, so the demo lists them here.
func (s *Server) devSecurityKeys(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	claims, err := s.authenticate(r, "BearerAuth")
	if err != nil {
		return validationError("error in openapi3filter.SecurityRequirementsError: security requirements failed: " + err.Error())
	}
	keys, err := s.store.SecurityKeys(r.Context(), claims.UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"securityKeys": keys})
	return nil
}

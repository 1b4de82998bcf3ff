package emulator

import (
	"errors"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Personal access tokens, deanonymization and elevated permissions.

func (s *Server) createPAT(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.CreatePATRequest](r)
	if err != nil {
		return err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	if u.Email == "" {
		return errInvalidEmailPassword // the real server's email check, as for GET /user
	}
	expires, err := time.Parse(time.RFC3339, body.ExpiresAt)
	if err != nil {
		// A date-time without offset passes the validator (see
		// dateTimeFormat) and fails the real server's JSON binding, which
		// answers 400 with no body.
		return errEmpty400
	}
	// A date in the past is accepted, as on the real server: the token is
	// then simply unusable.
	token := newID()
	id, err := s.store.CreatePAT(r.Context(), u.ID, token, expires, body.Metadata)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, core.CreatePATResponse{ID: id, PersonalAccessToken: token})
	return nil
}

func (s *Server) signInPAT(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInPATRequest](r)
	if err != nil {
		return err
	}
	userID, err := s.store.PATOwner(r.Context(), body.PersonalAccessToken)
	if errors.Is(err, ErrNotFound) {
		return errInvalidPAT
	}
	if err != nil {
		return err
	}
	u, err := s.enabledUser(r, userID)
	if err != nil {
		return err
	}
	return s.respondSession(w, r, u) // PAT sign-in skips TOTP, as on the real server
}

func (s *Server) deanonymize(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.UserDeanonymizeRequest](r)
	if err != nil {
		return err
	}
	u, err := s.currentUser(r, true)
	if err != nil {
		return err
	}
	if !u.IsAnonymous {
		return errUserNotAnonymous
	}
	passwordless := body.SignInMethod == "passwordless"
	if !passwordless && body.Password == "" {
		return errInvalidRequest
	}
	if !validEmail(body.Email) {
		return errEmpty400
	}
	choice, err := s.signUpOptions(body.Options)
	if err != nil {
		return err
	}
	redirectTo := choice.redirectTo
	if _, err := s.store.UserByEmail(r.Context(), body.Email); err == nil {
		return errEmailInUse
	}
	// The same id and creation time, everything else as for a new user.
	fresh := s.newUser(choice, body.Email, "", body.Email)
	next := *u
	// The avatar stays the anonymous user's (the real server keeps its ""):
	next.Email, next.DisplayName, next.Locale = fresh.Email, fresh.DisplayName, fresh.Locale
	next.DefaultRole, next.Roles, next.Metadata = fresh.DefaultRole, fresh.Roles, fresh.Metadata
	if !passwordless {
		hash, err := bcrypt.GenerateFromPassword([]byte(body.Password), s.cfg.BcryptCost)
		if err != nil {
			return err
		}
		next.PasswordHash = string(hash)
	}
	if err := s.store.Deanonymize(r.Context(), &next); errors.Is(err, ErrConflict) {
		return errEmailInUse
	} else if err != nil {
		return err
	}
	switch {
	case passwordless:
		// Works even with magic links switched off, as on the real server.
		err = s.sendMagicLink(r, &next, body.Email, redirectTo, body.CodeChallenge)
	case s.cfg.VerifyEmail:
		err = s.sendVerification(r, &next, redirectTo, body.CodeChallenge)
	}
	if err != nil {
		return err
	}
	writeOK(w)
	return nil
}

// errElevationRequired is the security failure of BearerAuthElevated.
var errElevationRequired = errors.New("elevated-claim-required")

// elevationOK applies AUTH_REQUIRE_ELEVATED_CLAIM to a verified token used
// where the document asks for BearerAuthElevated: "recommended" asks it of
// users with a security key, "required" of everyone.
func (s *Server) elevationOK(r *http.Request, c *tokenClaims) error {
	if c.Elevated {
		return nil
	}
	switch s.cfg.Elevation {
	case "required":
		if !webAuthnExempt(r) {
			return errElevationRequired
		}
		fallthrough
	case "recommended":
		has, err := s.store.HasSecurityKey(r.Context(), c.UserID)
		if err != nil {
			return err
		}
		if has {
			return errElevationRequired
		}
	}
	return nil
}

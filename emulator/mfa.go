package emulator

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/nhost-auth-wasm/sdk/core"
)

// TOTP multi-factor authentication (AUTH_MFA_ENABLED), with the real
// server's rules: SHA1, 6 digits, 30 s steps, one step of skew either
// way, no replay protection, a new secret replacing the active one.

func (s *Server) mfaEnabled(w http.ResponseWriter) bool {
	if !s.cfg.MFAOn {
		writeError(w, errDisabledEndpoint)
		return false
	}
	return true
}

func validTOTP(code, secret string) bool {
	ok, err := totp.ValidateCustom(code, secret, time.Now(), totp.ValidateOpts{
		Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	return err == nil && ok
}

func (s *Server) generateTOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	if !s.mfaEnabled(w) {
		return
	}
	u := s.currentUser(w, r, false)
	if u == nil {
		return
	}
	account := u.Email
	if account == "" {
		account = u.DisplayName
	}
	if account == "" {
		account = u.ID
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.TOTPIssuer, AccountName: account, SecretSize: 32})
	if err != nil {
		s.fail(w, err)
		return
	}
	img, err := key.Image(200, 200)
	if err != nil {
		s.fail(w, err)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		s.fail(w, err)
		return
	}
	secret := strings.TrimRight(key.Secret(), "=")
	if err := s.store.SetTOTPSecret(r.Context(), u.ID, secret); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, core.TotpGenerateResponse{
		ImageURL:   "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
		TotpSecret: secret,
	})
}

// changeMFA is POST /user/mfa: activeMfaType "totp" activates with a valid
// code, "" deactivates with one.
func (s *Server) changeMFA(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.UserMfaRequest](w, r)
	if !ok {
		return
	}
	if !s.mfaEnabled(w) {
		return
	}
	u := s.currentUser(w, r, false)
	if u == nil {
		return
	}
	secret, err := s.store.TOTPSecret(r.Context(), u.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	// No activeMfaType reads as "" (turn it off), as on the real server.
	next := ""
	if body.ActiveMfaType != nil {
		next = string(*body.ActiveMfaType)
	}
	switch {
	case next == "totp" && u.ActiveMfaType == "totp":
		writeError(w, errTOTPAlreadyActive)
	case next == "totp" && secret == "":
		writeError(w, errNoTOTPSecret)
	case next == "" && u.ActiveMfaType != "totp":
		writeError(w, errDisabledMFATOTP)
	case !validTOTP(body.Code, secret):
		writeError(w, errInvalidTOTP)
	default:
		if err := s.store.SetActiveMFA(r.Context(), u.ID, next); err != nil {
			s.fail(w, err)
			return
		}
		writeOK(w)
	}
}

// mfaChallenge answers a sign-in of a user with TOTP active: an mfaTotp
// ticket instead of a session.
func (s *Server) mfaChallenge(w http.ResponseWriter, r *http.Request, u *User) {
	ticket, err := s.issueTicket(r, u.ID, "mfaTotp")
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, core.SignInEmailPasswordResponse{Mfa: &core.MFAChallengePayload{Ticket: ticket}})
}

// verifyTOTPSignIn is POST /signin/mfa/totp. The ticket is used up by any
// attempt, a wrong code included: the user must sign in again.
func (s *Server) verifyTOTPSignIn(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.SignInMfaTotpRequest](w, r)
	if !ok {
		return
	}
	if !s.mfaEnabled(w) {
		return
	}
	u, err := s.store.TakeTicket(r.Context(), body.Ticket)
	if err != nil {
		writeError(w, errInvalidTicket)
		return
	}
	if u.Disabled {
		writeError(w, errDisabledUser)
		return
	}
	secret, err := s.store.TOTPSecret(r.Context(), u.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	if !validTOTP(body.Otp, secret) {
		writeError(w, errInvalidTOTP)
		return
	}
	s.respondSession(w, r, u)
}

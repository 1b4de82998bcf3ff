package emulator

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/nhost-auth-wasm/sdk/core"
)

// TOTP multi-factor authentication (AUTH_MFA_ENABLED), with the real
// server's rules: SHA1, 6 digits, 30 s steps, one step of skew either
// way, no replay protection, a new secret replacing the active one.

func (s *Server) mfaEnabled() error {
	if !s.cfg.MFAOn {
		return errDisabledEndpoint
	}
	return nil
}

func (s *Server) validTOTP(code, secret string) bool {
	ok, err := totp.ValidateCustom(code, secret, s.now(), totp.ValidateOpts{
		Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	return err == nil && ok
}

func (s *Server) generateTOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.mfaEnabled(); err != nil {
		return err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
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
		return err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	secret := strings.TrimRight(key.Secret(), "=")
	if err := s.store.SetTOTPSecret(r.Context(), u.ID, secret); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, core.TotpGenerateResponse{
		ImageURL:   "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
		TotpSecret: secret,
	})
	return nil
}

// changeMFA is POST /user/mfa: activeMfaType "totp" activates with a valid
// code, "" deactivates with one.
func (s *Server) changeMFA(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.UserMfaRequest](r)
	if err != nil {
		return err
	}
	if err := s.mfaEnabled(); err != nil {
		return err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	secret, err := s.store.TOTPSecret(r.Context(), u.ID)
	if err != nil {
		return err
	}
	// No activeMfaType reads as "" (turn it off), as on the real server.
	next := ""
	if body.ActiveMfaType != nil {
		next = string(*body.ActiveMfaType)
	}
	switch {
	case next == "totp" && u.ActiveMfaType == "totp":
		return errTOTPAlreadyActive
	case next == "totp" && secret == "":
		return errNoTOTPSecret
	case next == "" && u.ActiveMfaType != "totp":
		return errDisabledMFATOTP
	case !s.validTOTP(body.Code, secret):
		return errInvalidTOTP
	default:
		if err := s.store.SetActiveMFA(r.Context(), u.ID, next); err != nil {
			return err
		}
		writeOK(w)
	}
	return nil
}

// mfaChallenge answers a sign-in of a user with TOTP active: an mfaTotp
// ticket instead of a session.
func (s *Server) mfaChallenge(w http.ResponseWriter, r *http.Request, u *User) error {
	ticket, err := s.issueTicket(r, u.ID, "mfaTotp")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, core.SignInEmailPasswordResponse{Mfa: &core.MFAChallengePayload{Ticket: ticket}})
	return nil
}

// verifyTOTPSignIn is POST /signin/mfa/totp. The ticket is used up by any
// attempt, a wrong code included: the user must sign in again.
func (s *Server) verifyTOTPSignIn(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInMfaTotpRequest](r)
	if err != nil {
		return err
	}
	if err := s.mfaEnabled(); err != nil {
		return err
	}
	u, err := s.store.TakeTicket(r.Context(), body.Ticket)
	if err != nil {
		return errInvalidTicket
	}
	if u.Disabled {
		return errDisabledUser
	}
	secret, err := s.store.TOTPSecret(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if !s.validTOTP(body.Otp, secret) {
		return errInvalidTOTP
	}
	return s.respondSession(w, r, u)
}

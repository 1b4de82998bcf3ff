package emulator

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Passwordless sign-in: magic links and one-time passwords by email and
// by SMS. Each is off unless its switch is on, as on the real server.

// otpTTL is how long a one-time password lives.
const otpTTL = 5 * time.Minute

// passwordlessUser finds the user of an email, or signs a new one up with
// the request's options (the real server creates the row at request time).
func (s *Server) passwordlessUser(r *http.Request, email string, c *signUpChoice) (*User, *apiError, error) {
	u, err := s.store.UserByEmail(r.Context(), email)
	if err == nil {
		if u.Disabled {
			return nil, errDisabledUser, nil
		}
		return u, nil, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	if s.cfg.SignupOff {
		return nil, errSignupDisabled, nil
	}
	u = s.newUser(c, email, "", email)
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, errEmailInUse, nil
		}
		return nil, nil, err
	}
	return u, nil, nil
}

func (s *Server) signInMagicLink(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.SignInPasswordlessEmailRequest](w, r)
	if !ok {
		return
	}
	s.passwordlessEmail(w, r, s.cfg.MagicLinkOn, body.Email, body.Options, func(u *User, redirectTo string) error {
		return s.sendMagicLink(r, u.ID, body.Email, redirectTo)
	})
}

// passwordlessEmail is what magic links and email one-time passwords share:
// the switch, the address, the options, the user (signed up if new), then
// send, and OK.
func (s *Server) passwordlessEmail(w http.ResponseWriter, r *http.Request, on bool, email string, o *core.SignUpOptions,
	send func(u *User, redirectTo string) error) {
	if !on {
		writeError(w, errDisabledEndpoint)
		return
	}
	if !validEmail(email) {
		writeEmpty400(w)
		return
	}
	choice, ok := s.signUpOptions(w, o)
	if !ok {
		return
	}
	u, aerr, err := s.passwordlessUser(r, email, choice)
	if s.failed(w, aerr, err) {
		return
	}
	if err := send(u, choice.redirectTo); err != nil {
		s.fail(w, err)
		return
	}
	writeOK(w)
}

func (s *Server) sendMagicLink(r *http.Request, userID, email, redirectTo string) error {
	return s.mailTicket(r, userID, email, "passwordlessEmail", "signinPasswordless", redirectTo, magicLinkMail)
}

// failed writes an API error or an internal one; it reports whether it did.
func (s *Server) failed(w http.ResponseWriter, aerr *apiError, err error) bool {
	if err != nil {
		s.fail(w, err)
		return true
	}
	if aerr != nil {
		writeError(w, aerr)
		return true
	}
	return false
}

// newOTP stores a fresh 6-digit code for u (hashed) and returns it.
func (s *Server) newOTP(r *http.Request, userID, method string) (string, error) {
	code := randomDigits(6)
	hash, err := bcrypt.GenerateFromPassword([]byte(code), s.cfg.BcryptCost)
	if err != nil {
		return "", err
	}
	return code, s.store.SetOTP(r.Context(), userID, method, string(hash), time.Now().Add(otpTTL))
}

// takeOTP consumes u's code if otp matches; a wrong code leaves it usable.
func (s *Server) takeOTP(r *http.Request, userID, method, otp string) (bool, error) {
	hash, err := s.store.OTP(r.Context(), userID, method)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(otp)) != nil {
		return false, nil
	}
	if err := s.store.TakeOTP(r.Context(), userID, hash); errors.Is(err, ErrNotFound) {
		return false, nil // used by a concurrent request
	} else if err != nil {
		return false, err
	}
	return true, nil
}

func (s *Server) signInEmailOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.SignInOTPEmailRequest](w, r)
	if !ok {
		return
	}
	s.passwordlessEmail(w, r, s.cfg.EmailOTPOn, body.Email, body.Options, func(u *User, redirectTo string) error {
		code, err := s.newOTP(r, u.ID, "email")
		if err != nil {
			return err
		}
		return s.mail.Send(r.Context(), emailOTPMail(body.Email, redirectTo, code))
	})
}

func (s *Server) verifyEmailOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.SignInOTPEmailVerifyRequest](w, r)
	if !ok {
		return
	}
	// Every failure, the switch being off included, reads as a bad ticket.
	if !s.cfg.EmailOTPOn {
		writeError(w, errInvalidTicket)
		return
	}
	u, err := s.store.UserByEmail(r.Context(), body.Email)
	s.otpSignIn(w, r, u, err, "email", body.Otp, errInvalidTicket, s.store.SetEmailVerified)
}

// otpSignIn ends a one-time-password sign-in for the user looked up (u,
// err): bad answers an unknown user or a wrong code, verified marks the
// address the code was sent to.
func (s *Server) otpSignIn(w http.ResponseWriter, r *http.Request, u *User, err error, method, code string,
	bad *apiError, verified func(ctx context.Context, id string) error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, bad)
		return
	case err != nil:
		s.fail(w, err)
		return
	case u.Disabled:
		writeError(w, errDisabledUser)
		return
	}
	ok, err := s.takeOTP(r, u.ID, method, code)
	if err == nil && ok {
		err = verified(r.Context(), u.ID)
	}
	if err == nil && ok {
		u, err = s.store.UserByID(r.Context(), u.ID)
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	if !ok {
		writeError(w, bad)
		return
	}
	s.respondSession(w, r, u)
}

// smsOutbox keeps the last SMS sent to each number by the dev provider,
// for GET /emulator/sms.
type smsOutbox struct {
	mu   sync.Mutex
	last map[string]SMS
}

// SMS is a message the dev provider "sent".
type SMS struct {
	PhoneNumber string `json:"phoneNumber"`
	Body        string `json:"body"`
	Code        string `json:"code"`
	SentAt      string `json:"sentAt"`
}

func newSMSOutbox() *smsOutbox { return &smsOutbox{last: map[string]SMS{}} }

func (s *Server) sendSMS(to, code string) {
	m := SMS{PhoneNumber: to, Body: "Your code is " + code + ".", Code: code, SentAt: now()}
	s.sms.mu.Lock()
	s.sms.last[to] = m
	s.sms.mu.Unlock()
	s.log.Info("Dev SMS sent", "to", to, "body", m.Body)
}

// devSMS is GET /emulator/sms?phoneNumber=…: the last SMS to a number.
// It exists only with the dev SMS provider switched on.
func (s *Server) devSMS(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	if !s.cfg.SMSOn || s.cfg.SMSProvider != "dev" {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 page not found"))
		return
	}
	phone := r.URL.Query().Get("phoneNumber")
	s.sms.mu.Lock()
	m, ok := s.sms.last[phone]
	s.sms.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no SMS was sent to " + phone})
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) signInSMS(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.SignInPasswordlessSmsRequest](w, r)
	if !ok {
		return
	}
	if !s.cfg.SMSOn {
		writeError(w, errDisabledEndpoint)
		return
	}
	u, err := s.store.UserByPhone(r.Context(), body.PhoneNumber)
	switch {
	case errors.Is(err, ErrNotFound):
		if s.cfg.SignupOff {
			writeError(w, errSignupDisabled)
			return
		}
		choice, ok := s.signUpOptions(w, body.Options)
		if !ok {
			return
		}
		u = s.newUser(choice, "", body.PhoneNumber, body.PhoneNumber)
		if err := s.store.CreateUser(r.Context(), u); err != nil {
			s.fail(w, err)
			return
		}
	case err != nil:
		s.fail(w, err)
		return
	case u.Disabled:
		writeError(w, errDisabledUser)
		return
	}
	code, err := s.newOTP(r, u.ID, "sms")
	if err != nil {
		s.fail(w, err)
		return
	}
	s.sendSMS(body.PhoneNumber, code)
	writeOK(w)
}

func (s *Server) verifySMS(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	body, ok := decode[core.SignInPasswordlessSmsOtpRequest](w, r)
	if !ok {
		return
	}
	if !s.cfg.SMSOn {
		writeError(w, errDisabledEndpoint)
		return
	}
	// The real server answers 400 invalid-request here, not 401.
	u, err := s.store.UserByPhone(r.Context(), body.PhoneNumber)
	s.otpSignIn(w, r, u, err, "sms", body.Otp, errInvalidRequest, s.store.SetPhoneVerified)
}

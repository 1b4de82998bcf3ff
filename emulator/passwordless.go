package emulator

import (
	"context"
	"errors"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Passwordless sign-in: magic links and one-time passwords by email and
// by SMS. Each is off unless its switch is on, as on the real server.

// otpTTL is how long a one-time password lives.
const otpTTL = 5 * time.Minute

// flow says which users a passwordless request may reach.
type flow int

const (
	signIn flow = iota // existing users, and new ones unless auto sign-up is off
	signUp             // new users only
)

// passwordlessUser finds the user an email or phone number (one of them
// set) reaches in flow f, signing a new one up with the request's options
// (the real server creates the row at request time). No user and no error
// means: answer OK and send nothing, so that the answer never tells who
// has an account.
func (s *Server) passwordlessUser(r *http.Request, f flow, email, phone string, c *signUpChoice) (*User, *apiError, error) {
	var u *User
	var err error
	if email != "" {
		u, err = s.store.UserByEmail(r.Context(), email)
	} else {
		u, err = s.store.UserByPhone(r.Context(), phone)
	}
	if err == nil {
		switch {
		case f == signUp:
			return nil, nil, nil
		case u.Disabled:
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
	if f == signIn && s.cfg.AutoSignupOff {
		return nil, nil, nil
	}
	name := email
	if name == "" {
		name = phone
	}
	u = s.newUser(c, email, phone, name)
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, errEmailInUse, nil
		}
		return nil, nil, err
	}
	return u, nil, nil
}

func (s *Server) signInMagicLink(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInPasswordlessEmailRequest](r)
	if err != nil {
		return err
	}
	return s.passwordlessEmail(w, r, signIn, s.cfg.MagicLinkOn, body.Email, body.Options, func(u *User, redirectTo string) error {
		return s.sendMagicLink(r, u, body.Email, redirectTo, body.CodeChallenge)
	})
}

func (s *Server) signUpMagicLink(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignUpPasswordlessEmailRequest](r)
	if err != nil {
		return err
	}
	return s.passwordlessEmail(w, r, signUp, s.cfg.MagicLinkOn, body.Email, body.Options, func(u *User, redirectTo string) error {
		return s.sendMagicLink(r, u, body.Email, redirectTo, body.CodeChallenge)
	})
}

// passwordlessEmail is what magic links and email one-time passwords share:
// the switch, the address, the options, the user (signed up if new), then
// send, and OK.
func (s *Server) passwordlessEmail(w http.ResponseWriter, r *http.Request, f flow, on bool, email string, o *core.SignUpOptions,
	send func(u *User, redirectTo string) error) error {
	// The address is checked first: a bad one is a 400 even when the
	// method is off, as on the real server.
	if !validEmail(email) {
		return errEmpty400
	}
	if !on {
		return errDisabledEndpoint
	}
	if f == signUp && s.cfg.SignupOff {
		return errSignupDisabled
	}
	choice, err := s.signUpOptions(o)
	if err != nil {
		return err
	}
	u, aerr, err := s.passwordlessUser(r, f, email, "", choice)
	if err := failure(aerr, err); err != nil {
		return err
	}
	if u == nil {
		writeOK(w)
		return nil
	}
	if err := send(u, choice.redirectTo); err != nil {
		return err
	}
	writeOK(w)
	return nil
}

func (s *Server) sendMagicLink(r *http.Request, u *User, email, redirectTo, challenge string) error {
	return s.mailTicket(r, u, email, "passwordlessEmail", "signinPasswordless", redirectTo, challenge, tmplMagicLink)
}

// failure is err, else aerr as an error (nil when both are).
func failure(aerr *apiError, err error) error {
	if err != nil {
		return err
	}
	if aerr != nil {
		return aerr
	}
	return nil
}

// newOTP stores a fresh 6-digit code for u (hashed) and returns it.
func (s *Server) newOTP(r *http.Request, userID, method string) (string, error) {
	code := randomDigits(6)
	hash, err := bcrypt.GenerateFromPassword([]byte(code), s.cfg.BcryptCost)
	if err != nil {
		return "", err
	}
	return code, s.store.SetOTP(r.Context(), userID, method, string(hash), s.now().Add(otpTTL))
}

// maxOTPAttempts wrong codes in a row burn a one-time password.
const maxOTPAttempts = 5

// errTooManyOTPAttempts answers a code tried once too often (the newer
// server's error: the older one just kept refusing).
var errTooManyOTPAttempts = newErr("otp-too-many-attempts", 400, "Too many incorrect attempts, please request a new OTP")

// takeOTP consumes u's code if otp matches; a wrong code leaves it usable,
// until the maxOTPAttempts-th, which burns it (errTooManyOTPAttempts).
func (s *Server) takeOTP(r *http.Request, userID, method, otp string) (bool, error) {
	hash, err := s.store.OTP(r.Context(), userID, method)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(otp)) != nil {
		burnt, err := s.store.FailOTP(r.Context(), userID, hash, maxOTPAttempts)
		if err == nil && burnt {
			err = errTooManyOTPAttempts
		}
		return false, err
	}
	if err := s.store.TakeOTP(r.Context(), userID, hash); errors.Is(err, ErrNotFound) {
		return false, nil // used by a concurrent request
	} else if err != nil {
		return false, err
	}
	return true, nil
}

func (s *Server) signInEmailOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInOTPEmailRequest](r)
	if err != nil {
		return err
	}
	return s.emailOTP(w, r, signIn, body.Email, body.Options)
}

func (s *Server) signUpEmailOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignUpOTPEmailRequest](r)
	if err != nil {
		return err
	}
	return s.emailOTP(w, r, signUp, body.Email, body.Options)
}

func (s *Server) emailOTP(w http.ResponseWriter, r *http.Request, f flow, email string, o *core.SignUpOptions) error {
	return s.passwordlessEmail(w, r, f, s.cfg.EmailOTPOn, email, o, func(u *User, redirectTo string) error {
		code, err := s.newOTP(r, u.ID, "email")
		if err != nil {
			return err
		}
		m, err := s.render(tmplEmailOTP, email, u.Locale, mailVars{DisplayName: u.DisplayName, Email: email, Ticket: code, RedirectTo: redirectTo})
		if err != nil {
			return err
		}
		return s.deliver(r.Context(), m)
	})
}

func (s *Server) verifyEmailOTP(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInOTPEmailVerifyRequest](r)
	if err != nil {
		return err
	}
	// Every failure, the switch being off included, reads as a bad ticket.
	if !s.cfg.EmailOTPOn {
		return errInvalidTicket
	}
	u, err := s.store.UserByEmail(r.Context(), body.Email)
	return s.otpSignIn(w, r, u, err, "email", body.Otp, errInvalidTicket, s.store.SetEmailVerified)
}

// otpSignIn ends a one-time-password sign-in for the user looked up (u,
// err): bad answers an unknown user or a wrong code, verified marks the
// address the code was sent to.
func (s *Server) otpSignIn(w http.ResponseWriter, r *http.Request, u *User, err error, method, code string,
	bad *apiError, verified func(ctx context.Context, id string) error) error {
	switch {
	case errors.Is(err, ErrNotFound):
		return bad
	case err != nil:
		return err
	case u.Disabled:
		return errDisabledUser
	}
	ok, err := s.takeOTP(r, u.ID, method, code)
	if err == nil && ok {
		err = verified(r.Context(), u.ID)
	}
	if err == nil && ok {
		u, err = s.store.UserByID(r.Context(), u.ID)
	}
	if err != nil {
		return err
	}
	if !ok {
		return bad
	}
	return s.respondSession(w, r, u)
}

func (s *Server) signInSMS(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInPasswordlessSmsRequest](r)
	if err != nil {
		return err
	}
	return s.smsOTP(w, r, signIn, body.PhoneNumber, body.Options)
}

func (s *Server) signUpSMS(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignUpPasswordlessSmsRequest](r)
	if err != nil {
		return err
	}
	return s.smsOTP(w, r, signUp, body.PhoneNumber, body.Options)
}

func (s *Server) smsOTP(w http.ResponseWriter, r *http.Request, f flow, phone string, o *core.SignUpOptions) error {
	if !s.cfg.SMSOn {
		return errDisabledEndpoint
	}
	if f == signUp && s.cfg.SignupOff {
		return errSignupDisabled
	}
	choice, err := s.signUpOptions(o)
	if err != nil {
		return err
	}
	u, aerr, err := s.passwordlessUser(r, f, "", phone, choice)
	if err := failure(aerr, err); err != nil {
		return err
	}
	if u != nil {
		code, err := s.newOTP(r, u.ID, "sms")
		if err != nil {
			return err
		}
		if err := s.sendSMS(r.Context(), u, phone, code); err != nil {
			return err
		}
	}
	writeOK(w)
	return nil
}

func (s *Server) verifySMS(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInPasswordlessSmsOtpRequest](r)
	if err != nil {
		return err
	}
	if !s.cfg.SMSOn {
		return errDisabledEndpoint
	}
	// The real server answers 400 invalid-request here, not 401.
	u, err := s.store.UserByPhone(r.Context(), body.PhoneNumber)
	return s.otpSignIn(w, r, u, err, "sms", body.Otp, errInvalidRequest, s.store.SetPhoneVerified)
}

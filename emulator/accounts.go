package emulator

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Email-based account flows: verification, password reset and change,
// email change, and the /verify endpoint that every emailed link opens.

// issueTicket stores a fresh ticket in u's one ticket slot (replacing any
// earlier one, as the real server does) and returns it.
func (s *Server) issueTicket(r *http.Request, userID, prefix string) (string, error) {
	ticket := prefix + ":" + newID()
	return ticket, s.store.SetTicket(r.Context(), userID, ticket, s.now().Add(ticketTTL))
}

// addressAndRedirect checks an email address (an empty 400 for a bad
// one, as the real server answers), then options.redirectTo.
func (s *Server) addressAndRedirect(email string, o *core.OptionsRedirectTo) (string, error) {
	if !validEmail(email) {
		return "", errEmpty400
	}
	var want string
	if o != nil {
		want = o.RedirectTo
	}
	target, aerr := s.redirectTarget(want)
	if aerr != nil {
		return "", aerr
	}
	return target, nil
}

func (s *Server) sendVerificationEmail(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.UserEmailSendVerificationEmailRequest](r)
	if err != nil {
		return err
	}
	redirectTo, err := s.addressAndRedirect(body.Email, body.Options)
	if err != nil {
		return err
	}
	u, err := s.store.UserByEmail(r.Context(), body.Email)
	switch {
	case errors.Is(err, ErrNotFound):
		return errInvalidEmailPassword
	case err != nil:
		return err
	case u.Disabled:
		return errDisabledUser
	case u.EmailVerified:
		return errEmailAlreadyVerified
	default:
		if err := s.sendVerification(r, u, redirectTo, body.CodeChallenge); err != nil {
			return err
		}
		writeOK(w)
	}
	return nil
}

func (s *Server) sendVerification(r *http.Request, u *User, redirectTo, challenge string) error {
	return s.mailTicket(r, u, u.Email, "verifyEmail", "emailVerify", redirectTo, challenge, tmplEmailVerify)
}

// mailTicket issues a ticket (prefix) for u and mails its /verify link (of
// type linkType, carrying the flow's PKCE challenge if any) to the
// address to, rendered from template.
func (s *Server) mailTicket(r *http.Request, u *User, to, prefix, linkType, redirectTo, challenge, template string) error {
	ticket, err := s.issueTicket(r, u.ID, prefix)
	if err != nil {
		return err
	}
	m, err := s.render(template, to, u.Locale, mailVars{Link: s.verifyLink(redirectTo, ticket, linkType, challenge),
		DisplayName: u.DisplayName, Email: u.Email, Ticket: ticket, RedirectTo: redirectTo})
	if err != nil {
		return err
	}
	return s.deliver(r.Context(), m)
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.UserPasswordResetRequest](r)
	if err != nil {
		return err
	}
	redirectTo, err := s.addressAndRedirect(body.Email, body.Options)
	if err != nil {
		return err
	}
	// Unknown and disabled users get the same answer and no email: the
	// endpoint does not reveal who has an account.
	u, err := s.store.UserByEmail(r.Context(), body.Email)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
		writeOK(w)
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.mailTicket(r, u, u.Email, "passwordReset", "passwordReset", redirectTo, body.CodeChallenge, tmplPasswordReset); err != nil {
		return err
	}
	writeOK(w)
	return nil
}

// changePassword is POST /user/password: with a Bearer token (elevated
// when the mode asks for it) the caller's password changes; without one,
// a passwordReset ticket is needed.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.UserPasswordRequest](r)
	if err != nil {
		return err
	}
	var u *User
	switch {
	case caller(r) != nil:
		if u, err = s.currentUser(r, false); err != nil {
			return err
		}
	case body.Ticket != "":
		var err error
		if u, err = s.store.TakeTicket(r.Context(), body.Ticket); err != nil {
			return errInvalidTicket
		}
		if u.Disabled {
			return errDisabledUser
		}
	default:
		return errInvalidRequest
	}
	if len(body.NewPassword) < s.cfg.PasswordMin {
		return errPasswordTooShort
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(body.NewPassword), s.cfg.BcryptCost)
	if err == nil {
		err = s.store.SetPassword(r.Context(), u.ID, string(hash))
	}
	if err != nil {
		return err
	}
	writeOK(w)
	return nil
}

func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.UserEmailChangeRequest](r)
	if err != nil {
		return err
	}
	redirectTo, err := s.addressAndRedirect(body.NewEmail, body.Options)
	if err != nil {
		return err
	}
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	if _, err := s.store.UserByEmail(r.Context(), body.NewEmail); err == nil {
		return errEmailInUse // another user's, or the caller's own
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	ticket := "emailConfirmChange:" + newID()
	if err := s.store.RequestEmailChange(r.Context(), u.ID, body.NewEmail, ticket, s.now().Add(ticketTTL)); err != nil {
		return err
	}
	m, err := s.render(tmplEmailChange, body.NewEmail, u.Locale, mailVars{Link: s.verifyLink(redirectTo, ticket, "emailConfirmChange", body.CodeChallenge),
		DisplayName: u.DisplayName, Email: u.Email, NewEmail: body.NewEmail, Ticket: ticket, RedirectTo: redirectTo})
	if err != nil {
		return err
	}
	if err := s.deliver(r.Context(), m); err != nil {
		return err
	}
	writeOK(w)
	return nil
}

// ticketTypes are the ticket prefixes /verify accepts.
var ticketTypes = map[string]bool{
	"verifyEmail": true, "passwordReset": true, "emailConfirmChange": true, "passwordlessEmail": true,
}

// verifyTicket is GET /verify: it consumes the ticket, applies what it
// stands for, signs the user in and redirects with a refresh token and the
// ticket's prefix as type; every failure is a redirect with error keys.
func (s *Server) verifyTicket(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	q := r.URL.Query()
	redirectTo := q.Get("redirectTo")
	if !s.redirectAllowed(redirectTo) {
		redirectError(w, s.cfg.ClientURL, errRedirectToNotAllowed)
		return nil
	}
	ticket := q.Get("ticket")
	typ := ticket[:strings.IndexByte(ticket+":", ':')]
	if !ticketTypes[typ] {
		redirectError(w, redirectTo, errInvalidTicket)
		return nil
	}
	u, err := s.store.TakeTicket(r.Context(), ticket)
	if err != nil {
		redirectError(w, redirectTo, errInvalidTicket)
		return nil
	}
	if u.Disabled {
		redirectError(w, redirectTo, errDisabledUser)
		return nil
	}
	switch typ {
	case "verifyEmail", "passwordlessEmail":
		err = s.store.SetEmailVerified(r.Context(), u.ID)
	case "emailConfirmChange":
		if err = s.store.ApplyEmailChange(r.Context(), u.ID); errors.Is(err, ErrConflict) {
			redirectError(w, redirectTo, errEmailInUse)
			return nil
		}
	}
	if err != nil {
		return err
	}
	return s.redirectSignedIn(w, r, u.ID, redirectTo, q.Get("codeChallenge"), url.Values{"type": {typ}})
}

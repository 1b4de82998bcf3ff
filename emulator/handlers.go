package emulator

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/nhost-auth-wasm/sdk/core"
)

func itoa(n int) string { return strconv.Itoa(n) }

func htmlEscape(s string) string { return html.EscapeString(s) }

// ticketTTL is how long an emailed ticket lives (1 h, as the real server).
const ticketTTL = time.Hour

func (s *Server) buildRoutes() []route {
	rs := []route{
		s.handle("GET", "/healthz", func(w http.ResponseWriter, _ *http.Request, _ map[string]string) error { writeOK(w); return nil }),
		s.handle("HEAD", "/healthz", func(w http.ResponseWriter, _ *http.Request, _ map[string]string) error {
			w.WriteHeader(http.StatusOK)
			return nil
		}),
		s.handle("GET", "/version", func(w http.ResponseWriter, _ *http.Request, _ map[string]string) error {
			writeJSON(w, http.StatusOK, map[string]string{"version": s.cfg.Version})
			return nil
		}),
		s.handle("GET", "/.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request, _ map[string]string) error {
			writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{s.keys.jwk()}})
			return nil
		}),
		s.handle("POST", "/signup/email-password", s.signUpEmailPassword),
		s.handle("POST", "/signin/email-password", s.signInEmailPassword),
		s.handle("POST", "/signin/anonymous", s.signInAnonymous),
		s.handle("POST", "/signout", s.signOut),
		s.handle("POST", "/token", s.refreshToken),
		s.handle("POST", "/token/verify", s.verifyToken),
		s.handle("GET", "/user", s.getUser),
		s.handle("GET", "/verify", s.verifyTicket),
		s.handle("GET", "/signin/provider/{provider}", s.signInProvider),
		s.handle("GET", "/signup/provider/{provider}", s.signUpProvider),
		s.handle("GET", "/signin/provider/{provider}/callback", s.providerCallback),
		s.handle("POST", "/signin/provider/{provider}/callback", s.providerCallback),
		s.handle("GET", "/signin/provider/{provider}/callback/tokens", s.providerTokensOnce),
		s.handle("POST", "/token/provider/{provider}", s.refreshProviderToken),
		s.handle("POST", "/user/email/send-verification-email", s.sendVerificationEmail),
		s.handle("POST", "/user/password/reset", s.resetPassword),
		s.handle("POST", "/user/password", s.changePassword),
		s.handle("POST", "/user/email/change", s.changeEmail),
		s.handle("POST", "/signin/passwordless/email", s.signInMagicLink),
		s.handle("POST", "/signup/passwordless/email", s.signUpMagicLink),
		s.handle("POST", "/signup/otp/email", s.signUpEmailOTP),
		s.handle("POST", "/signup/passwordless/sms", s.signUpSMS),
		s.handle("POST", "/token/exchange", s.tokenExchange),
		s.handle("POST", "/signup/webauthn", s.signUpWebAuthn),
		s.handle("POST", "/signup/webauthn/verify", s.verifySignUpWebAuthn),
		s.handle("POST", "/signin/webauthn", s.signInWebAuthn),
		s.handle("POST", "/signin/webauthn/verify", s.verifySignInWebAuthn),
		s.handle("POST", "/user/webauthn/add", s.addSecurityKey),
		s.handle("POST", "/user/webauthn/verify", s.verifyAddSecurityKey),
		s.handle("POST", "/elevate/webauthn", s.elevateWebAuthn),
		s.handle("POST", "/elevate/webauthn/verify", s.verifyElevateWebAuthn),
		s.handle("POST", "/signin/idtoken", s.signInIDToken),
		s.handle("POST", "/signup/idtoken", s.signUpIDToken),
		s.handle("POST", "/link/idtoken", s.linkIDToken),
		s.handle("GET", "/.well-known/openid-configuration", s.discovery),
		s.handle("GET", "/.well-known/oauth-authorization-server", s.discovery),
		s.handle("GET", "/oauth2/authorize", s.oauth2Authorize),
		s.handle("POST", "/oauth2/authorize", s.oauth2Authorize),
		s.handle("POST", "/oauth2/token", s.oauth2Token),
		s.handle("GET", "/oauth2/userinfo", s.oauth2Userinfo),
		s.handle("POST", "/oauth2/userinfo", s.oauth2Userinfo),
		s.handle("GET", "/oauth2/jwks", s.oauth2JWKS),
		s.handle("POST", "/oauth2/revoke", s.oauth2Revoke),
		s.handle("POST", "/oauth2/introspect", s.oauth2Introspect),
		s.handle("POST", "/oauth2/register", s.oauth2Register),
		s.handle("GET", "/oauth2/login", s.oauth2LoginGet),
		s.handle("POST", "/oauth2/login", s.oauth2LoginPost),
		s.handle("GET", "/emulator/oauth2/login", s.builtinLogin),
		s.handle("POST", "/emulator/oauth2/login", s.builtinLogin),
		s.handle("POST", "/signin/otp/email", s.signInEmailOTP),
		s.handle("POST", "/signin/otp/email/verify", s.verifyEmailOTP),
		s.handle("POST", "/signin/passwordless/sms", s.signInSMS),
		s.handle("POST", "/signin/passwordless/sms/otp", s.verifySMS),
		s.handle("GET", "/emulator/sms", s.devSMS),
		s.handle("GET", "/emulator/mail", s.mailList),
		s.handle("DELETE", "/emulator/mail", s.mailClear),
		s.handle("GET", "/emulator/mail/{id}", s.mailGet),
		s.handle("GET", "/emulator/mail/{id}/html", s.mailHTML),
		s.handle("GET", "/emulator/security-keys", s.devSecurityKeys),
		s.handle("GET", "/mfa/totp/generate", s.generateTOTP),
		s.handle("POST", "/user/mfa", s.changeMFA),
		s.handle("POST", "/signin/mfa/totp", s.verifyTOTPSignIn),
		s.handle("POST", "/pat", s.createPAT),
		s.handle("POST", "/signin/pat", s.signInPAT),
		s.handle("POST", "/user/deanonymize", s.deanonymize),
	}
	return rs
}

// decodeBody reads a JSON body that the validator has already checked.
func decodeBody(r *http.Request, v any) error {
	b, err := io.ReadAll(r.Body)
	if err != nil || len(strings.TrimSpace(string(b))) == 0 {
		return err
	}
	return json.NewDecoder(strings.NewReader(string(b))).Decode(v)
}

// decode reads a request body into a T; invalid-request when it cannot
// (the validator has already checked its shape).
func decode[T any](r *http.Request) (*T, error) {
	var body T
	if err := decodeBody(r, &body); err != nil {
		return nil, errInvalidRequest
	}
	return &body, nil
}

// validEmail is the real server's check: a bare address, nothing around it.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func (s *Server) gravatar(email string) string {
	if !s.cfg.Gravatar {
		return ""
	}
	sum := md5.Sum([]byte(strings.ToLower(email)))
	return "https://www.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?d=" + url.QueryEscape(s.cfg.GravatarDef) + "&r=" + url.QueryEscape(s.cfg.GravatarR)
}

// locale picks the user's locale: an allowed one (case-insensitive), else
// the default, silently, as the real server does.
func (s *Server) locale(l string) string {
	l = strings.ToLower(l)
	if contains(s.cfg.Locales, l) {
		return l
	}
	return s.cfg.DefaultLocale
}

// roles checks the requested roles against the allowed ones.
func (s *Server) roles(o *core.SignUpOptions) (defaultRole string, roles []string, err *apiError) {
	roles = s.cfg.AllowedRoles
	defaultRole = s.cfg.DefaultRole
	if o != nil && o.AllowedRoles != nil {
		roles = o.AllowedRoles
		for _, r := range roles {
			if !contains(s.cfg.AllowedRoles, r) {
				return "", nil, errRoleNotAllowed
			}
		}
	}
	if o != nil && o.DefaultRole != "" {
		defaultRole = o.DefaultRole
	}
	if !contains(roles, defaultRole) {
		return "", nil, errDefaultRoleNotAllowed
	}
	return defaultRole, roles, nil
}

// redirectAllowed reports whether u may be redirected to: it must be an
// absolute URL under the client URL or an allowed URL, compared by scheme,
// host and port (so http://app:3000.evil.com does not pass) and path prefix.
func (s *Server) redirectAllowed(u string) bool {
	for _, base := range append([]string{s.cfg.ClientURL}, s.cfg.AllowedURLs...) {
		if base != "" && redirectMatches(u, base) {
			return true
		}
	}
	return false
}

// redirectMatches reports whether target is under pattern: the same scheme,
// a host whose labels match ("*" is any one label), the same port ("*" is
// any port), and a path whose segments start with the pattern's ("/app"
// allows "/app" and "/app/x", never "/application"). A target path with a
// dot segment, an encoded slash or a backslash is refused whatever the
// pattern: it could mean another path to whoever reads it next.
func redirectMatches(target, pattern string) bool {
	t, err := url.Parse(target)
	if err != nil || t.Scheme == "" || t.Host == "" || t.Opaque != "" {
		return false
	}
	scheme, rest, ok := strings.Cut(pattern, "://")
	if !ok || !strings.EqualFold(scheme, t.Scheme) {
		return false
	}
	hostport, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		hostport, path = rest[:i], rest[i:]
		if j := strings.IndexAny(path, "?#"); j >= 0 {
			path = path[:j]
		}
	}
	host, port := hostport, ""
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host, port = hostport[:i], hostport[i+1:]
	}
	if !hostMatches(strings.Trim(host, "[]"), t.Hostname()) {
		return false
	}
	if port != "*" && port != t.Port() {
		return false
	}
	raw := t.EscapedPath()
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(raw, "\\") {
		return false
	}
	segs := strings.Split(strings.TrimPrefix(t.Path, "/"), "/")
	for _, seg := range segs {
		if seg == "." || seg == ".." {
			return false
		}
	}
	want := strings.Split(strings.Trim(path, "/"), "/")
	if len(want) == 1 && want[0] == "" {
		return true
	}
	if len(segs) < len(want) {
		return false
	}
	for i := range want {
		if want[i] != segs[i] {
			return false
		}
	}
	return true
}

func hostMatches(pattern, host string) bool {
	pl, hl := strings.Split(strings.ToLower(pattern), "."), strings.Split(strings.ToLower(host), ".")
	if len(pl) != len(hl) {
		return false
	}
	for i := range pl {
		if pl[i] != "*" && pl[i] != hl[i] {
			return false
		}
	}
	return true
}

// signUpChoice is what a request's sign-up options decide for a new user.
type signUpChoice struct {
	opts        *core.SignUpOptions // never nil
	redirectTo  string
	defaultRole string
	roles       []string
}

// signUpOptions checks sign-up options (redirect target, roles).
func (s *Server) signUpOptions(o *core.SignUpOptions) (*signUpChoice, error) {
	if o == nil {
		o = &core.SignUpOptions{}
	}
	c := &signUpChoice{opts: o}
	var aerr *apiError
	if c.redirectTo, aerr = s.redirectTarget(o.RedirectTo); aerr == nil {
		c.defaultRole, c.roles, aerr = s.roles(o)
	}
	if aerr != nil {
		return nil, aerr
	}
	return c, nil
}

// newUser is a user made from sign-up choices (not stored yet).
func (s *Server) newUser(c *signUpChoice, email, phone, defaultName string) *User {
	u := &User{
		ID: newID(), CreatedAt: wireTime(s.store.now()), DisplayName: c.opts.DisplayName, AvatarURL: s.gravatar(email),
		Locale: s.locale(c.opts.Locale), Email: email, PhoneNumber: phone, DefaultRole: c.defaultRole,
		Roles: c.roles, Metadata: c.opts.Metadata, Disabled: s.cfg.DisableNew,
	}
	if u.DisplayName == "" {
		u.DisplayName = defaultName
	}
	return u
}

func (s *Server) redirectTarget(o string) (string, *apiError) {
	if o == "" {
		return s.cfg.ClientURL, nil
	}
	if !s.redirectAllowed(o) {
		return "", errRedirectToNotAllowed
	}
	return o, nil
}

// sessionUser renders a user inside a session: activeMfaType is always
// null there, and empty metadata is null (probe.md).
func sessionUser(u *User) *core.User {
	cu := userJSON(u)
	cu.ActiveMfaType = nil
	if len(u.Metadata) == 0 {
		cu.Metadata = nil
	}
	return cu
}

// userJSON renders a user as GET /user does (metadata null when the user
// has none, as the real server answers).
func userJSON(u *User) *core.User {
	cu := &core.User{
		AvatarURL: u.AvatarURL, CreatedAt: u.CreatedAt, DefaultRole: u.DefaultRole,
		DisplayName: u.DisplayName, Email: u.Email, EmailVerified: u.EmailVerified, ID: u.ID,
		IsAnonymous: u.IsAnonymous, Locale: u.Locale, Metadata: u.Metadata, PhoneNumber: u.PhoneNumber,
		PhoneNumberVerified: u.PhoneNumberVerified, Roles: u.Roles,
	}
	if u.ActiveMfaType != "" {
		t := u.ActiveMfaType
		cu.ActiveMfaType = &t
	}
	if cu.Roles == nil {
		cu.Roles = []string{}
	}
	return cu
}

// newSession creates a refresh token and an access token for u.
func (s *Server) newSession(r *http.Request, u *User, elevated bool) (*core.Session, error) {
	rt := newID()
	id, err := s.store.CreateRefreshToken(r.Context(), u.ID, rt, "regular", s.now().Add(s.cfg.RefreshTTL))
	if err != nil {
		return nil, err
	}
	return s.sessionFor(u, rt, id, elevated)
}

// respondSession signs u in: a new session, answered as {"session": …}.
func (s *Server) respondSession(w http.ResponseWriter, r *http.Request, u *User) error {
	sess, err := s.newSession(r, u, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, core.SessionPayload{Session: sess})
	return nil
}

func (s *Server) sessionFor(u *User, rt, rtID string, elevated bool) (*core.Session, error) {
	at, err := s.keys.accessToken(u, s.cfg.Issuer, s.cfg.AccessTTL, elevated)
	if err != nil {
		return nil, err
	}
	return &core.Session{
		AccessToken: at, AccessTokenExpiresIn: int64(s.cfg.AccessTTL / time.Second),
		RefreshToken: rt, RefreshTokenID: rtID, User: sessionUser(u),
	}, nil
}

func (s *Server) signUpEmailPassword(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignUpEmailPasswordRequest](r)
	if err != nil {
		return err
	}
	if !validEmail(body.Email) {
		return errEmpty400
	}
	if s.cfg.SignupOff {
		return errSignupDisabled
	}
	if len(body.Password) < s.cfg.PasswordMin {
		return errPasswordTooShort
	}
	choice, err := s.signUpOptions(body.Options)
	if err != nil {
		return err
	}
	redirectTo := choice.redirectTo
	hash, err := bcrypt.GenerateFromPassword([]byte(body.Password), s.cfg.BcryptCost)
	if err != nil {
		return err
	}
	created := s.now()
	u := s.newUser(choice, body.Email, "", body.Email)
	u.CreatedAt, u.PasswordHash = wireTime(formatTime(created)), string(hash)
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		if errors.Is(err, ErrConflict) {
			return errEmailInUse
		}
		return err
	}
	if s.cfg.VerifyEmail || s.cfg.DisableNew {
		if s.cfg.VerifyEmail {
			if err := s.sendVerification(r, u, redirectTo, body.CodeChallenge); err != nil {
				return err
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{})
		return nil
	}
	sess, err := s.newSession(r, u, false)
	if err != nil {
		return err
	}
	// The sign-up response carries the server's clock reading in ns, as the real one does.
	sess.User.CreatedAt = created.UTC().Format(time.RFC3339Nano)
	writeJSON(w, http.StatusOK, core.SessionPayload{Session: sess})
	return nil
}

func (s *Server) signInEmailPassword(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInEmailPasswordRequest](r)
	if err != nil {
		return err
	}
	if !validEmail(body.Email) {
		return errEmpty400
	}
	u, err := s.store.UserByEmail(r.Context(), body.Email)
	if errors.Is(err, ErrNotFound) {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(body.Password))
		return errInvalidEmailPassword
	}
	if err != nil {
		return err
	}
	// The real server reports these before it checks the password.
	if u.Disabled {
		return errDisabledUser
	}
	if s.cfg.VerifyEmail && !u.EmailVerified {
		return errUnverifiedUser
	}
	if u.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(body.Password)) != nil {
		return errInvalidEmailPassword
	}
	if u.ActiveMfaType == "totp" {
		return s.mfaChallenge(w, r, u)
	}
	return s.respondSession(w, r, u)
}

func (s *Server) signInAnonymous(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignInAnonymousRequest](r)
	if err != nil {
		return err
	}
	if !s.cfg.AnonymousOn {
		return errDisabledEndpoint
	}
	if s.cfg.SignupOff {
		return errSignupDisabled
	}
	u := &User{
		ID: newID(), CreatedAt: wireTime(s.store.now()), DisplayName: body.DisplayName, Locale: s.locale(body.Locale),
		IsAnonymous: true, DefaultRole: "anonymous", Roles: []string{"anonymous"}, Metadata: body.Metadata,
	}
	if u.DisplayName == "" {
		u.DisplayName = "Anonymous User"
	}
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		return err
	}
	return s.respondSession(w, r, u)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.SignOutRequest](r)
	if err != nil {
		return err
	}
	if body.All {
		// Needs a valid bearer; the validator let a bad one through because
		// the operation's security is optional.
		c, err := s.authenticate(r, "BearerAuth")
		if err != nil {
			return errInvalidRequest
		}
		if err := s.store.DeleteUserRefreshTokens(r.Context(), c.UserID); err != nil {
			return err
		}
		writeOK(w)
		return nil
	}
	if body.RefreshToken == "" {
		return errInvalidRequest
	}
	if err := s.store.DeleteRefreshToken(r.Context(), body.RefreshToken); err != nil {
		return err
	}
	writeOK(w)
	return nil
}

func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.RefreshTokenRequest](r)
	if err != nil {
		return err
	}
	next := newID()
	rt, err := s.store.RotateRefreshToken(r.Context(), body.RefreshToken, next, s.now().Add(s.cfg.RefreshTTL))
	if errors.Is(err, ErrNotFound) {
		return errInvalidRefreshToken
	}
	if err != nil {
		return err
	}
	u, err := s.enabledUser(r, rt.UserID)
	if err != nil {
		return err
	}
	sess, err := s.sessionFor(u, next, rt.ID, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sess) // a bare Session, no wrapper
	return nil
}

func (s *Server) verifyToken(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	body, err := decode[core.VerifyTokenRequest](r)
	if err != nil {
		return err
	}
	token := body.Token
	if token == "" {
		h := r.Header.Get("Authorization")
		if !strings.HasPrefix(h, "Bearer ") {
			return errInvalidRequest
		}
		token = h[len("Bearer "):]
	}
	if _, err := s.keys.parse(token); err != nil {
		return errInvalidRequest
	}
	writeOK(w)
	return nil
}

// enabledUser loads a user known to exist; disabled-user if disabled.
func (s *Server) enabledUser(r *http.Request, id string) (*User, error) {
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errDisabledUser
	}
	return u, nil
}

// currentUser loads the caller's user, with the real server's errors for
// disabled and anonymous users.
func (s *Server) currentUser(r *http.Request, allowAnonymous bool) (*User, error) {
	c := caller(r)
	if c == nil {
		return nil, errInvalidRequest
	}
	u, err := s.store.UserByID(r.Context(), c.UserID)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errInvalidEmailPassword
	case err != nil:
		return nil, err
	case u.Disabled:
		return nil, errDisabledUser
	case u.IsAnonymous && !allowAnonymous:
		return nil, errForbiddenAnonymous
	}
	return u, nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	if u.Email == "" {
		// The real server's email access check fails for phone-only users.
		return errInvalidEmailPassword
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

// redirect answers 302 to target with extra query keys merged into its own
// query and re-encoded in key order (as Go's url.Values does), keeping
// the fragment.
func redirect(w http.ResponseWriter, target string, extra url.Values) {
	u, err := url.Parse(target)
	if err != nil {
		u = &url.URL{}
	}
	q := u.Query()
	for k, vs := range extra {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusFound)
}

func redirectError(w http.ResponseWriter, target string, e *apiError) {
	redirect(w, target, url.Values{"error": {e.Code}, "errorDescription": {e.Message}})
}

// verifyParamsPresent reports missing /verify parameters the way the real
// server's router does, before request validation: {"msg": …}.
func verifyParamsPresent(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	for _, name := range []string{"ticket", "redirectTo"} {
		if q.Get(name) == "" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"msg":"Query argument `+name+` is required, but not found"}`)
			return false
		}
	}
	return true
}

// authenticate is the validator's check of the Bearer security schemes.
func (s *Server) authenticate(r *http.Request, scheme string) (*tokenClaims, error) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return nil, errors.New("invalid authorization header")
	}
	claims, err := s.keys.parse(h[len("Bearer "):])
	if err != nil {
		return nil, errors.New("error validating token: error parsing token: " + err.Error())
	}
	c := readClaims(claims)
	if scheme == "BearerAuthElevated" {
		if err := s.elevationOK(r, &c); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// randomDigits returns n random decimal digits (one-time passwords).
func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

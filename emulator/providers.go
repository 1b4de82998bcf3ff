package emulator

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Sign-in with OAuth providers (AUTH_PROVIDER_{NAME}_*): the redirect to
// the provider with a signed state, the callback (code exchange, profile,
// sign in / sign up / link / connect), the redirect back with a refresh
// token or a PKCE code, and the provider's tokens kept for the app.

var (
	errInvalidState        = newErr("invalid-state", 400, "Invalid state")
	errTokenExchangeFailed = newErr("oauth-token-echange-failed", 400, "Failed to exchange token")
	errProfileFetchFailed  = newErr("oauth-profile-fetch-failed", 400, "Failed to get user profile")
	errProviderError       = newErr("oauth-provider-error", 400, "Provider returned an error")
	errAlreadyLinked       = newErr("provider-account-already-linked", 400, "This provider account is already linked to a user")
	errUserAlreadyExists   = newErr("user-already-exists", 409, "User already exists")
)

// stateTTL is how long the user has at the provider (the real server's minute).
const stateTTL = time.Minute

// stateAudience marks a state token, so it is never taken for anything else.
const stateAudience = "nhost-auth-emulator:provider-state"

// providerDefaults are the real endpoints of the providers the emulator
// can reach without overrides.
var providerDefaults = map[string]endpoints{
	"github": {Auth: "https://github.com/login/oauth/authorize", Token: "https://github.com/login/oauth/access_token",
		Userinfo: "https://api.github.com/user", Scope: "user:email"},
	"google": {Auth: "https://accounts.google.com/o/oauth2/v2/auth", Token: "https://oauth2.googleapis.com/token",
		Userinfo: "https://openidconnect.googleapis.com/v1/userinfo", JWKS: "https://www.googleapis.com/oauth2/v3/certs",
		Issuer: "https://accounts.google.com", Scope: "openid email profile"},
	"apple": {Auth: "https://appleid.apple.com/auth/authorize", Token: "https://appleid.apple.com/auth/token",
		JWKS: "https://appleid.apple.com/auth/keys", Issuer: "https://appleid.apple.com", Scope: "name email"},
}

type endpoints struct {
	Auth, Token, Userinfo, JWKS, Issuer, Scope string
}

// providers resolves and caches each provider's endpoints.
type providers struct {
	client *http.Client
	mu     sync.Mutex // guards cache and keys
	cache  map[string]endpoints
	keys   map[string]*rsa.PublicKey // provider + "\x00" + kid
}

func newProviders() *providers {
	return &providers{client: &http.Client{Timeout: 10 * time.Second}, cache: map[string]endpoints{},
		keys: map[string]*rsa.PublicKey{}}
}

// endpoints of provider p (name): its settings, then its issuer's
// discovery document, then the real provider's.
func (s *Server) endpoints(ctx context.Context, name string, p *ProviderConfig) (endpoints, error) {
	s.prov.mu.Lock()
	e, ok := s.prov.cache[name]
	s.prov.mu.Unlock()
	if ok {
		return e, nil
	}
	e = endpoints{Auth: p.AuthURL, Token: p.TokenURL, Userinfo: p.UserinfoURL, JWKS: p.JWKSURL, Issuer: p.Issuer, Scope: p.Scope}
	if p.Issuer != "" {
		var d core.OAuth2DiscoveryResponse
		if err := s.getJSON(ctx, strings.TrimSuffix(p.Issuer, "/")+"/.well-known/openid-configuration", "", &d); err != nil {
			return e, fmt.Errorf("discovery of %s: %w", name, err)
		}
		e = endpoints{Auth: or(e.Auth, d.AuthorizationEndpoint), Token: or(e.Token, d.TokenEndpoint),
			Userinfo: or(e.Userinfo, d.UserinfoEndpoint), JWKS: or(e.JWKS, d.JwksURI), Issuer: d.Issuer, Scope: or(e.Scope, "openid email profile")}
	}
	if def, ok := providerDefaults[name]; ok && p.Issuer == "" {
		e = endpoints{Auth: or(e.Auth, def.Auth), Token: or(e.Token, def.Token), Userinfo: or(e.Userinfo, def.Userinfo),
			JWKS: or(e.JWKS, def.JWKS), Issuer: def.Issuer, Scope: or(e.Scope, def.Scope)}
	}
	e.Scope = strings.Join(strings.FieldsFunc(e.Scope, func(r rune) bool { return r == ',' || r == ' ' }), " ")
	s.prov.mu.Lock()
	s.prov.cache[name] = e
	s.prov.mu.Unlock()
	return e, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// getJSON fetches url (with a Bearer token if given) into v.
func (s *Server) getJSON(ctx context.Context, u, bearer string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return s.doJSON(req, v)
}

func (s *Server) doJSON(req *http.Request, v any) error {
	res, err := s.prov.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", req.URL.Redacted(), res.StatusCode, strings.TrimSpace(string(body)))
	}
	return json.Unmarshal(body, v)
}

// providerState is what the signed state carries through the provider.
type providerState struct {
	Provider      string             `json:"provider"`
	Flow          string             `json:"flow"` // signin, signup
	Options       core.SignUpOptions `json:"options"`
	Connect       string             `json:"connect,omitempty"`
	State         string             `json:"state,omitempty"`
	CodeChallenge string             `json:"codeChallenge,omitempty"`
}

// knownProviderParams are the query keys that are not provider-specific.
var knownProviderParams = map[string]bool{"allowedRoles": true, "defaultRole": true, "displayName": true, "locale": true,
	"metadata": true, "redirectTo": true, "connect": true, "state": true, "codeChallenge": true}

func (s *Server) signInProvider(w http.ResponseWriter, r *http.Request, params map[string]string) error {
	return s.startProvider(w, r, params["provider"], "signin")
}

func (s *Server) signUpProvider(w http.ResponseWriter, r *http.Request, params map[string]string) error {
	if s.cfg.SignupOff {
		return errSignupDisabled
	}
	return s.startProvider(w, r, params["provider"], "signup")
}

// startProvider is GET /signin/provider/{provider} and /signup/provider/{provider}.
func (s *Server) startProvider(w http.ResponseWriter, r *http.Request, name, flow string) error {
	q := r.URL.Query()
	target, aerr := s.redirectTarget(q.Get("redirectTo"))
	if aerr != nil {
		return aerr
	}
	p := s.cfg.Providers[name]
	if p == nil {
		redirectError(w, target, errDisabledEndpoint)
		return nil
	}
	st := providerState{Provider: name, Flow: flow, Connect: q.Get("connect"), State: q.Get("state"),
		CodeChallenge: q.Get("codeChallenge"), Options: core.SignUpOptions{RedirectTo: target,
			DefaultRole: q.Get("defaultRole"), DisplayName: q.Get("displayName"), Locale: q.Get("locale")}}
	if flow == "signup" {
		st.Connect = ""
	}
	if roles := q.Get("allowedRoles"); roles != "" {
		st.Options.AllowedRoles = strings.Split(roles, ",")
	}
	if m := q.Get("metadata"); m != "" {
		if len(m) > s.cfg.MetadataMax {
			return errMetadataTooLarge
		}
		if err := json.Unmarshal([]byte(m), &st.Options.Metadata); err != nil {
			return errInvalidRequest
		}
	}
	// Roles are checked now, as a sign-up would check them, so that a bad
	// option fails here rather than after the provider.
	if _, _, aerr := s.roles(&st.Options); aerr != nil {
		return aerr
	}
	e, err := s.endpoints(r.Context(), name, p)
	if err != nil {
		s.log.Error("provider endpoints", "provider", name, "err", err)
		redirectError(w, target, errInternal)
		return nil
	}
	raw, _ := json.Marshal(st)
	var claims jwt.MapClaims
	_ = json.Unmarshal(raw, &claims)
	claims["aud"], claims["exp"] = stateAudience, s.now().Add(stateTTL).Unix()
	state, err := s.keys.sign(claims)
	if err != nil {
		return err
	}
	u, err := url.Parse(e.Auth)
	if err != nil {
		return err
	}
	v := u.Query()
	for k, vs := range q {
		if !knownProviderParams[k] {
			v[k] = vs
		}
	}
	v.Set("client_id", p.ClientID)
	v.Set("redirect_uri", s.callbackURL(name))
	v.Set("response_type", "code")
	v.Set("scope", e.Scope)
	v.Set("state", state)
	u.RawQuery = v.Encode()
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusFound)
	return nil
}

func (s *Server) callbackURL(name string) string {
	return s.cfg.ServerURL + "/signin/provider/" + name + "/callback"
}

// profile is what the emulator reads from a provider's userinfo.
type profile struct {
	ID, Email, Name, Picture, Locale string
	EmailVerified                    bool
}

func readProfile(m map[string]any) profile {
	str := func(keys ...string) string {
		for _, k := range keys {
			switch v := m[k].(type) {
			case string:
				if v != "" {
					return v
				}
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		return ""
	}
	p := profile{ID: str("sub", "id"), Email: str("email"), Name: str("name", "login", "username"),
		Picture: str("picture", "avatar_url"), Locale: str("locale")}
	switch v := m["email_verified"].(type) {
	case bool:
		p.EmailVerified = v
	case string:
		p.EmailVerified = v == "true"
	}
	return p
}

// callback is GET (query) and POST (form_post) /signin/provider/{provider}/callback.
func (s *Server) providerCallback(w http.ResponseWriter, r *http.Request, params map[string]string) error {
	if err := r.ParseForm(); err != nil {
		return errInvalidRequest
	}
	f := r.Form
	name := params["provider"]
	st, aerr := s.readState(f.Get("state"), name)
	if aerr != nil {
		redirect(w, s.cfg.ClientURL, url.Values{"provider_state": {f.Get("state")}, "error": {aerr.Code},
			"errorDescription": {aerr.Message}})
		return nil
	}
	if !s.redirectAllowed(st.Options.RedirectTo) {
		redirectError(w, s.cfg.ClientURL, errRedirectToNotAllowed)
		return nil
	}
	if f.Get("error") != "" {
		extra := url.Values{"provider_error": {f.Get("error")}, "provider_error_description": {f.Get("error_description")},
			"provider_error_url": {f.Get("error_uri")}, "error": {errProviderError.Code}, "errorDescription": {errProviderError.Message}}
		if st.State != "" {
			extra.Set("state", st.State)
		}
		redirect(w, s.cfg.ClientURL, extra)
		return nil
	}
	target := st.Options.RedirectTo
	back := url.Values{}
	if st.State != "" {
		back.Set("state", st.State)
	}
	fail := func(e *apiError) {
		back.Set("error", e.Code)
		back.Set("errorDescription", e.Message)
		redirect(w, target, back)
	}
	p := s.cfg.Providers[name]
	if p == nil {
		fail(errDisabledEndpoint)
		return nil
	}
	e, err := s.endpoints(r.Context(), name, p)
	if err != nil {
		s.log.Error("provider endpoints", "provider", name, "err", err)
		fail(errInternal)
		return nil
	}
	tok, err := s.providerToken(r.Context(), e, p, url.Values{"grant_type": {"authorization_code"}, "code": {f.Get("code")},
		"redirect_uri": {s.callbackURL(name)}})
	if err != nil {
		s.log.Warn("provider code exchange", "provider", name, "err", err)
		fail(errTokenExchangeFailed)
		return nil
	}
	var raw map[string]any
	if err := s.getJSON(r.Context(), e.Userinfo, tok.AccessToken, &raw); err != nil {
		s.log.Warn("provider profile", "provider", name, "err", err)
		fail(errProfileFetchFailed)
		return nil
	}
	prof := readProfile(raw)
	if prof.ID == "" {
		fail(errProfileFetchFailed)
		return nil
	}
	var userID string
	if st.Connect != "" {
		userID, aerr = s.connectProvider(r, st.Connect, name, prof.ID)
	} else {
		userID, aerr = s.providerUser(r, name, prof, &st.Options, st.Flow == "signup")
	}
	if aerr != nil {
		fail(aerr)
		return nil
	}
	if err := s.store.SetProviderTokens(r.Context(), name, prof.ID, tok.AccessToken, tok.RefreshToken, tok.expiresAt(s.now())); err != nil {
		return err
	}
	if st.Connect != "" || userID == "" {
		// Linked to the signed-in user, or signed up but not signed in yet
		// (email verification): back without credentials.
		redirect(w, target, back)
		return nil
	}
	return s.redirectSignedIn(w, r, userID, target, st.CodeChallenge, back)
}

// readState verifies a state token made by startProvider for provider.
func (s *Server) readState(state, provider string) (*providerState, *apiError) {
	claims, err := s.keys.parse(state)
	if err != nil {
		return nil, errInvalidState
	}
	if aud, _ := claims.GetAudience(); len(aud) != 1 || aud[0] != stateAudience {
		return nil, errInvalidState
	}
	raw, _ := json.Marshal(claims)
	var st providerState
	if json.Unmarshal(raw, &st) != nil || st.Provider != provider {
		return nil, errInvalidState
	}
	return &st, nil
}

// providerTokens is a provider's token answer.
type providerTokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	IDToken      string `json:"id_token"`
}

func (t *providerTokens) expiresAt(now time.Time) time.Time {
	return now.Add(time.Duration(t.ExpiresIn) * time.Second)
}

// providerToken calls the provider's token endpoint with form (plus the
// client's credentials).
func (s *Server) providerToken(ctx context.Context, e endpoints, p *ProviderConfig, form url.Values) (*providerTokens, error) {
	form.Set("client_id", p.ClientID)
	if p.ClientSecret != "" {
		form.Set("client_secret", p.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Token, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	var t providerTokens
	if err := s.doJSON(req, &t); err != nil {
		return nil, err
	}
	if t.AccessToken == "" {
		return nil, errors.New("no access token in the answer")
	}
	return &t, nil
}

// connectProvider links a provider account to the user of an access token.
func (s *Server) connectProvider(r *http.Request, token, provider, providerUserID string) (string, *apiError) {
	claims, err := s.keys.parse(token)
	if err != nil {
		return "", errInvalidRequest
	}
	c := readClaims(claims)
	u, err := s.store.UserByID(r.Context(), c.UserID)
	if err != nil {
		return "", errInvalidRequest
	}
	if err := s.store.LinkProvider(r.Context(), u.ID, provider, providerUserID); errors.Is(err, ErrConflict) {
		return "", errAlreadyLinked
	} else if err != nil {
		return "", errInternal
	}
	return u.ID, nil
}

// providerUser is the user a provider profile signs in: the linked one,
// else the one with that email (linked now if the provider vouches for the
// address), else a new one. An empty id without error means signed up but
// not signed in (verification or new users disabled).
func (s *Server) providerUser(r *http.Request, provider string, prof profile, o *core.SignUpOptions, signupIntent bool) (string, *apiError) {
	ctx := r.Context()
	var u *User
	linked := false
	if a, err := s.store.ProviderAccount(ctx, provider, prof.ID); err == nil {
		if u, err = s.store.UserByID(ctx, a.UserID); err != nil {
			return "", errInternal
		}
		linked = true
	} else if !errors.Is(err, ErrNotFound) {
		return "", errInternal
	} else if prof.Email != "" {
		if u, err = s.store.UserByEmail(ctx, prof.Email); err != nil && !errors.Is(err, ErrNotFound) {
			return "", errInternal
		}
	}
	if u != nil {
		switch {
		case signupIntent:
			return "", errUserAlreadyExists
		case u.Disabled:
			return "", errDisabledUser
		case !linked && !prof.EmailVerified:
			// The provider does not vouch for the address: linking would
			// hand the account to whoever typed it there.
			return "", errUnverifiedUser
		}
		if !linked {
			if err := s.store.LinkProvider(ctx, u.ID, provider, prof.ID); errors.Is(err, ErrConflict) {
				return "", errAlreadyLinked
			} else if err != nil {
				return "", errInternal
			}
		}
		return u.ID, nil
	}
	if !signupIntent && s.cfg.AutoSignupOff {
		return "", errInvalidEmailPassword
	}
	if s.cfg.SignupOff {
		return "", errSignupDisabled
	}
	if o.DisplayName == "" {
		o.DisplayName = or(prof.Name, prof.Email)
	}
	if o.Locale == "" {
		o.Locale = prof.Locale
	}
	defaultRole, roles, aerr := s.roles(o)
	if aerr != nil {
		return "", aerr
	}
	choice := &signUpChoice{opts: o, redirectTo: o.RedirectTo, defaultRole: defaultRole, roles: roles}
	u = s.newUser(choice, prof.Email, "", prof.ID)
	if prof.Picture != "" {
		u.AvatarURL = prof.Picture
	}
	u.EmailVerified = prof.EmailVerified
	if err := s.store.CreateUser(ctx, u); errors.Is(err, ErrConflict) {
		return "", errEmailInUse
	} else if err != nil {
		return "", errInternal
	}
	if err := s.store.LinkProvider(ctx, u.ID, provider, prof.ID); err != nil {
		return "", errInternal
	}
	needsVerification := prof.Email != "" && !prof.EmailVerified && s.cfg.VerifyEmail
	if needsVerification {
		if err := s.sendVerification(r, u, o.RedirectTo, ""); err != nil {
			return "", errInternal
		}
	}
	if needsVerification || u.Disabled {
		return "", nil
	}
	return u.ID, nil
}

// providerTokensOnce is GET /signin/provider/{provider}/callback/tokens:
// the provider's tokens from the last sign-in, for the signed-in user,
// handed over once.
func (s *Server) providerTokensOnce(w http.ResponseWriter, r *http.Request, params map[string]string) error {
	u, err := s.currentUser(r, false)
	if err != nil {
		return err
	}
	a, err := s.store.TakeProviderTokens(r.Context(), u.ID, params["provider"])
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	res := core.ProviderSession{}
	if a != nil && a.AccessToken != "" {
		res.AccessToken = a.AccessToken
		res.ExpiresIn = int64(a.ExpiresAt.Sub(s.now()) / time.Second)
		res.ExpiresAt = a.ExpiresAt.UTC().Format(time.RFC3339)
		if a.RefreshToken != "" {
			rt := a.RefreshToken
			res.RefreshToken = &rt
		}
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// refreshProviderToken is POST /token/provider/{provider}: a provider
// refresh token traded at the provider for new tokens.
func (s *Server) refreshProviderToken(w http.ResponseWriter, r *http.Request, params map[string]string) error {
	body, err := decode[core.RefreshProviderTokenRequest](r)
	if err != nil {
		return err
	}
	name := params["provider"]
	p := s.cfg.Providers[name]
	if p == nil {
		return errDisabledEndpoint
	}
	e, err := s.endpoints(r.Context(), name, p)
	if err != nil {
		s.log.Error("provider endpoints", "provider", name, "err", err)
		return errProviderError
	}
	tok, err := s.providerToken(r.Context(), e, p, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {body.RefreshToken}})
	if err != nil {
		s.log.Warn("provider refresh", "provider", name, "err", err)
		return errProviderError
	}
	res := core.ProviderSession{AccessToken: tok.AccessToken, ExpiresIn: tok.ExpiresIn,
		ExpiresAt: tok.expiresAt(s.now()).UTC().Format(time.RFC3339)}
	if tok.RefreshToken != "" {
		res.RefreshToken = &tok.RefreshToken
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

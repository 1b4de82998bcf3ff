package emulator

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Nhost as an OAuth2 / OpenID Connect provider (AUTH_OAUTH2_PROVIDER_*):
// discovery, the authorization-code flow through a login page, tokens,
// userinfo, revocation, introspection and client registration. With it one
// emulator is the identity provider of another, with real signed tokens.

const (
	oauth2RequestTTL = 10 * time.Minute // an authorization request waits this long for its login
	oauth2CodeTTL    = 5 * time.Minute  // an authorization code lives this long
)

// oauth2Err is the provider's error shape (RFC 6749 §5.2).
type oauth2Err struct {
	Code, Description string
}

func (e *oauth2Err) status() int {
	switch e.Code {
	case "invalid_client", "invalid_token":
		return http.StatusUnauthorized
	case "server_error":
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

func (e *oauth2Err) Error() string { return e.Code }

var errOAuth2Disabled = &oauth2Err{"server_error", "OAuth2 provider is disabled"}

// oauth2On is the error of a disabled provider, nil when it is on.
func (s *Server) oauth2On() error {
	if !s.cfg.OAuth2On {
		return errOAuth2Disabled
	}
	return nil
}

func (s *Server) oauth2Issuer() string {
	if s.cfg.OAuth2Issuer != "" {
		return s.cfg.OAuth2Issuer
	}
	return s.cfg.ServerURL
}

func (s *Server) discovery(w http.ResponseWriter, _ *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	base := s.cfg.ServerURL
	writeJSON(w, http.StatusOK, core.OAuth2DiscoveryResponse{
		Issuer:                            s.oauth2Issuer(),
		AuthorizationEndpoint:             base + "/oauth2/authorize",
		TokenEndpoint:                     base + "/oauth2/token",
		UserinfoEndpoint:                  base + "/oauth2/userinfo",
		JwksURI:                           base + "/oauth2/jwks",
		RevocationEndpoint:                base + "/oauth2/revoke",
		IntrospectionEndpoint:             base + "/oauth2/introspect",
		RegistrationEndpoint:              base + "/oauth2/register",
		ResponseTypesSupported:            []string{"code"},
		GrantTypesSupported:               []string{"authorization_code", "refresh_token"},
		ScopesSupported:                   []string{"openid", "profile", "email", "phone", "offline_access"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "none"},
		CodeChallengeMethodsSupported:     []string{"S256", "plain"},
	})
	return nil
}

func (s *Server) oauth2JWKS(w http.ResponseWriter, _ *http.Request, _ map[string]string) error {
	if !s.cfg.OAuth2On {
		writeJSON(w, http.StatusOK, map[string]any{"keys": nil})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{s.keys.jwk()}})
	return nil
}

// oauth2Authorize is GET and POST /oauth2/authorize: it checks the client,
// redirect URI, response type and scopes, stores the request and sends the
// browser to the login page with its id.
func (s *Server) oauth2Authorize(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &oauth2Err{"invalid_request", "Malformed request"}
	}
	p := r.Form
	client, err := s.store.OAuth2Client(r.Context(), p.Get("client_id"))
	if errors.Is(err, ErrNotFound) {
		return &oauth2Err{"invalid_client", "Unknown client"}
	} else if err != nil {
		return err
	}
	if !slices.Contains(client.RedirectURIs, p.Get("redirect_uri")) {
		return &oauth2Err{"invalid_request", "Invalid redirect_uri"}
	}
	if p.Get("response_type") != "code" {
		return &oauth2Err{"unsupported_response_type", "Only response_type=code is supported"}
	}
	scopes := []string{"openid"}
	if sc := p.Get("scope"); sc != "" {
		scopes = strings.Fields(sc)
	}
	for _, sc := range scopes {
		if !slices.Contains(client.Scopes, sc) {
			return &oauth2Err{"invalid_scope", `Scope "` + sc + `" not allowed for this client`}
		}
	}
	method := p.Get("code_challenge_method")
	if p.Get("code_challenge") != "" && method == "" {
		method = "plain"
	}
	q := &OAuth2Request{
		ID: newID(), ClientID: client.ID, RedirectURI: p.Get("redirect_uri"), Scopes: scopes,
		State: p.Get("state"), Nonce: p.Get("nonce"), Challenge: p.Get("code_challenge"), Method: method,
		Expires: s.now().Add(oauth2RequestTTL),
	}
	if err := s.store.CreateOAuth2Request(r.Context(), q); err != nil {
		return err
	}
	redirect(w, s.oauth2LoginURL(), url.Values{"request_id": {q.ID}})
	return nil
}

// oauth2LoginURL is the login/consent page; "builtin" is the emulator's own.
func (s *Server) oauth2LoginURL() string {
	switch s.cfg.OAuth2LoginURL {
	case "builtin":
		return s.cfg.ServerURL + "/emulator/oauth2/login"
	case "":
		return strings.TrimSuffix(s.cfg.ClientURL, "/") + "/oauth2/login"
	}
	return s.cfg.OAuth2LoginURL
}

// pendingRequest loads an authorization request that can still be completed.
func (s *Server) pendingRequest(r *http.Request, id string) (*OAuth2Request, *OAuth2Client, *oauth2Err) {
	q, err := s.store.OAuth2Request(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, &oauth2Err{"invalid_request", "Unknown authorization request"}
	} else if err != nil {
		return nil, nil, &oauth2Err{"server_error", "Internal server error"}
	}
	if q.Expires.Before(s.now()) {
		return nil, nil, &oauth2Err{"invalid_request", "Authorization request expired"}
	}
	c, err := s.store.OAuth2Client(r.Context(), q.ClientID)
	if err != nil {
		return nil, nil, &oauth2Err{"server_error", "Internal server error"}
	}
	return q, c, nil
}

// loginErr is the login endpoints' error: the API's shape with any status.
type loginErr struct{ apiError }

func loginError(status int, code core.ErrorCode, msg string) error {
	return &loginErr{apiError{Code: string(code), Message: msg, Status: status}}
}

// oauth2LoginGet is GET /oauth2/login: what the consent screen shows.
func (s *Server) oauth2LoginGet(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if !s.cfg.OAuth2On {
		return loginError(http.StatusBadRequest, core.ErrDisabledEndpoint, "OAuth2 provider is disabled")
	}
	q, c, oerr := s.pendingRequest(r, r.URL.Query().Get("request_id"))
	if oerr != nil {
		return loginError(http.StatusBadRequest, core.ErrInvalidRequest, oerr.Description)
	}
	writeJSON(w, http.StatusOK, core.OAuth2LoginResponse{RequestID: q.ID, ClientID: c.ID, ClientName: c.Name,
		Scopes: q.Scopes, RedirectURI: q.RedirectURI})
	return nil
}

// oauth2LoginPost is POST /oauth2/login: the signed-in user (Bearer)
// approves the request; the answer is where the browser goes next.
func (s *Server) oauth2LoginPost(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if !s.cfg.OAuth2On {
		return loginError(http.StatusBadRequest, core.ErrDisabledEndpoint, "OAuth2 provider is disabled")
	}
	body, err := decode[core.OAuth2LoginRequest](r)
	if err != nil {
		return err
	}
	c := caller(r)
	if c == nil {
		return loginError(http.StatusUnauthorized, core.ErrInvalidRequest, "Authentication required")
	}
	next, oerr := s.completeLogin(r, body.RequestID, c.UserID)
	if oerr != nil {
		return loginError(http.StatusBadRequest, core.ErrInvalidRequest, oerr.Description)
	}
	writeJSON(w, http.StatusOK, core.OAuth2LoginCompleteResponse{RedirectURI: next})
	return nil
}

// completeLogin gives a pending request its user and a code, and returns
// the client's redirect URI with them.
func (s *Server) completeLogin(r *http.Request, requestID, userID string) (string, *oauth2Err) {
	q, _, oerr := s.pendingRequest(r, requestID)
	if oerr != nil {
		return "", oerr
	}
	code := newID()
	err := s.store.CompleteOAuth2Request(r.Context(), q.ID, userID, code, s.now().Add(oauth2CodeTTL))
	if errors.Is(err, ErrConflict) {
		return "", &oauth2Err{"invalid_request", "Authorization request already completed"}
	} else if err != nil {
		return "", &oauth2Err{"server_error", "Internal server error"}
	}
	u, err := url.Parse(q.RedirectURI)
	if err != nil {
		return "", &oauth2Err{"server_error", "Internal server error"}
	}
	v := u.Query()
	v.Set("code", code)
	if q.State != "" {
		v.Set("state", q.State)
	}
	u.RawQuery = v.Encode()
	return u.String(), nil
}

// oauth2Token is POST /oauth2/token (form): authorization_code and refresh_token grants.
func (s *Server) oauth2Token(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &oauth2Err{"invalid_request", "Missing request body"}
	}
	f := r.PostForm
	id, secret := f.Get("client_id"), f.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok {
		if id == "" {
			id = bid
		}
		if secret == "" {
			secret = bsecret
		}
	}
	var res *core.OAuth2TokenResponse
	var oerr *oauth2Err
	switch f.Get("grant_type") {
	case "authorization_code":
		res, oerr = s.exchangeOAuth2Code(r, f, id, secret)
	case "refresh_token":
		res, oerr = s.refreshOAuth2(r, f.Get("refresh_token"), id, secret)
	default:
		oerr = &oauth2Err{"unsupported_grant_type", "Unsupported grant_type"}
	}
	if oerr != nil {
		return oerr
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) exchangeOAuth2Code(r *http.Request, f url.Values, id, secret string) (*core.OAuth2TokenResponse, *oauth2Err) {
	if f.Get("code") == "" {
		return nil, &oauth2Err{"invalid_request", "Missing code"}
	}
	q, err := s.store.TakeOAuth2Code(r.Context(), f.Get("code"))
	if errors.Is(err, ErrNotFound) {
		return nil, &oauth2Err{"invalid_grant", "Invalid authorization code"}
	} else if err != nil {
		return nil, &oauth2Err{"server_error", "Internal server error"}
	}
	if ru := f.Get("redirect_uri"); ru != "" && ru != q.RedirectURI {
		return nil, &oauth2Err{"invalid_grant", "redirect_uri mismatch"}
	}
	if q.Challenge != "" {
		v := f.Get("code_verifier")
		switch {
		case v == "":
			return nil, &oauth2Err{"invalid_grant", "Missing code_verifier"}
		case q.Method == "S256" && subtle.ConstantTimeCompare([]byte(s256(v)), []byte(q.Challenge)) != 1,
			q.Method == "plain" && subtle.ConstantTimeCompare([]byte(v), []byte(q.Challenge)) != 1:
			return nil, &oauth2Err{"invalid_grant", "Invalid code_verifier"}
		case q.Method != "S256" && q.Method != "plain":
			return nil, &oauth2Err{"invalid_request", "Unsupported code_challenge_method"}
		}
	}
	if oerr := s.authenticateClient(r, q.ClientID, id, secret); oerr != nil {
		return nil, oerr
	}
	return s.issueOAuth2(r, q.ClientID, q.UserID, q.Scopes, q.Nonce)
}

func (s *Server) refreshOAuth2(r *http.Request, token, id, secret string) (*core.OAuth2TokenResponse, *oauth2Err) {
	if token == "" {
		return nil, &oauth2Err{"invalid_request", "Missing refresh_token"}
	}
	rt, err := s.store.OAuth2Refresh(r.Context(), token)
	if errors.Is(err, ErrNotFound) {
		return nil, &oauth2Err{"invalid_grant", "Invalid refresh token"}
	} else if err != nil {
		return nil, &oauth2Err{"server_error", "Internal server error"}
	}
	if oerr := s.authenticateClient(r, rt.ClientID, id, secret); oerr != nil {
		return nil, oerr
	}
	// Rotation: the old token is gone once the client has proven itself.
	if err := s.store.DeleteOAuth2Refresh(r.Context(), token); err != nil {
		return nil, &oauth2Err{"server_error", "Internal server error"}
	}
	return s.issueOAuth2(r, rt.ClientID, rt.UserID, rt.Scopes, "")
}

// authenticateClient checks the client a grant belongs to: a public client
// needs nothing, a confidential one its secret (form or Basic).
func (s *Server) authenticateClient(r *http.Request, want, id, secret string) *oauth2Err {
	if id != "" && id != want {
		return &oauth2Err{"invalid_client", "Client ID mismatch"}
	}
	c, err := s.store.OAuth2Client(r.Context(), want)
	if err != nil {
		return &oauth2Err{"invalid_client", "Unknown client"}
	}
	if c.SecretHash == "" {
		return nil
	}
	if secret == "" {
		return &oauth2Err{"invalid_client", "Client secret required"}
	}
	if bcrypt.CompareHashAndPassword([]byte(c.SecretHash), []byte(secret)) != nil {
		return &oauth2Err{"invalid_client", "Invalid client credentials"}
	}
	return nil
}

// issueOAuth2 mints an access token, a refresh token and, for openid, an
// ID token signed with the server's key (published at /oauth2/jwks).
func (s *Server) issueOAuth2(r *http.Request, clientID, userID string, scopes []string, nonce string) (*core.OAuth2TokenResponse, *oauth2Err) {
	u, err := s.store.UserByID(r.Context(), userID)
	if err != nil {
		return nil, &oauth2Err{"server_error", "Internal server error"}
	}
	if u.Disabled {
		return nil, &oauth2Err{"invalid_grant", "User is disabled"}
	}
	now := s.now()
	ttl := s.cfg.OAuth2AccessTTL
	roles := u.Roles
	if !slices.Contains(roles, u.DefaultRole) {
		roles = append(roles, u.DefaultRole)
	}
	access, err := s.keys.sign(jwt.MapClaims{
		"iss": s.oauth2Issuer(), "sub": u.ID, "iat": now.Unix(), "exp": now.Add(ttl).Unix(),
		"scope": strings.Join(scopes, " "),
		HasuraClaims: map[string]any{
			"x-hasura-allowed-roles": roles, "x-hasura-default-role": u.DefaultRole, "x-hasura-user-id": u.ID,
		},
	})
	if err != nil {
		return nil, &oauth2Err{"server_error", "Internal server error"}
	}
	refresh := newID()
	if err := s.store.CreateOAuth2Refresh(r.Context(), refresh, &OAuth2Refresh{ClientID: clientID, UserID: u.ID,
		Scopes: scopes, Expires: now.Add(s.cfg.OAuth2RefreshTTL)}); err != nil {
		return nil, &oauth2Err{"server_error", "Internal server error"}
	}
	res := &core.OAuth2TokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int64(ttl / time.Second),
		RefreshToken: refresh, Scope: strings.Join(scopes, " ")}
	if slices.Contains(scopes, "openid") {
		claims := jwt.MapClaims{"iss": s.oauth2Issuer(), "sub": u.ID, "aud": clientID, "iat": now.Unix(),
			"exp": now.Add(ttl).Unix(), "auth_time": now.Unix()}
		if nonce != "" {
			claims["nonce"] = nonce
		}
		for k, v := range scopedClaims(u, scopes) {
			claims[k] = v
		}
		if res.IDToken, err = s.keys.sign(claims); err != nil {
			return nil, &oauth2Err{"server_error", "Internal server error"}
		}
	}
	return res, nil
}

// scopedClaims are the user's claims that scopes grant (ID token, userinfo).
func scopedClaims(u *User, scopes []string) map[string]any {
	c := map[string]any{}
	if slices.Contains(scopes, "profile") {
		if u.DisplayName != "" {
			c["name"] = u.DisplayName
		}
		if u.AvatarURL != "" {
			c["picture"] = u.AvatarURL
		}
		if u.Locale != "" {
			c["locale"] = u.Locale
		}
	}
	if slices.Contains(scopes, "email") && u.Email != "" {
		c["email"], c["email_verified"] = u.Email, u.EmailVerified
	}
	if slices.Contains(scopes, "phone") && u.PhoneNumber != "" {
		c["phone_number"], c["phone_number_verified"] = u.PhoneNumber, u.PhoneNumberVerified
	}
	return c
}

// oauth2Userinfo is GET and POST /oauth2/userinfo with the access token.
func (s *Server) oauth2Userinfo(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	c := caller(r)
	if c == nil {
		return &oauth2Err{"invalid_token", "Invalid access token"}
	}
	u, err := s.store.UserByID(r.Context(), c.UserID)
	if errors.Is(err, ErrNotFound) {
		return &oauth2Err{"invalid_token", "User not found"}
	} else if err != nil {
		return err
	}
	res := core.OAuth2UserinfoResponse{Sub: u.ID, Name: u.DisplayName, Picture: u.AvatarURL, Locale: u.Locale}
	if u.Email != "" {
		res.Email, res.EmailVerified = u.Email, &u.EmailVerified
	}
	if u.PhoneNumber != "" {
		res.PhoneNumber, res.PhoneNumberVerified = u.PhoneNumber, &u.PhoneNumberVerified
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// oauth2Revoke is POST /oauth2/revoke (RFC 7009): always 200.
func (s *Server) oauth2Revoke(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	if err := r.ParseForm(); err == nil && r.PostForm.Get("token") != "" {
		if err := s.store.DeleteOAuth2Refresh(r.Context(), r.PostForm.Get("token")); err != nil {
			s.log.Error("revoking an OAuth2 token", "err", err)
		}
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// oauth2Introspect is POST /oauth2/introspect (RFC 7662).
func (s *Server) oauth2Introspect(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	inactive := core.OAuth2IntrospectResponse{}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusOK, inactive)
		return nil
	}
	token, hint := r.PostForm.Get("token"), r.PostForm.Get("token_type_hint")
	if hint == "" || hint == "refresh_token" {
		if rt, err := s.store.OAuth2Refresh(r.Context(), token); err == nil {
			writeJSON(w, http.StatusOK, core.OAuth2IntrospectResponse{Active: true, ClientID: rt.ClientID, Sub: rt.UserID,
				Scope: strings.Join(rt.Scopes, " "), Exp: rt.Expires.Unix(), Iat: rt.Created.Unix(), TokenType: "refresh_token"})
			return nil
		}
		if hint == "refresh_token" {
			writeJSON(w, http.StatusOK, inactive)
			return nil
		}
	}
	claims, err := s.keys.parse(token)
	if iss, _ := claims["iss"].(string); err != nil || iss != s.oauth2Issuer() {
		writeJSON(w, http.StatusOK, inactive)
		return nil
	}
	num := func(k string) int64 { f, _ := claims[k].(float64); return int64(f) }
	sub, _ := claims["sub"].(string)
	writeJSON(w, http.StatusOK, core.OAuth2IntrospectResponse{Active: true, Sub: sub, Exp: num("exp"), Iat: num("iat"),
		Iss: s.oauth2Issuer(), TokenType: "access_token"})
	return nil
}

// oauth2RegisterRequest is the body of POST /oauth2/register (RFC 7591).
type oauth2RegisterRequest struct {
	ClientName              string   `json:"client_name"`
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
}

type oauth2RegisterResponse struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt   *int     `json:"client_secret_expires_at,omitempty"`
	ClientName              string   `json:"client_name"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	Scope                   string   `json:"scope"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
}

// oauth2Register is POST /oauth2/register with a Bearer token: a new
// client; confidential ones get a secret, shown once.
func (s *Server) oauth2Register(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if err := s.oauth2On(); err != nil {
		return err
	}
	body, err := decode[oauth2RegisterRequest](r)
	if err != nil {
		return err
	}
	if len(body.RedirectURIs) == 0 {
		return &oauth2Err{"invalid_client_metadata", "At least one redirect_uri is required"}
	}
	res := oauth2RegisterResponse{ClientName: body.ClientName, ClientURI: body.ClientURI, LogoURI: body.LogoURI,
		RedirectURIs: body.RedirectURIs, GrantTypes: body.GrantTypes, ResponseTypes: body.ResponseTypes,
		Scope: body.Scope, TokenEndpointAuthMethod: body.TokenEndpointAuthMethod}
	if res.GrantTypes == nil {
		res.GrantTypes = []string{"authorization_code"}
	}
	if res.ResponseTypes == nil {
		res.ResponseTypes = []string{"code"}
	}
	if res.Scope == "" {
		res.Scope = "openid profile email"
	}
	if res.TokenEndpointAuthMethod == "" {
		res.TokenEndpointAuthMethod = "client_secret_post"
	}
	res.ClientID = newID()
	c := &OAuth2Client{ID: res.ClientID, Name: body.ClientName, RedirectURIs: body.RedirectURIs, Scopes: strings.Fields(res.Scope)}
	if res.TokenEndpointAuthMethod != "none" {
		res.ClientSecret = newID() + newID()
		zero := 0
		res.ClientSecretExpiresAt = &zero
		hash, err := bcrypt.GenerateFromPassword([]byte(res.ClientSecret), s.cfg.BcryptCost)
		if err != nil {
			return err
		}
		c.SecretHash = string(hash)
	}
	if err := s.store.CreateOAuth2Client(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, res)
	return nil
}

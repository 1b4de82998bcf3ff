package core

//go:generate go run ../tools/gencodec -out types_codec.go types.go

// The wire types of the seed, one Go struct per interface, with the JSON
// names used on the wire. Tag rules (read by tools/gencodec):
//   - `json:"name"`: always written; a nil pointer, slice or map is null.
//   - `json:"name,omitempty"`: left out when zero ("" / false / 0 / nil).
// Unknown keys in responses are skipped; null reads as the zero value.

// AuthenticationExtensionsClientOutputs is the map of extension outputs from the client.
type AuthenticationExtensionsClientOutputs struct {
	Appid            *bool                       `json:"appid,omitempty"`
	CredProps        *CredentialPropertiesOutput `json:"credProps,omitempty"`
	HmacCreateSecret *bool                       `json:"hmacCreateSecret,omitempty"`
}

// AuthenticatorAssertionResponse is a WebAuthn assertion, base64url fields.
type AuthenticatorAssertionResponse struct {
	AuthenticatorData string  `json:"authenticatorData"`
	ClientDataJSON    string  `json:"clientDataJSON"`
	Signature         string  `json:"signature"`
	UserHandle        *string `json:"userHandle,omitempty"`
}

// AuthenticatorAttestationResponse is a WebAuthn attestation, base64url fields.
type AuthenticatorAttestationResponse struct {
	AttestationObject  string   `json:"attestationObject"`
	AuthenticatorData  string   `json:"authenticatorData,omitempty"`
	ClientDataJSON     string   `json:"clientDataJSON"`
	PublicKey          string   `json:"publicKey,omitempty"`
	PublicKeyAlgorithm *int64   `json:"publicKeyAlgorithm,omitempty"`
	Transports         []string `json:"transports,omitempty"`
}

// AuthenticatorSelection states what kind of authenticator the server wants.
type AuthenticatorSelection struct {
	AuthenticatorAttachment AuthenticatorAttachment     `json:"authenticatorAttachment,omitempty"`
	RequireResidentKey      *bool                       `json:"requireResidentKey,omitempty"`
	ResidentKey             ResidentKeyRequirement      `json:"residentKey,omitempty"`
	UserVerification        UserVerificationRequirement `json:"userVerification,omitempty"`
}

// CreatePATRequest creates a personal access token.
type CreatePATRequest struct {
	ExpiresAt string         `json:"expiresAt"` // RFC 3339 date-time
	Metadata  map[string]any `json:"metadata,omitempty"`
}

// CreatePATResponse is a new personal access token.
type CreatePATResponse struct {
	ID                  string `json:"id"`
	PersonalAccessToken string `json:"personalAccessToken"`
}

// CredentialAssertionResponse is a WebAuthn credential returned by navigator.credentials.get.
type CredentialAssertionResponse struct {
	AuthenticatorAttachment string                                 `json:"authenticatorAttachment,omitempty"`
	ClientExtensionResults  *AuthenticationExtensionsClientOutputs `json:"clientExtensionResults,omitempty"`
	ID                      string                                 `json:"id"`
	RawID                   string                                 `json:"rawId"`
	Response                AuthenticatorAssertionResponse         `json:"response"`
	Type                    string                                 `json:"type"`
}

// CredentialCreationResponse is a WebAuthn credential returned by navigator.credentials.create.
type CredentialCreationResponse struct {
	AuthenticatorAttachment string                                 `json:"authenticatorAttachment,omitempty"`
	ClientExtensionResults  *AuthenticationExtensionsClientOutputs `json:"clientExtensionResults,omitempty"`
	ID                      string                                 `json:"id"`
	RawID                   string                                 `json:"rawId"`
	Response                AuthenticatorAttestationResponse       `json:"response"`
	Type                    string                                 `json:"type"`
}

// CredentialParameter is one acceptable credential algorithm.
type CredentialParameter struct {
	Alg  int64          `json:"alg"`
	Type CredentialType `json:"type"`
}

// CredentialPropertiesOutput is the credProps extension output.
type CredentialPropertiesOutput struct {
	Rk *bool `json:"rk,omitempty"`
}

// ErrorResponse is the server's standard error body.
type ErrorResponse struct {
	Error   ErrorCode `json:"error"`
	Message string    `json:"message"`
	Status  int64     `json:"status"`
}

// GetVersionResponse200 is the body of GET /version.
type GetVersionResponse200 struct {
	Version string `json:"version"`
}

// JWK is one JSON Web Key.
type JWK struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// JWKSet is the server's JSON Web Key Set.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// LinkIdTokenRequest links a provider account to the signed-in user.
type LinkIdTokenRequest struct {
	IDToken  string          `json:"idToken"`
	Nonce    string          `json:"nonce,omitempty"`
	Provider IdTokenProvider `json:"provider"`
}

// MFAChallengePayload carries the ticket that completes an MFA sign-in.
type MFAChallengePayload struct {
	Ticket string `json:"ticket"`
}

// OptionsRedirectTo holds the redirect target of an emailed link.
type OptionsRedirectTo struct {
	RedirectTo string `json:"redirectTo,omitempty"`
}

// ProviderSession holds an OAuth2 provider's tokens.
type ProviderSession struct {
	AccessToken  string  `json:"accessToken"`
	ExpiresAt    string  `json:"expiresAt"`
	ExpiresIn    int64   `json:"expiresIn"`
	RefreshToken *string `json:"refreshToken,omitempty"`
}

// ProviderSpecificParams are provider options (WorkOS).
type ProviderSpecificParams struct {
	Connection   string `json:"connection,omitempty"`
	Organization string `json:"organization,omitempty"`
}

// PublicKeyCredentialCreationOptions are WebAuthn registration options (JSON form).
type PublicKeyCredentialCreationOptions struct {
	Attestation            ConveyancePreference            `json:"attestation,omitempty"`
	AttestationFormats     []AttestationFormat             `json:"attestationFormats,omitempty"`
	AuthenticatorSelection *AuthenticatorSelection         `json:"authenticatorSelection,omitempty"`
	Challenge              string                          `json:"challenge"`
	ExcludeCredentials     []PublicKeyCredentialDescriptor `json:"excludeCredentials,omitempty"`
	Extensions             map[string]any                  `json:"extensions,omitempty"`
	Hints                  []PublicKeyCredentialHints      `json:"hints,omitempty"`
	PubKeyCredParams       []CredentialParameter           `json:"pubKeyCredParams"`
	Rp                     RelyingPartyEntity              `json:"rp"`
	Timeout                int64                           `json:"timeout,omitempty"`
	User                   UserEntity                      `json:"user"`
}

// PublicKeyCredentialDescriptor identifies one credential.
type PublicKeyCredentialDescriptor struct {
	ID         string                   `json:"id"`
	Transports []AuthenticatorTransport `json:"transports,omitempty"`
	Type       CredentialType           `json:"type"`
}

// PublicKeyCredentialRequestOptions are WebAuthn authentication options (JSON form).
type PublicKeyCredentialRequestOptions struct {
	AllowCredentials []PublicKeyCredentialDescriptor `json:"allowCredentials,omitempty"`
	Challenge        string                          `json:"challenge"`
	Extensions       map[string]any                  `json:"extensions,omitempty"`
	Hints            []PublicKeyCredentialHints      `json:"hints,omitempty"`
	RpID             string                          `json:"rpId,omitempty"`
	Timeout          int64                           `json:"timeout,omitempty"`
	UserVerification UserVerificationRequirement     `json:"userVerification,omitempty"`
}

// RefreshProviderTokenRequest refreshes an OAuth2 provider token.
type RefreshProviderTokenRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// RefreshTokenRequest exchanges a refresh token for a new session.
type RefreshTokenRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// RelyingPartyEntity identifies the WebAuthn relying party.
type RelyingPartyEntity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Session is a signed-in user's tokens and profile.
type Session struct {
	AccessToken          string `json:"accessToken"`
	AccessTokenExpiresIn int64  `json:"accessTokenExpiresIn"`
	RefreshToken         string `json:"refreshToken"`
	RefreshTokenID       string `json:"refreshTokenId"`
	User                 *User  `json:"user,omitempty"`
}

// SessionPayload wraps an optional session.
type SessionPayload struct {
	Session *Session `json:"session,omitempty"`
}

// SignInAnonymousRequest signs in as a new anonymous user.
type SignInAnonymousRequest struct {
	DisplayName string         `json:"displayName,omitempty"`
	Locale      string         `json:"locale,omitempty"`
	Metadata    map[string]any `json:"metadata,omitempty"`
}

// SignInEmailPasswordRequest signs in with email and password.
type SignInEmailPasswordRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// SignInEmailPasswordResponse holds a session or an MFA challenge.
type SignInEmailPasswordResponse struct {
	Mfa     *MFAChallengePayload `json:"mfa,omitempty"`
	Session *Session             `json:"session,omitempty"`
}

// SignInIdTokenRequest signs in with a provider's ID token.
type SignInIdTokenRequest struct {
	IDToken  string          `json:"idToken"`
	Nonce    string          `json:"nonce,omitempty"`
	Options  *SignUpOptions  `json:"options,omitempty"`
	Provider IdTokenProvider `json:"provider"`
}

// SignInMfaTotpRequest completes an MFA sign-in with a TOTP code.
type SignInMfaTotpRequest struct {
	Otp    string `json:"otp"`
	Ticket string `json:"ticket"`
}

// SignInOTPEmailRequest sends a one-time password by email.
type SignInOTPEmailRequest struct {
	Email   string         `json:"email"`
	Options *SignUpOptions `json:"options,omitempty"`
}

// SignInOTPEmailVerifyRequest completes an email OTP sign-in.
type SignInOTPEmailVerifyRequest struct {
	Email string `json:"email"`
	Otp   string `json:"otp"`
}

// SignInOTPEmailVerifyResponse holds the session of an email OTP sign-in.
type SignInOTPEmailVerifyResponse struct {
	Session *Session `json:"session,omitempty"`
}

// SignInPasswordlessEmailRequest sends a magic link.
type SignInPasswordlessEmailRequest struct {
	CodeChallenge string         `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	Email         string         `json:"email"`
	Options       *SignUpOptions `json:"options,omitempty"`
}

// SignInPasswordlessSmsOtpRequest completes an SMS sign-in.
type SignInPasswordlessSmsOtpRequest struct {
	Otp         string `json:"otp"`
	PhoneNumber string `json:"phoneNumber"`
}

// SignInPasswordlessSmsOtpResponse holds a session or an MFA challenge.
type SignInPasswordlessSmsOtpResponse struct {
	Mfa     *MFAChallengePayload `json:"mfa,omitempty"`
	Session *Session             `json:"session,omitempty"`
}

// SignInPasswordlessSmsRequest sends a one-time password by SMS.
type SignInPasswordlessSmsRequest struct {
	Options     *SignUpOptions `json:"options,omitempty"`
	PhoneNumber string         `json:"phoneNumber"`
}

// SignInPATRequest signs in with a personal access token.
type SignInPATRequest struct {
	PersonalAccessToken string `json:"personalAccessToken"`
}

// SignInProviderParams are the query parameters of SignInProviderURL.
type SignInProviderParams struct {
	CodeChallenge          string                  `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	AllowedRoles           []string                `json:"allowedRoles,omitempty"`
	Connect                string                  `json:"connect,omitempty"`
	DefaultRole            string                  `json:"defaultRole,omitempty"`
	DisplayName            string                  `json:"displayName,omitempty"`
	Locale                 string                  `json:"locale,omitempty"`
	Metadata               map[string]any          `json:"metadata,omitempty"`
	ProviderSpecificParams *ProviderSpecificParams `json:"providerSpecificParams,omitempty"`
	RedirectTo             string                  `json:"redirectTo,omitempty"`
	State                  string                  `json:"state,omitempty"`
}

// SignInWebauthnRequest starts a WebAuthn sign-in.
type SignInWebauthnRequest struct {
	Email string `json:"email,omitempty"`
}

// SignInWebauthnVerifyRequest completes a WebAuthn sign-in or elevation.
type SignInWebauthnVerifyRequest struct {
	Credential CredentialAssertionResponse `json:"credential"`
	Email      string                      `json:"email,omitempty"` // deprecated, no longer used
}

// SignOutRequest ends one session, or all of the user's with All and a bearer token.
type SignOutRequest struct {
	All          bool   `json:"all,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// SignUpEmailPasswordRequest registers a user with email and password.
type SignUpEmailPasswordRequest struct {
	CodeChallenge string         `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	Email         string         `json:"email"`
	Options       *SignUpOptions `json:"options,omitempty"`
	Password      string         `json:"password"`
}

// SignUpOptions are the profile options of a new user.
type SignUpOptions struct {
	AllowedRoles []string       `json:"allowedRoles,omitempty"`
	DefaultRole  string         `json:"defaultRole,omitempty"`
	DisplayName  string         `json:"displayName,omitempty"`
	Locale       string         `json:"locale,omitempty"`
	Metadata     map[string]any `json:"metadata,omitempty"`
	RedirectTo   string         `json:"redirectTo,omitempty"`
}

// SignUpWebauthnRequest starts a WebAuthn sign-up.
type SignUpWebauthnRequest struct {
	Email   string         `json:"email"`
	Options *SignUpOptions `json:"options,omitempty"`
}

// SignUpWebauthnVerifyRequest completes a WebAuthn sign-up.
type SignUpWebauthnVerifyRequest struct {
	CodeChallenge string                     `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	Credential    CredentialCreationResponse `json:"credential"`
	Nickname      string                     `json:"nickname,omitempty"`
	Options       *SignUpOptions             `json:"options,omitempty"`
}

// TotpGenerateResponse holds a new TOTP secret and its QR code.
type TotpGenerateResponse struct {
	ImageURL   string `json:"imageUrl"`
	TotpSecret string `json:"totpSecret"`
}

// User is a user's profile.
type User struct {
	ActiveMfaType       *string        `json:"activeMfaType" ts:"optional"` // the server sends null; typed as nhost-js types it
	AvatarURL           string         `json:"avatarUrl"`
	CreatedAt           string         `json:"createdAt"`
	DefaultRole         string         `json:"defaultRole"`
	DisplayName         string         `json:"displayName"`
	Email               string         `json:"email,omitempty"`
	EmailVerified       bool           `json:"emailVerified"`
	ID                  string         `json:"id"`
	IsAnonymous         bool           `json:"isAnonymous"`
	Locale              string         `json:"locale"`
	Metadata            map[string]any `json:"metadata"`
	PhoneNumber         string         `json:"phoneNumber,omitempty"`
	PhoneNumberVerified bool           `json:"phoneNumberVerified"`
	Roles               []string       `json:"roles"`
}

// UserDeanonymizeRequest turns an anonymous user into a regular one.
type UserDeanonymizeRequest struct {
	CodeChallenge string                             `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	Connection    string                             `json:"connection,omitempty"`    // deprecated, ignored
	Email         string                             `json:"email"`
	Options       *SignUpOptions                     `json:"options,omitempty"`
	Password      string                             `json:"password,omitempty"`
	SignInMethod  UserDeanonymizeRequestSignInMethod `json:"signInMethod"`
}

// UserEmailChangeRequest asks to change the signed-in user's email.
type UserEmailChangeRequest struct {
	CodeChallenge string             `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	NewEmail      string             `json:"newEmail"`
	Options       *OptionsRedirectTo `json:"options,omitempty"`
}

// UserEmailSendVerificationEmailRequest sends a verification email.
type UserEmailSendVerificationEmailRequest struct {
	CodeChallenge string             `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	Email         string             `json:"email"`
	Options       *OptionsRedirectTo `json:"options,omitempty"`
}

// UserEntity is the WebAuthn user entity.
type UserEntity struct {
	DisplayName string `json:"displayName"`
	ID          string `json:"id"`
	Name        string `json:"name"`
}

// UserMfaRequest activates (ActiveMfaType "totp") or deactivates ("") MFA.
// ActiveMfaType is a pointer because "" is meaningful.
type UserMfaRequest struct {
	ActiveMfaType *UserMfaRequestActiveMfaType `json:"activeMfaType,omitempty"`
	Code          string                       `json:"code"`
}

// UserPasswordRequest changes the password, with a bearer token or a reset ticket.
type UserPasswordRequest struct {
	NewPassword string `json:"newPassword"`
	Ticket      string `json:"ticket,omitempty"`
}

// UserPasswordResetRequest sends a password reset email.
type UserPasswordResetRequest struct {
	CodeChallenge string             `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	Email         string             `json:"email"`
	Options       *OptionsRedirectTo `json:"options,omitempty"`
}

// VerifyAddSecurityKeyRequest completes adding a security key.
type VerifyAddSecurityKeyRequest struct {
	Credential CredentialCreationResponse `json:"credential"`
	Nickname   string                     `json:"nickname,omitempty"`
}

// VerifyAddSecurityKeyResponse is the new security key.
type VerifyAddSecurityKeyResponse struct {
	ID       string `json:"id"`
	Nickname string `json:"nickname,omitempty"`
}

// VerifyTicketParams are the query parameters of VerifyTicketURL.
type VerifyTicketParams struct {
	CodeChallenge string          `json:"codeChallenge,omitempty"` // PKCE S256 challenge: the redirect then carries a code, not a refresh token
	RedirectTo    string          `json:"redirectTo"`
	Ticket        string          `json:"ticket"`
	Type          TicketTypeQuery `json:"type,omitempty"` // deprecated, ignored by the server
}

// VerifyTokenRequest checks a JWT; without Token the Authorization header is checked.
type VerifyTokenRequest struct {
	Token string `json:"token,omitempty"`
}

// SignUpPasswordlessEmailRequest registers a user and sends a magic link.
type SignUpPasswordlessEmailRequest struct {
	CodeChallenge string         `json:"codeChallenge,omitempty"`
	Email         string         `json:"email"`
	Options       *SignUpOptions `json:"options,omitempty"`
}

// SignUpOTPEmailRequest registers a user and sends a one-time password by email.
type SignUpOTPEmailRequest struct {
	Email   string         `json:"email"`
	Options *SignUpOptions `json:"options,omitempty"`
}

// SignUpPasswordlessSmsRequest registers a user and sends a one-time password by SMS.
type SignUpPasswordlessSmsRequest struct {
	Options     *SignUpOptions `json:"options,omitempty"`
	PhoneNumber string         `json:"phoneNumber"`
}

// SignUpIdTokenRequest registers a user with a provider's ID token.
type SignUpIdTokenRequest struct {
	IDToken  string          `json:"idToken"`
	Nonce    string          `json:"nonce,omitempty"`
	Options  *SignUpOptions  `json:"options,omitempty"`
	Provider IdTokenProvider `json:"provider"`
}

// SignUpProviderParams are the query parameters of SignUpProviderURL.
type SignUpProviderParams struct {
	AllowedRoles           []string                `json:"allowedRoles,omitempty"`
	CodeChallenge          string                  `json:"codeChallenge,omitempty"`
	DefaultRole            string                  `json:"defaultRole,omitempty"`
	DisplayName            string                  `json:"displayName,omitempty"`
	Locale                 string                  `json:"locale,omitempty"`
	Metadata               map[string]any          `json:"metadata,omitempty"`
	ProviderSpecificParams *ProviderSpecificParams `json:"providerSpecificParams,omitempty"`
	RedirectTo             string                  `json:"redirectTo,omitempty"`
	State                  string                  `json:"state,omitempty"`
}

// TokenExchangeRequest trades a PKCE authorization code and its verifier for a session.
type TokenExchangeRequest struct {
	Code         string `json:"code"`
	CodeVerifier string `json:"codeVerifier"` // 43 to 128 characters
}

// OAuth2ErrorResponse is the error body of the OAuth2 endpoints (RFC 6749).
type OAuth2ErrorResponse struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// OAuth2DiscoveryResponse is the server's OpenID Provider / Authorization Server metadata.
type OAuth2DiscoveryResponse struct {
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	AuthorizationResponseIssParameterSupported *bool    `json:"authorization_response_iss_parameter_supported,omitempty"`
	ClaimsSupported                            []string `json:"claims_supported,omitempty"`
	ClientIDMetadataDocumentSupported          *bool    `json:"client_id_metadata_document_supported,omitempty"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported,omitempty"`
	GrantTypesSupported                        []string `json:"grant_types_supported,omitempty"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported,omitempty"`
	IntrospectionEndpoint                      string   `json:"introspection_endpoint,omitempty"`
	Issuer                                     string   `json:"issuer"`
	JwksURI                                    string   `json:"jwks_uri"`
	RegistrationEndpoint                       string   `json:"registration_endpoint,omitempty"`
	RequestParameterSupported                  *bool    `json:"request_parameter_supported,omitempty"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	RevocationEndpoint                         string   `json:"revocation_endpoint,omitempty"`
	ScopesSupported                            []string `json:"scopes_supported,omitempty"`
	SubjectTypesSupported                      []string `json:"subject_types_supported,omitempty"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	UserinfoEndpoint                           string   `json:"userinfo_endpoint,omitempty"`
}

// OAuth2TokenRequest is the form body of POST /oauth2/token.
type OAuth2TokenRequest struct {
	ClientID     string                      `json:"client_id,omitempty"`
	ClientSecret string                      `json:"client_secret,omitempty"`
	Code         string                      `json:"code,omitempty"`
	CodeVerifier string                      `json:"code_verifier,omitempty"`
	GrantType    OAuth2TokenRequestGrantType `json:"grant_type"`
	RedirectURI  string                      `json:"redirect_uri,omitempty"`
	RefreshToken string                      `json:"refresh_token,omitempty"`
	Resource     string                      `json:"resource,omitempty"`
}

// OAuth2TokenResponse holds the tokens issued to an OAuth2 client.
type OAuth2TokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	TokenType    string `json:"token_type"`
}

// OAuth2UserinfoResponse holds the OpenID Connect claims of the token's user.
type OAuth2UserinfoResponse struct {
	Email               string `json:"email,omitempty"`
	EmailVerified       *bool  `json:"email_verified,omitempty"`
	Locale              string `json:"locale,omitempty"`
	Name                string `json:"name,omitempty"`
	PhoneNumber         string `json:"phone_number,omitempty"`
	PhoneNumberVerified *bool  `json:"phone_number_verified,omitempty"`
	Picture             string `json:"picture,omitempty"`
	Sub                 string `json:"sub"`
}

// OAuth2JWKSResponse holds the keys that sign OAuth2/OIDC tokens.
type OAuth2JWKSResponse struct {
	Keys []JWK `json:"keys"`
}

// OAuth2RevokeRequest is the form body of POST /oauth2/revoke (RFC 7009).
type OAuth2RevokeRequest struct {
	ClientID      string              `json:"client_id,omitempty"`
	ClientSecret  string              `json:"client_secret,omitempty"`
	Token         string              `json:"token"`
	TokenTypeHint OAuth2TokenTypeHint `json:"token_type_hint,omitempty"`
}

// OAuth2IntrospectRequest is the form body of POST /oauth2/introspect (RFC 7662).
type OAuth2IntrospectRequest struct {
	ClientID      string              `json:"client_id,omitempty"`
	ClientSecret  string              `json:"client_secret,omitempty"`
	Token         string              `json:"token"`
	TokenTypeHint OAuth2TokenTypeHint `json:"token_type_hint,omitempty"`
}

// OAuth2IntrospectResponse is the state of an introspected token.
type OAuth2IntrospectResponse struct {
	Active    bool   `json:"active"`
	ClientID  string `json:"client_id,omitempty"`
	Exp       int64  `json:"exp,omitempty"`
	Iat       int64  `json:"iat,omitempty"`
	Iss       string `json:"iss,omitempty"`
	Scope     string `json:"scope,omitempty"`
	Sub       string `json:"sub,omitempty"`
	TokenType string `json:"token_type,omitempty"`
}

// OAuth2LoginResponse describes a pending authorization request, for a consent screen.
type OAuth2LoginResponse struct {
	ClientID    string   `json:"clientId"`
	ClientName  string   `json:"clientName"`
	RedirectURI string   `json:"redirectUri"`
	RequestID   string   `json:"requestId"`
	Scopes      []string `json:"scopes"`
}

// OAuth2LoginRequest completes a pending authorization request as the signed-in user.
type OAuth2LoginRequest struct {
	RequestID string `json:"requestId"`
}

// OAuth2LoginCompleteResponse is where the browser goes next, with the authorization code.
type OAuth2LoginCompleteResponse struct {
	RedirectURI string `json:"redirectUri"`
}

// Oauth2AuthorizeParams are the query parameters of Oauth2AuthorizeURL.
type Oauth2AuthorizeParams struct {
	ClientID            string              `json:"client_id"`
	CodeChallenge       string              `json:"code_challenge,omitempty"`
	CodeChallengeMethod CodeChallengeMethod `json:"code_challenge_method,omitempty"`
	Nonce               string              `json:"nonce,omitempty"`
	Prompt              string              `json:"prompt,omitempty"`
	RedirectURI         string              `json:"redirect_uri"`
	Resource            string              `json:"resource,omitempty"`
	ResponseType        string              `json:"response_type"`
	Scope               string              `json:"scope,omitempty"`
	State               string              `json:"state,omitempty"`
}

// Oauth2AuthorizePostBody is the form a page posts to Oauth2AuthorizePostURL.
type Oauth2AuthorizePostBody struct {
	ClientID            string `json:"client_id"`
	CodeChallenge       string `json:"code_challenge,omitempty"`
	CodeChallengeMethod string `json:"code_challenge_method,omitempty"`
	Nonce               string `json:"nonce,omitempty"`
	Prompt              string `json:"prompt,omitempty"`
	RedirectURI         string `json:"redirect_uri"`
	Resource            string `json:"resource,omitempty"`
	ResponseType        string `json:"response_type"`
	Scope               string `json:"scope,omitempty"`
	State               string `json:"state,omitempty"`
}

// Oauth2LoginGetParams are the query parameters of Oauth2LoginGet.
type Oauth2LoginGetParams struct {
	RequestID string `json:"request_id"`
}

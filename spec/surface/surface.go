// Package surface is the one description of the client's surface: every
// member of @nhost/nhost-js 4.7.0's auth Client, with its verb, path,
// arguments, body and response types, security and session effect.
// tools/gensurface writes from it core's operation table and Go methods,
// the shim's method table (with its argument type checks) and the Client
// interface of auth.d.ts; tests read it directly. Adding an operation is
// one entry here and `make generate`.
package surface

// Args is how a member takes its arguments, in nhost-js's order.
type Args string

const (
	ArgsOptions       Args = "options"               // (options?)
	ArgsBody          Args = "body,options"          // (body, options?)
	ArgsOptionalBody  Args = "body?,options"         // (body?, options?)
	ArgsProvider      Args = "provider,options"      // (provider, options?)
	ArgsProviderBody  Args = "provider,body,options" // (provider, body, options?)
	ArgsParams        Args = "params?,options"       // (params?, options?): a GET with a query
	ArgsURLParams     Args = "params?"               // URL builder: (params?) → string
	ArgsURLProvider   Args = "provider,params?"      // URL builder: (provider, params?) → string
	ArgsURLNone       Args = ""                      // URL builder: () → string
	ArgsChainFunction Args = "chainFunction"         // pushChainFunction
)

// Security is the authentication an operation takes.
type Security string

const (
	None           Security = "none"     // no token
	Bearer         Security = "bearer"   // the session's access token
	BearerElevated Security = "elevated" // an access token with the elevated claim
	BearerOptional Security = "optional" // the token when there is one
)

// Effect is what a successful answer does to the client's session.
type Effect string

const (
	Keeps  Effect = ""       // nothing
	Sets   Effect = "sets"   // a session in the body ({session} or a bare Session) is stored
	Clears Effect = "clears" // the session is forgotten, whatever the answer
)

// BodyEncoding is how a request body is sent.
type BodyEncoding string

const (
	JSON BodyEncoding = "json"
	Form BodyEncoding = "form" // application/x-www-form-urlencoded, fields in FormFields order
)

// Member is one member of the Client.
type Member struct {
	Name     string // nhost-js's name, e.g. "signInEmailPassword"
	Summary  string // one line for docs
	Method   string // HTTP verb; "" for client-side members
	Path     string // relative to the base URL; "{provider}" is a path parameter
	Args     Args
	Body     string // request body type (core and types.d.ts), "" for none
	Encoding BodyEncoding
	// FormFields are the form body's fields, in the order nhost-js writes them.
	FormFields []string
	// Params is the query parameters type of a URL builder or a GET with a query.
	Params string
	// Spread is the Params field whose properties become top-level query keys.
	Spread string
	// Response is the success body type; "OKResponse" and "string" are JSON
	// strings, "" is no body.
	Response string
	Security Security
	Effect   Effect
}

// URL reports whether the member only builds a URL (no request).
func (m Member) URL() bool {
	return m.Args == ArgsURLParams || m.Args == ArgsURLProvider || m.Args == ArgsURLNone
}

// Request reports whether the member sends a request.
func (m Member) Request() bool { return m.Method != "" && !m.URL() }

// HasBody reports whether the member's request takes a body.
func (m Member) HasBody() bool {
	return m.Args == ArgsBody || m.Args == ArgsOptionalBody || m.Args == ArgsProviderBody
}

// HasProvider reports whether the member takes a provider.
func (m Member) HasProvider() bool {
	return m.Args == ArgsProvider || m.Args == ArgsProviderBody || m.Args == ArgsURLProvider
}

// Find returns the member named name.
func Find(name string) (Member, bool) {
	for _, m := range Members {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}

// PKCE helpers exported next to the Client, with their TypeScript signatures.
var PKCE = []struct{ Name, Signature, Summary string }{
	{"generateCodeVerifier", "(): string", "A random PKCE code verifier: 43 base64url characters from 32 random bytes."},
	{"generateCodeChallenge", "(verifier: string): Promise<string>", "The S256 code challenge of a verifier: base64url(SHA-256(verifier))."},
	{"generatePKCEPair", "(): Promise<{ verifier: string; challenge: string }>", "A verifier and its S256 challenge."},
}

// Members are the 59 members of the Client besides baseURL, in nhost-js 4.7.0's order.
var Members = []Member{
	{Name: "pushChainFunction", Summary: "Adds a middleware; it runs inside those pushed before it, next to the network.", Args: ArgsChainFunction},
	{Name: "getJWKs", Summary: "The public keys that sign access tokens.", Method: "GET", Path: "/.well-known/jwks.json", Args: ArgsOptions, Response: "JWKSet", Security: None},
	{Name: "elevateWebauthn", Summary: "Starts a WebAuthn elevation of the signed-in user.", Method: "POST", Path: "/elevate/webauthn", Args: ArgsOptions, Response: "PublicKeyCredentialRequestOptions", Security: Bearer},
	{Name: "verifyElevateWebauthn", Summary: "Completes a WebAuthn elevation; the answer's session has the elevated claim.", Method: "POST", Path: "/elevate/webauthn/verify", Args: ArgsBody, Body: "SignInWebauthnVerifyRequest", Response: "SessionPayload", Security: Bearer, Effect: Sets},
	{Name: "healthCheckGet", Summary: "Checks the service (GET /healthz).", Method: "GET", Path: "/healthz", Args: ArgsOptions, Response: "OKResponse", Security: None},
	{Name: "healthCheckHead", Summary: "Checks the service (HEAD /healthz).", Method: "HEAD", Path: "/healthz", Args: ArgsOptions, Security: None},
	{Name: "linkIdToken", Summary: "Links a provider account to the signed-in user with an ID token.", Method: "POST", Path: "/link/idtoken", Args: ArgsBody, Body: "LinkIdTokenRequest", Response: "OKResponse", Security: BearerElevated},
	{Name: "changeUserMfa", Summary: "Generates a TOTP secret and its QR code.", Method: "GET", Path: "/mfa/totp/generate", Args: ArgsOptions, Response: "TotpGenerateResponse", Security: Bearer},
	{Name: "createPAT", Summary: "Creates a personal access token.", Method: "POST", Path: "/pat", Args: ArgsBody, Body: "CreatePATRequest", Response: "CreatePATResponse", Security: BearerElevated},
	{Name: "signInAnonymous", Summary: "Signs in as a new anonymous user.", Method: "POST", Path: "/signin/anonymous", Args: ArgsOptionalBody, Body: "SignInAnonymousRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signInEmailPassword", Summary: "Signs in with email and password; the answer is a session or an MFA challenge.", Method: "POST", Path: "/signin/email-password", Args: ArgsBody, Body: "SignInEmailPasswordRequest", Response: "SignInEmailPasswordResponse", Security: None, Effect: Sets},
	{Name: "signInIdToken", Summary: "Signs in with an Apple or Google ID token.", Method: "POST", Path: "/signin/idtoken", Args: ArgsBody, Body: "SignInIdTokenRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "verifySignInMfaTotp", Summary: "Completes an MFA sign-in with a TOTP code.", Method: "POST", Path: "/signin/mfa/totp", Args: ArgsBody, Body: "SignInMfaTotpRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signInOTPEmail", Summary: "Sends a one-time password by email.", Method: "POST", Path: "/signin/otp/email", Args: ArgsBody, Body: "SignInOTPEmailRequest", Response: "OKResponse", Security: None},
	{Name: "verifySignInOTPEmail", Summary: "Completes an email OTP sign-in.", Method: "POST", Path: "/signin/otp/email/verify", Args: ArgsBody, Body: "SignInOTPEmailVerifyRequest", Response: "SignInOTPEmailVerifyResponse", Security: None, Effect: Sets},
	{Name: "signInPasswordlessEmail", Summary: "Sends a magic link.", Method: "POST", Path: "/signin/passwordless/email", Args: ArgsBody, Body: "SignInPasswordlessEmailRequest", Response: "OKResponse", Security: None},
	{Name: "signInPasswordlessSms", Summary: "Sends a one-time password by SMS.", Method: "POST", Path: "/signin/passwordless/sms", Args: ArgsBody, Body: "SignInPasswordlessSmsRequest", Response: "OKResponse", Security: None},
	{Name: "verifySignInPasswordlessSms", Summary: "Completes an SMS sign-in.", Method: "POST", Path: "/signin/passwordless/sms/otp", Args: ArgsBody, Body: "SignInPasswordlessSmsOtpRequest", Response: "SignInPasswordlessSmsOtpResponse", Security: None, Effect: Sets},
	{Name: "signInPAT", Summary: "Signs in with a personal access token.", Method: "POST", Path: "/signin/pat", Args: ArgsBody, Body: "SignInPATRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signInProviderURL", Summary: "The URL that starts an OAuth2 sign-in (no request is made).", Method: "GET", Path: "/signin/provider/{provider}", Args: ArgsURLProvider, Params: "SignInProviderParams", Spread: "providerSpecificParams", Security: None},
	{Name: "getProviderTokens", Summary: "The provider's tokens, once, right after an OAuth2 callback.", Method: "GET", Path: "/signin/provider/{provider}/callback/tokens", Args: ArgsProvider, Response: "ProviderSession", Security: Bearer},
	{Name: "signInWebauthn", Summary: "Starts a WebAuthn sign-in.", Method: "POST", Path: "/signin/webauthn", Args: ArgsOptionalBody, Body: "SignInWebauthnRequest", Response: "PublicKeyCredentialRequestOptions", Security: None},
	{Name: "verifySignInWebauthn", Summary: "Completes a WebAuthn sign-in.", Method: "POST", Path: "/signin/webauthn/verify", Args: ArgsBody, Body: "SignInWebauthnVerifyRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signOut", Summary: "Signs out (the session is forgotten whatever the answer).", Method: "POST", Path: "/signout", Args: ArgsBody, Body: "SignOutRequest", Response: "OKResponse", Security: BearerOptional, Effect: Clears},
	{Name: "signUpEmailPassword", Summary: "Registers a user with email and password.", Method: "POST", Path: "/signup/email-password", Args: ArgsBody, Body: "SignUpEmailPasswordRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signUpWebauthn", Summary: "Starts a WebAuthn sign-up.", Method: "POST", Path: "/signup/webauthn", Args: ArgsBody, Body: "SignUpWebauthnRequest", Response: "PublicKeyCredentialCreationOptions", Security: None},
	{Name: "verifySignUpWebauthn", Summary: "Completes a WebAuthn sign-up.", Method: "POST", Path: "/signup/webauthn/verify", Args: ArgsBody, Body: "SignUpWebauthnVerifyRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signUpPasswordlessEmail", Summary: "Registers a user and sends a magic link.", Method: "POST", Path: "/signup/passwordless/email", Args: ArgsBody, Body: "SignUpPasswordlessEmailRequest", Response: "OKResponse", Security: None},
	{Name: "signUpOTPEmail", Summary: "Registers a user and sends a one-time password by email.", Method: "POST", Path: "/signup/otp/email", Args: ArgsBody, Body: "SignUpOTPEmailRequest", Response: "OKResponse", Security: None},
	{Name: "signUpPasswordlessSms", Summary: "Registers a user and sends a one-time password by SMS.", Method: "POST", Path: "/signup/passwordless/sms", Args: ArgsBody, Body: "SignUpPasswordlessSmsRequest", Response: "OKResponse", Security: None},
	{Name: "signUpIdToken", Summary: "Registers a user with an Apple or Google ID token.", Method: "POST", Path: "/signup/idtoken", Args: ArgsBody, Body: "SignUpIdTokenRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "signUpProviderURL", Summary: "The URL that starts an OAuth2 sign-up (no request is made).", Method: "GET", Path: "/signup/provider/{provider}", Args: ArgsURLProvider, Params: "SignUpProviderParams", Spread: "providerSpecificParams", Security: None},
	{Name: "refreshToken", Summary: "Trades a refresh token for a new session.", Method: "POST", Path: "/token", Args: ArgsBody, Body: "RefreshTokenRequest", Response: "Session", Security: None, Effect: Sets},
	{Name: "refreshProviderToken", Summary: "Refreshes an OAuth2 provider's tokens.", Method: "POST", Path: "/token/provider/{provider}", Args: ArgsProviderBody, Body: "RefreshProviderTokenRequest", Response: "ProviderSession", Security: Bearer},
	{Name: "verifyToken", Summary: "Checks a JWT; without a body, the Authorization header's.", Method: "POST", Path: "/token/verify", Args: ArgsOptionalBody, Body: "VerifyTokenRequest", Response: "string", Security: BearerOptional},
	{Name: "getUser", Summary: "The signed-in user's profile.", Method: "GET", Path: "/user", Args: ArgsOptions, Response: "User", Security: Bearer},
	{Name: "deanonymizeUser", Summary: "Turns the signed-in anonymous user into a regular one.", Method: "POST", Path: "/user/deanonymize", Args: ArgsBody, Body: "UserDeanonymizeRequest", Response: "OKResponse", Security: Bearer},
	{Name: "changeUserEmail", Summary: "Asks to change the user's email; a link goes to the new address.", Method: "POST", Path: "/user/email/change", Args: ArgsBody, Body: "UserEmailChangeRequest", Response: "OKResponse", Security: BearerElevated},
	{Name: "sendVerificationEmail", Summary: "Sends an email verification link.", Method: "POST", Path: "/user/email/send-verification-email", Args: ArgsBody, Body: "UserEmailSendVerificationEmailRequest", Response: "OKResponse", Security: None},
	{Name: "verifyChangeUserMfa", Summary: "Activates or deactivates MFA.", Method: "POST", Path: "/user/mfa", Args: ArgsBody, Body: "UserMfaRequest", Response: "OKResponse", Security: Bearer},
	{Name: "changeUserPassword", Summary: "Sets a new password, with an elevated token or a reset ticket.", Method: "POST", Path: "/user/password", Args: ArgsBody, Body: "UserPasswordRequest", Response: "OKResponse", Security: BearerElevated},
	{Name: "sendPasswordResetEmail", Summary: "Sends a password reset link.", Method: "POST", Path: "/user/password/reset", Args: ArgsBody, Body: "UserPasswordResetRequest", Response: "OKResponse", Security: None},
	{Name: "addSecurityKey", Summary: "Starts adding a WebAuthn security key.", Method: "POST", Path: "/user/webauthn/add", Args: ArgsOptions, Response: "PublicKeyCredentialCreationOptions", Security: BearerElevated},
	{Name: "verifyAddSecurityKey", Summary: "Completes adding a WebAuthn security key.", Method: "POST", Path: "/user/webauthn/verify", Args: ArgsBody, Body: "VerifyAddSecurityKeyRequest", Response: "VerifyAddSecurityKeyResponse", Security: BearerElevated},
	{Name: "tokenExchange", Summary: "Trades a PKCE authorization code and its verifier for a session.", Method: "POST", Path: "/token/exchange", Args: ArgsBody, Body: "TokenExchangeRequest", Response: "SessionPayload", Security: None, Effect: Sets},
	{Name: "verifyTicketURL", Summary: "The URL of an emailed ticket (no request is made).", Method: "GET", Path: "/verify", Args: ArgsURLParams, Params: "VerifyTicketParams", Security: None},
	{Name: "getVersion", Summary: "The server's version.", Method: "GET", Path: "/version", Args: ArgsOptions, Response: "GetVersionResponse200", Security: None},
	{Name: "getOpenIDConfiguration", Summary: "The OpenID Provider metadata.", Method: "GET", Path: "/.well-known/openid-configuration", Args: ArgsOptions, Response: "OAuth2DiscoveryResponse", Security: None},
	{Name: "getOAuthAuthorizationServer", Summary: "The OAuth2 Authorization Server metadata.", Method: "GET", Path: "/.well-known/oauth-authorization-server", Args: ArgsOptions, Response: "OAuth2DiscoveryResponse", Security: None},
	{Name: "oauth2AuthorizeURL", Summary: "The URL that starts an OAuth2 authorization code flow (no request is made).", Method: "GET", Path: "/oauth2/authorize", Args: ArgsURLParams, Params: "Oauth2AuthorizeParams", Security: None},
	{Name: "oauth2AuthorizePostURL", Summary: "The URL a form posts an authorization request to (no request is made).", Method: "POST", Path: "/oauth2/authorize", Args: ArgsURLNone, Security: None},
	{Name: "oauth2Token", Summary: "Trades an authorization code or a refresh token for an OAuth2 client's tokens.", Method: "POST", Path: "/oauth2/token", Args: ArgsBody, Body: "OAuth2TokenRequest", Encoding: Form,
		FormFields: []string{"grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier", "refresh_token", "resource"}, Response: "OAuth2TokenResponse", Security: None},
	{Name: "oauth2UserinfoGet", Summary: "The OpenID Connect claims of the token's user (GET).", Method: "GET", Path: "/oauth2/userinfo", Args: ArgsOptions, Response: "OAuth2UserinfoResponse", Security: Bearer},
	{Name: "oauth2UserinfoPost", Summary: "The OpenID Connect claims of the token's user (POST).", Method: "POST", Path: "/oauth2/userinfo", Args: ArgsOptions, Response: "OAuth2UserinfoResponse", Security: Bearer},
	{Name: "oauth2Jwks", Summary: "The keys that sign OAuth2/OIDC tokens.", Method: "GET", Path: "/oauth2/jwks", Args: ArgsOptions, Response: "OAuth2JWKSResponse", Security: None},
	{Name: "oauth2Revoke", Summary: "Revokes an access or refresh token (RFC 7009).", Method: "POST", Path: "/oauth2/revoke", Args: ArgsBody, Body: "OAuth2RevokeRequest", Encoding: Form,
		FormFields: []string{"token", "token_type_hint", "client_id", "client_secret"}, Security: None},
	{Name: "oauth2Introspect", Summary: "The state of a token (RFC 7662).", Method: "POST", Path: "/oauth2/introspect", Args: ArgsBody, Body: "OAuth2IntrospectRequest", Encoding: Form,
		FormFields: []string{"token", "token_type_hint", "client_id", "client_secret"}, Response: "OAuth2IntrospectResponse", Security: None},
	{Name: "oauth2LoginGet", Summary: "The details of a pending authorization request, for a consent screen.", Method: "GET", Path: "/oauth2/login", Args: ArgsParams, Params: "Oauth2LoginGetParams", Response: "OAuth2LoginResponse", Security: None},
	{Name: "oauth2LoginPost", Summary: "Completes a pending authorization request as the signed-in user.", Method: "POST", Path: "/oauth2/login", Args: ArgsBody, Body: "OAuth2LoginRequest", Response: "OAuth2LoginCompleteResponse", Security: Bearer},
}

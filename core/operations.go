package core

// Security says what authentication an operation takes (methods.md §5).
type Security int

const (
	SecurityNone           Security = iota // no token
	SecurityBearer                         // a valid access token
	SecurityBearerElevated                 // an access token with the elevated claim (when the server enforces it)
	SecurityBearerOptional                 // a token is used if present
)

// BodyKind says whether an operation sends a JSON body.
type BodyKind int

const (
	BodyNone     BodyKind = iota // no body, no Content-Type
	BodyRequired                 // a JSON body
	BodyOptional                 // a JSON body when the caller gives one
)

// Operation describes one HTTP operation of the Auth API.
type Operation struct {
	Name     string // the seed's method name, e.g. "signInEmailPassword"
	Method   string
	Path     string // relative to the base URL; "{provider}" is replaced
	Body     BodyKind
	Security Security
	Redirect bool // a URL builder: the browser navigates, no request is made
}

// Operations lists the 40 seed methods that map to HTTP, by seed name.
// pushChainFunction, the 41st, is client-side only.
var Operations = map[string]*Operation{}

func op(name, method, path string, body BodyKind, sec Security) *Operation {
	o := &Operation{Name: name, Method: method, Path: path, Body: body, Security: sec}
	Operations[name] = o
	return o
}

var (
	opAddSecurityKey              = op("addSecurityKey", "POST", "/user/webauthn/add", BodyNone, SecurityBearerElevated)
	opChangeUserEmail             = op("changeUserEmail", "POST", "/user/email/change", BodyRequired, SecurityBearerElevated)
	opChangeUserMfa               = op("changeUserMfa", "GET", "/mfa/totp/generate", BodyNone, SecurityBearer)
	opChangeUserPassword          = op("changeUserPassword", "POST", "/user/password", BodyRequired, SecurityBearerElevated)
	opCreatePAT                   = op("createPAT", "POST", "/pat", BodyRequired, SecurityBearerElevated)
	opDeanonymizeUser             = op("deanonymizeUser", "POST", "/user/deanonymize", BodyRequired, SecurityBearer)
	opElevateWebauthn             = op("elevateWebauthn", "POST", "/elevate/webauthn", BodyNone, SecurityBearer)
	opGetJWKs                     = op("getJWKs", "GET", "/.well-known/jwks.json", BodyNone, SecurityNone)
	opGetProviderTokens           = op("getProviderTokens", "GET", "/signin/provider/{provider}/callback/tokens", BodyNone, SecurityBearer)
	opGetUser                     = op("getUser", "GET", "/user", BodyNone, SecurityBearer)
	opGetVersion                  = op("getVersion", "GET", "/version", BodyNone, SecurityNone)
	opHealthCheckGet              = op("healthCheckGet", "GET", "/healthz", BodyNone, SecurityNone)
	opHealthCheckHead             = op("healthCheckHead", "HEAD", "/healthz", BodyNone, SecurityNone)
	opLinkIdToken                 = op("linkIdToken", "POST", "/link/idtoken", BodyRequired, SecurityBearerElevated)
	opRefreshProviderToken        = op("refreshProviderToken", "POST", "/token/provider/{provider}", BodyRequired, SecurityBearer)
	opRefreshToken                = op("refreshToken", "POST", "/token", BodyRequired, SecurityNone)
	opSendPasswordResetEmail      = op("sendPasswordResetEmail", "POST", "/user/password/reset", BodyRequired, SecurityNone)
	opSendVerificationEmail       = op("sendVerificationEmail", "POST", "/user/email/send-verification-email", BodyRequired, SecurityNone)
	opSignInAnonymous             = op("signInAnonymous", "POST", "/signin/anonymous", BodyOptional, SecurityNone)
	opSignInEmailPassword         = op("signInEmailPassword", "POST", "/signin/email-password", BodyRequired, SecurityNone)
	opSignInIdToken               = op("signInIdToken", "POST", "/signin/idtoken", BodyRequired, SecurityNone)
	opSignInOTPEmail              = op("signInOTPEmail", "POST", "/signin/otp/email", BodyRequired, SecurityNone)
	opSignInPasswordlessEmail     = op("signInPasswordlessEmail", "POST", "/signin/passwordless/email", BodyRequired, SecurityNone)
	opSignInPasswordlessSms       = op("signInPasswordlessSms", "POST", "/signin/passwordless/sms", BodyRequired, SecurityNone)
	opSignInPAT                   = op("signInPAT", "POST", "/signin/pat", BodyRequired, SecurityNone)
	opSignInProvider              = op("signInProviderURL", "GET", "/signin/provider/{provider}", BodyNone, SecurityNone)
	opSignInWebauthn              = op("signInWebauthn", "POST", "/signin/webauthn", BodyOptional, SecurityNone)
	opSignOut                     = op("signOut", "POST", "/signout", BodyRequired, SecurityBearerOptional)
	opSignUpEmailPassword         = op("signUpEmailPassword", "POST", "/signup/email-password", BodyRequired, SecurityNone)
	opSignUpWebauthn              = op("signUpWebauthn", "POST", "/signup/webauthn", BodyRequired, SecurityNone)
	opVerifyAddSecurityKey        = op("verifyAddSecurityKey", "POST", "/user/webauthn/verify", BodyRequired, SecurityBearerElevated)
	opVerifyChangeUserMfa         = op("verifyChangeUserMfa", "POST", "/user/mfa", BodyRequired, SecurityBearer)
	opVerifyElevateWebauthn       = op("verifyElevateWebauthn", "POST", "/elevate/webauthn/verify", BodyRequired, SecurityBearer)
	opVerifySignInMfaTotp         = op("verifySignInMfaTotp", "POST", "/signin/mfa/totp", BodyRequired, SecurityNone)
	opVerifySignInOTPEmail        = op("verifySignInOTPEmail", "POST", "/signin/otp/email/verify", BodyRequired, SecurityNone)
	opVerifySignInPasswordlessSms = op("verifySignInPasswordlessSms", "POST", "/signin/passwordless/sms/otp", BodyRequired, SecurityNone)
	opVerifySignInWebauthn        = op("verifySignInWebauthn", "POST", "/signin/webauthn/verify", BodyRequired, SecurityNone)
	opVerifySignUpWebauthn        = op("verifySignUpWebauthn", "POST", "/signup/webauthn/verify", BodyRequired, SecurityNone)
	opVerifyTicket                = op("verifyTicketURL", "GET", "/verify", BodyNone, SecurityNone)
	opVerifyToken                 = op("verifyToken", "POST", "/token/verify", BodyOptional, SecurityBearerOptional)
)

func init() {
	opSignInProvider.Redirect = true
	opVerifyTicket.Redirect = true
}

// MethodNames lists the 41 client methods of the seed, in its order.
var MethodNames = []string{
	"addSecurityKey", "changeUserEmail", "changeUserMfa", "changeUserPassword", "createPAT",
	"deanonymizeUser", "elevateWebauthn", "getJWKs", "getProviderTokens", "getUser",
	"getVersion", "healthCheckGet", "healthCheckHead", "linkIdToken", "pushChainFunction",
	"refreshProviderToken", "refreshToken", "sendPasswordResetEmail", "sendVerificationEmail",
	"signInAnonymous", "signInEmailPassword", "signInIdToken", "signInOTPEmail",
	"signInPasswordlessEmail", "signInPasswordlessSms", "signInPAT", "signInProviderURL",
	"signInWebauthn", "signOut", "signUpEmailPassword", "signUpWebauthn", "verifyAddSecurityKey",
	"verifyChangeUserMfa", "verifyElevateWebauthn", "verifySignInMfaTotp", "verifySignInOTPEmail",
	"verifySignInPasswordlessSms", "verifySignInWebauthn", "verifySignUpWebauthn",
	"verifyTicketURL", "verifyToken",
}

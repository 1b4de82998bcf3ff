package core

import "github.com/nhost-auth-wasm/sdk/core/codec"

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

// OperationByName returns the operation of a seed method, or nil.
func OperationByName(name string) *Operation {
	for _, o := range Operations {
		if o.Name == name {
			return o
		}
	}
	return nil
}

var (
	opAddSecurityKey              = &Operation{Name: "addSecurityKey", Method: "POST", Path: "/user/webauthn/add", Body: BodyNone, Security: SecurityBearerElevated}
	opChangeUserEmail             = &Operation{Name: "changeUserEmail", Method: "POST", Path: "/user/email/change", Body: BodyRequired, Security: SecurityBearerElevated}
	opChangeUserMfa               = &Operation{Name: "changeUserMfa", Method: "GET", Path: "/mfa/totp/generate", Body: BodyNone, Security: SecurityBearer}
	opChangeUserPassword          = &Operation{Name: "changeUserPassword", Method: "POST", Path: "/user/password", Body: BodyRequired, Security: SecurityBearerElevated}
	opCreatePAT                   = &Operation{Name: "createPAT", Method: "POST", Path: "/pat", Body: BodyRequired, Security: SecurityBearerElevated}
	opDeanonymizeUser             = &Operation{Name: "deanonymizeUser", Method: "POST", Path: "/user/deanonymize", Body: BodyRequired, Security: SecurityBearer}
	opElevateWebauthn             = &Operation{Name: "elevateWebauthn", Method: "POST", Path: "/elevate/webauthn", Body: BodyNone, Security: SecurityBearer}
	opGetJWKs                     = &Operation{Name: "getJWKs", Method: "GET", Path: "/.well-known/jwks.json", Body: BodyNone, Security: SecurityNone}
	opGetProviderTokens           = &Operation{Name: "getProviderTokens", Method: "GET", Path: "/signin/provider/{provider}/callback/tokens", Body: BodyNone, Security: SecurityBearer}
	opGetUser                     = &Operation{Name: "getUser", Method: "GET", Path: "/user", Body: BodyNone, Security: SecurityBearer}
	opGetVersion                  = &Operation{Name: "getVersion", Method: "GET", Path: "/version", Body: BodyNone, Security: SecurityNone}
	opHealthCheckGet              = &Operation{Name: "healthCheckGet", Method: "GET", Path: "/healthz", Body: BodyNone, Security: SecurityNone}
	opHealthCheckHead             = &Operation{Name: "healthCheckHead", Method: "HEAD", Path: "/healthz", Body: BodyNone, Security: SecurityNone}
	opLinkIdToken                 = &Operation{Name: "linkIdToken", Method: "POST", Path: "/link/idtoken", Body: BodyRequired, Security: SecurityBearerElevated}
	opRefreshProviderToken        = &Operation{Name: "refreshProviderToken", Method: "POST", Path: "/token/provider/{provider}", Body: BodyRequired, Security: SecurityBearer}
	opRefreshToken                = &Operation{Name: "refreshToken", Method: "POST", Path: "/token", Body: BodyRequired, Security: SecurityNone}
	opSendPasswordResetEmail      = &Operation{Name: "sendPasswordResetEmail", Method: "POST", Path: "/user/password/reset", Body: BodyRequired, Security: SecurityNone}
	opSendVerificationEmail       = &Operation{Name: "sendVerificationEmail", Method: "POST", Path: "/user/email/send-verification-email", Body: BodyRequired, Security: SecurityNone}
	opSignInAnonymous             = &Operation{Name: "signInAnonymous", Method: "POST", Path: "/signin/anonymous", Body: BodyOptional, Security: SecurityNone}
	opSignInEmailPassword         = &Operation{Name: "signInEmailPassword", Method: "POST", Path: "/signin/email-password", Body: BodyRequired, Security: SecurityNone}
	opSignInIdToken               = &Operation{Name: "signInIdToken", Method: "POST", Path: "/signin/idtoken", Body: BodyRequired, Security: SecurityNone}
	opSignInOTPEmail              = &Operation{Name: "signInOTPEmail", Method: "POST", Path: "/signin/otp/email", Body: BodyRequired, Security: SecurityNone}
	opSignInPasswordlessEmail     = &Operation{Name: "signInPasswordlessEmail", Method: "POST", Path: "/signin/passwordless/email", Body: BodyRequired, Security: SecurityNone}
	opSignInPasswordlessSms       = &Operation{Name: "signInPasswordlessSms", Method: "POST", Path: "/signin/passwordless/sms", Body: BodyRequired, Security: SecurityNone}
	opSignInPAT                   = &Operation{Name: "signInPAT", Method: "POST", Path: "/signin/pat", Body: BodyRequired, Security: SecurityNone}
	opSignInProvider              = &Operation{Name: "signInProviderURL", Method: "GET", Path: "/signin/provider/{provider}", Body: BodyNone, Security: SecurityNone, Redirect: true}
	opSignInWebauthn              = &Operation{Name: "signInWebauthn", Method: "POST", Path: "/signin/webauthn", Body: BodyOptional, Security: SecurityNone}
	opSignOut                     = &Operation{Name: "signOut", Method: "POST", Path: "/signout", Body: BodyRequired, Security: SecurityBearerOptional}
	opSignUpEmailPassword         = &Operation{Name: "signUpEmailPassword", Method: "POST", Path: "/signup/email-password", Body: BodyRequired, Security: SecurityNone}
	opSignUpWebauthn              = &Operation{Name: "signUpWebauthn", Method: "POST", Path: "/signup/webauthn", Body: BodyRequired, Security: SecurityNone}
	opVerifyAddSecurityKey        = &Operation{Name: "verifyAddSecurityKey", Method: "POST", Path: "/user/webauthn/verify", Body: BodyRequired, Security: SecurityBearerElevated}
	opVerifyChangeUserMfa         = &Operation{Name: "verifyChangeUserMfa", Method: "POST", Path: "/user/mfa", Body: BodyRequired, Security: SecurityBearer}
	opVerifyElevateWebauthn       = &Operation{Name: "verifyElevateWebauthn", Method: "POST", Path: "/elevate/webauthn/verify", Body: BodyRequired, Security: SecurityBearer}
	opVerifySignInMfaTotp         = &Operation{Name: "verifySignInMfaTotp", Method: "POST", Path: "/signin/mfa/totp", Body: BodyRequired, Security: SecurityNone}
	opVerifySignInOTPEmail        = &Operation{Name: "verifySignInOTPEmail", Method: "POST", Path: "/signin/otp/email/verify", Body: BodyRequired, Security: SecurityNone}
	opVerifySignInPasswordlessSms = &Operation{Name: "verifySignInPasswordlessSms", Method: "POST", Path: "/signin/passwordless/sms/otp", Body: BodyRequired, Security: SecurityNone}
	opVerifySignInWebauthn        = &Operation{Name: "verifySignInWebauthn", Method: "POST", Path: "/signin/webauthn/verify", Body: BodyRequired, Security: SecurityNone}
	opVerifySignUpWebauthn        = &Operation{Name: "verifySignUpWebauthn", Method: "POST", Path: "/signup/webauthn/verify", Body: BodyRequired, Security: SecurityNone}
	opVerifyTicket                = &Operation{Name: "verifyTicketURL", Method: "GET", Path: "/verify", Body: BodyNone, Security: SecurityNone, Redirect: true}
	opVerifyToken                 = &Operation{Name: "verifyToken", Method: "POST", Path: "/token/verify", Body: BodyOptional, Security: SecurityBearerOptional}
)

// Operations lists the 40 seed methods that map to HTTP, in the seed's
// order. pushChainFunction, the 41st, is client-side only. (A slice of
// statically initialized values rather than a map: no init code in auth.wasm.)
var Operations = []*Operation{
	opAddSecurityKey, opChangeUserEmail, opChangeUserMfa, opChangeUserPassword, opCreatePAT,
	opDeanonymizeUser, opElevateWebauthn, opGetJWKs, opGetProviderTokens, opGetUser,
	opGetVersion, opHealthCheckGet, opHealthCheckHead, opLinkIdToken, opRefreshProviderToken,
	opRefreshToken, opSendPasswordResetEmail, opSendVerificationEmail, opSignInAnonymous,
	opSignInEmailPassword, opSignInIdToken, opSignInOTPEmail, opSignInPasswordlessEmail,
	opSignInPasswordlessSms, opSignInPAT, opSignInProvider, opSignInWebauthn, opSignOut,
	opSignUpEmailPassword, opSignUpWebauthn, opVerifyAddSecurityKey, opVerifyChangeUserMfa,
	opVerifyElevateWebauthn, opVerifySignInMfaTotp, opVerifySignInOTPEmail,
	opVerifySignInPasswordlessSms, opVerifySignInWebauthn, opVerifySignUpWebauthn,
	opVerifyTicket, opVerifyToken,
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

// NewRequestBody returns a new value of the request body type of the
// operation named name, or nil when it takes no body. Bridges use it to
// check a body given as JSON before sending it.
func NewRequestBody(name string) interface {
	codec.Unmarshaler
	codec.Marshaler
} {
	switch name {
	case "changeUserEmail":
		return &UserEmailChangeRequest{}
	case "changeUserPassword":
		return &UserPasswordRequest{}
	case "createPAT":
		return &CreatePATRequest{}
	case "deanonymizeUser":
		return &UserDeanonymizeRequest{}
	case "linkIdToken":
		return &LinkIdTokenRequest{}
	case "refreshProviderToken":
		return &RefreshProviderTokenRequest{}
	case "refreshToken":
		return &RefreshTokenRequest{}
	case "sendPasswordResetEmail":
		return &UserPasswordResetRequest{}
	case "sendVerificationEmail":
		return &UserEmailSendVerificationEmailRequest{}
	case "signInAnonymous":
		return &SignInAnonymousRequest{}
	case "signInEmailPassword":
		return &SignInEmailPasswordRequest{}
	case "signInIdToken":
		return &SignInIdTokenRequest{}
	case "signInOTPEmail":
		return &SignInOTPEmailRequest{}
	case "signInPasswordlessEmail":
		return &SignInPasswordlessEmailRequest{}
	case "signInPasswordlessSms":
		return &SignInPasswordlessSmsRequest{}
	case "signInPAT":
		return &SignInPATRequest{}
	case "signInWebauthn":
		return &SignInWebauthnRequest{}
	case "signOut":
		return &SignOutRequest{}
	case "signUpEmailPassword":
		return &SignUpEmailPasswordRequest{}
	case "signUpWebauthn":
		return &SignUpWebauthnRequest{}
	case "verifyAddSecurityKey":
		return &VerifyAddSecurityKeyRequest{}
	case "verifyChangeUserMfa":
		return &UserMfaRequest{}
	case "verifyElevateWebauthn", "verifySignInWebauthn":
		return &SignInWebauthnVerifyRequest{}
	case "verifySignInMfaTotp":
		return &SignInMfaTotpRequest{}
	case "verifySignInOTPEmail":
		return &SignInOTPEmailVerifyRequest{}
	case "verifySignInPasswordlessSms":
		return &SignInPasswordlessSmsOtpRequest{}
	case "verifySignUpWebauthn":
		return &SignUpWebauthnVerifyRequest{}
	case "verifyToken":
		return &VerifyTokenRequest{}
	}
	return nil
}

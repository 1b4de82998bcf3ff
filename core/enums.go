package core

// Enumerated string types of the seed. Each is a plain string on the wire.

// SignInProvider names an OAuth2 provider.
type SignInProvider string

const (
	ProviderApple       SignInProvider = "apple"
	ProviderGitHub      SignInProvider = "github"
	ProviderGoogle      SignInProvider = "google"
	ProviderLinkedIn    SignInProvider = "linkedin"
	ProviderDiscord     SignInProvider = "discord"
	ProviderSpotify     SignInProvider = "spotify"
	ProviderTwitch      SignInProvider = "twitch"
	ProviderGitLab      SignInProvider = "gitlab"
	ProviderBitbucket   SignInProvider = "bitbucket"
	ProviderWorkOS      SignInProvider = "workos"
	ProviderAzureAD     SignInProvider = "azuread"
	ProviderEntraID     SignInProvider = "entraid"
	ProviderStrava      SignInProvider = "strava"
	ProviderFacebook    SignInProvider = "facebook"
	ProviderWindowsLive SignInProvider = "windowslive"
	ProviderTwitter     SignInProvider = "twitter"
)

// SignInProviders lists every SignInProvider, in the seed's order.
var SignInProviders = []SignInProvider{
	ProviderApple, ProviderGitHub, ProviderGoogle, ProviderLinkedIn, ProviderDiscord,
	ProviderSpotify, ProviderTwitch, ProviderGitLab, ProviderBitbucket, ProviderWorkOS,
	ProviderAzureAD, ProviderEntraID, ProviderStrava, ProviderFacebook,
	ProviderWindowsLive, ProviderTwitter,
}

// IdTokenProvider names a provider whose ID tokens the server accepts.
type IdTokenProvider string

const (
	IdTokenProviderApple  IdTokenProvider = "apple"
	IdTokenProviderGoogle IdTokenProvider = "google"
)

// ErrorCode is the `error` field of an ErrorResponse (ErrorResponseError in the seed).
type ErrorCode string

const (
	ErrDefaultRoleMustBeInAllowedRoles ErrorCode = "default-role-must-be-in-allowed-roles"
	ErrDisabledEndpoint                ErrorCode = "disabled-endpoint"
	ErrDisabledUser                    ErrorCode = "disabled-user"
	ErrEmailAlreadyInUse               ErrorCode = "email-already-in-use"
	ErrEmailAlreadyVerified            ErrorCode = "email-already-verified"
	ErrForbiddenAnonymous              ErrorCode = "forbidden-anonymous"
	ErrInternalServerError             ErrorCode = "internal-server-error"
	ErrInvalidEmailPassword            ErrorCode = "invalid-email-password"
	ErrInvalidRequest                  ErrorCode = "invalid-request"
	ErrLocaleNotAllowed                ErrorCode = "locale-not-allowed"
	ErrPasswordTooShort                ErrorCode = "password-too-short"
	ErrPasswordInHibpDatabase          ErrorCode = "password-in-hibp-database"
	ErrRedirectToNotAllowed            ErrorCode = "redirectTo-not-allowed"
	ErrRoleNotAllowed                  ErrorCode = "role-not-allowed"
	ErrSignupDisabled                  ErrorCode = "signup-disabled"
	ErrUnverifiedUser                  ErrorCode = "unverified-user"
	ErrUserNotAnonymous                ErrorCode = "user-not-anonymous"
	ErrInvalidPAT                      ErrorCode = "invalid-pat"
	ErrInvalidRefreshToken             ErrorCode = "invalid-refresh-token"
	ErrInvalidTicket                   ErrorCode = "invalid-ticket"
	ErrDisabledMfaTotp                 ErrorCode = "disabled-mfa-totp"
	ErrNoTotpSecret                    ErrorCode = "no-totp-secret"
	ErrInvalidTotp                     ErrorCode = "invalid-totp"
	ErrMfaTypeNotFound                 ErrorCode = "mfa-type-not-found"
	ErrTotpAlreadyActive               ErrorCode = "totp-already-active"
	ErrInvalidState                    ErrorCode = "invalid-state"
	ErrOauthTokenExchangeFailed        ErrorCode = "oauth-token-echange-failed" // sic: the server's spelling
	ErrOauthProfileFetchFailed         ErrorCode = "oauth-profile-fetch-failed"
	ErrOauthProviderError              ErrorCode = "oauth-provider-error"
	ErrInvalidOTP                      ErrorCode = "invalid-otp"
	ErrCannotSendSMS                   ErrorCode = "cannot-send-sms"
	ErrProviderAccountAlreadyLinked    ErrorCode = "provider-account-already-linked"
)

// ErrorCodes lists every ErrorCode, in the seed's order.
var ErrorCodes = []ErrorCode{
	ErrDefaultRoleMustBeInAllowedRoles, ErrDisabledEndpoint, ErrDisabledUser,
	ErrEmailAlreadyInUse, ErrEmailAlreadyVerified, ErrForbiddenAnonymous,
	ErrInternalServerError, ErrInvalidEmailPassword, ErrInvalidRequest,
	ErrLocaleNotAllowed, ErrPasswordTooShort, ErrPasswordInHibpDatabase,
	ErrRedirectToNotAllowed, ErrRoleNotAllowed, ErrSignupDisabled, ErrUnverifiedUser,
	ErrUserNotAnonymous, ErrInvalidPAT, ErrInvalidRefreshToken, ErrInvalidTicket,
	ErrDisabledMfaTotp, ErrNoTotpSecret, ErrInvalidTotp, ErrMfaTypeNotFound,
	ErrTotpAlreadyActive, ErrInvalidState, ErrOauthTokenExchangeFailed,
	ErrOauthProfileFetchFailed, ErrOauthProviderError, ErrInvalidOTP, ErrCannotSendSMS,
	ErrProviderAccountAlreadyLinked,
}

// TicketTypeQuery is the deprecated `type` query parameter of /verify.
type TicketTypeQuery string

const (
	TicketTypeEmailVerify        TicketTypeQuery = "emailVerify"
	TicketTypeEmailConfirmChange TicketTypeQuery = "emailConfirmChange"
	TicketTypeSigninPasswordless TicketTypeQuery = "signinPasswordless"
	TicketTypePasswordReset      TicketTypeQuery = "passwordReset"
)

// UserDeanonymizeRequestSignInMethod selects how a deanonymized user signs in.
type UserDeanonymizeRequestSignInMethod string

const (
	DeanonymizeEmailPassword UserDeanonymizeRequestSignInMethod = "email-password"
	DeanonymizePasswordless  UserDeanonymizeRequestSignInMethod = "passwordless"
)

// UserMfaRequestActiveMfaType is "totp" to activate MFA, "" to deactivate it.
type UserMfaRequestActiveMfaType string

const (
	MfaTypeTotp UserMfaRequestActiveMfaType = "totp"
	MfaTypeNone UserMfaRequestActiveMfaType = ""
)

// OKResponse is the body "OK" that many endpoints return.
type OKResponse = string

// OK is the only OKResponse value.
const OK OKResponse = "OK"

// AttestationFormat is a WebAuthn attestation statement format.
type AttestationFormat string

const (
	AttestationFormatPacked           AttestationFormat = "packed"
	AttestationFormatTPM              AttestationFormat = "tpm"
	AttestationFormatAndroidKey       AttestationFormat = "android-key"
	AttestationFormatAndroidSafetyNet AttestationFormat = "android-safetynet"
	AttestationFormatFidoU2F          AttestationFormat = "fido-u2f"
	AttestationFormatApple            AttestationFormat = "apple"
	AttestationFormatNone             AttestationFormat = "none"
)

// AuthenticatorAttachment is the WebAuthn authenticator attachment modality.
type AuthenticatorAttachment string

const (
	AttachmentPlatform      AuthenticatorAttachment = "platform"
	AttachmentCrossPlatform AuthenticatorAttachment = "cross-platform"
)

// AuthenticatorTransport is a WebAuthn transport hint.
type AuthenticatorTransport string

const (
	TransportUSB       AuthenticatorTransport = "usb"
	TransportNFC       AuthenticatorTransport = "nfc"
	TransportBLE       AuthenticatorTransport = "ble"
	TransportSmartCard AuthenticatorTransport = "smart-card"
	TransportHybrid    AuthenticatorTransport = "hybrid"
	TransportInternal  AuthenticatorTransport = "internal"
)

// ConveyancePreference is the WebAuthn attestation conveyance preference.
type ConveyancePreference string

const (
	ConveyanceNone       ConveyancePreference = "none"
	ConveyanceIndirect   ConveyancePreference = "indirect"
	ConveyanceDirect     ConveyancePreference = "direct"
	ConveyanceEnterprise ConveyancePreference = "enterprise"
)

// CredentialType is always "public-key".
type CredentialType string

// CredentialTypePublicKey is the only CredentialType.
const CredentialTypePublicKey CredentialType = "public-key"

// PublicKeyCredentialHints guides the browser's WebAuthn UI.
type PublicKeyCredentialHints string

const (
	HintSecurityKey  PublicKeyCredentialHints = "security-key"
	HintClientDevice PublicKeyCredentialHints = "client-device"
	HintHybrid       PublicKeyCredentialHints = "hybrid"
)

// ResidentKeyRequirement is the WebAuthn resident key requirement.
type ResidentKeyRequirement string

const (
	ResidentKeyDiscouraged ResidentKeyRequirement = "discouraged"
	ResidentKeyPreferred   ResidentKeyRequirement = "preferred"
	ResidentKeyRequired    ResidentKeyRequirement = "required"
)

// UserVerificationRequirement is the WebAuthn user verification requirement.
type UserVerificationRequirement string

const (
	UserVerificationRequired    UserVerificationRequirement = "required"
	UserVerificationPreferred   UserVerificationRequirement = "preferred"
	UserVerificationDiscouraged UserVerificationRequirement = "discouraged"
)

// URLEncodedBase64 is base64url-encoded binary data.
type URLEncodedBase64 = string

// RedirectToQuery is the target URL of a redirect.
type RedirectToQuery = string

// TicketQuery is a ticket such as "verifyEmail:<uuid>".
type TicketQuery = string

// OAuth2TokenRequestGrantType is the grant of an OAuth2 token request.
type OAuth2TokenRequestGrantType string

const (
	GrantAuthorizationCode OAuth2TokenRequestGrantType = "authorization_code"
	GrantRefreshToken      OAuth2TokenRequestGrantType = "refresh_token"
)

// OAuth2TokenTypeHint says which kind of token is revoked or introspected.
type OAuth2TokenTypeHint string

const (
	TokenTypeHintAccessToken  OAuth2TokenTypeHint = "access_token"
	TokenTypeHintRefreshToken OAuth2TokenTypeHint = "refresh_token"
)

// CodeChallengeMethod is the PKCE method; the server supports only S256.
type CodeChallengeMethod string

// CodeChallengeS256 is the PKCE S256 method.
const CodeChallengeS256 CodeChallengeMethod = "S256"

// nhost-js's names of these enums, so that code written against its types
// compiles with ours.
type (
	OAuth2TokenRequestGrant_type           = OAuth2TokenRequestGrantType
	OAuth2RevokeRequestToken_type_hint     = OAuth2TokenTypeHint
	OAuth2IntrospectRequestToken_type_hint = OAuth2TokenTypeHint
	GetCode_challenge_method               = CodeChallengeMethod
)

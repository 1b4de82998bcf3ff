package core

import (
	"context"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// The 40 HTTP methods of the seed's Client, in its order (the 41st,
// PushChainFunction, is in client.go). Each returns the decoded body with
// status and headers, or a *FetchError.

// AddSecurityKey starts adding a WebAuthn security key (elevated bearer).
func (c *Client) AddSecurityKey(ctx context.Context, opts ...RequestOption) (*FetchResponse[PublicKeyCredentialCreationOptions], error) {
	return call[PublicKeyCredentialCreationOptions](ctx, c, opAddSecurityKey, "", nil, opts)
}

// ChangeUserEmail asks to change the user's email; a link goes to the new address.
func (c *Client) ChangeUserEmail(ctx context.Context, body UserEmailChangeRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opChangeUserEmail, &body, opts)
}

// ChangeUserMfa generates a TOTP secret and its QR code (GET /mfa/totp/generate).
func (c *Client) ChangeUserMfa(ctx context.Context, opts ...RequestOption) (*FetchResponse[TotpGenerateResponse], error) {
	return call[TotpGenerateResponse](ctx, c, opChangeUserMfa, "", nil, opts)
}

// ChangeUserPassword sets a new password, with an elevated bearer or a reset ticket.
func (c *Client) ChangeUserPassword(ctx context.Context, body UserPasswordRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opChangeUserPassword, &body, opts)
}

// CreatePAT creates a personal access token.
func (c *Client) CreatePAT(ctx context.Context, body CreatePATRequest, opts ...RequestOption) (*FetchResponse[CreatePATResponse], error) {
	return call[CreatePATResponse](ctx, c, opCreatePAT, "", &body, opts)
}

// DeanonymizeUser turns the signed-in anonymous user into a regular user.
func (c *Client) DeanonymizeUser(ctx context.Context, body UserDeanonymizeRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opDeanonymizeUser, &body, opts)
}

// ElevateWebauthn starts a WebAuthn elevation of the signed-in user.
func (c *Client) ElevateWebauthn(ctx context.Context, opts ...RequestOption) (*FetchResponse[PublicKeyCredentialRequestOptions], error) {
	return call[PublicKeyCredentialRequestOptions](ctx, c, opElevateWebauthn, "", nil, opts)
}

// GetJWKs returns the public keys that sign access tokens.
func (c *Client) GetJWKs(ctx context.Context, opts ...RequestOption) (*FetchResponse[JWKSet], error) {
	return call[JWKSet](ctx, c, opGetJWKs, "", nil, opts)
}

// GetProviderTokens returns (once) the provider's tokens after an OAuth callback.
func (c *Client) GetProviderTokens(ctx context.Context, provider SignInProvider, opts ...RequestOption) (*FetchResponse[ProviderSession], error) {
	return call[ProviderSession](ctx, c, opGetProviderTokens, provider, nil, opts)
}

// GetUser returns the signed-in user's profile.
func (c *Client) GetUser(ctx context.Context, opts ...RequestOption) (*FetchResponse[User], error) {
	return call[User](ctx, c, opGetUser, "", nil, opts)
}

// GetVersion returns the server's version.
func (c *Client) GetVersion(ctx context.Context, opts ...RequestOption) (*FetchResponse[GetVersionResponse200], error) {
	return call[GetVersionResponse200](ctx, c, opGetVersion, "", nil, opts)
}

// HealthCheckGet checks the service with GET /healthz.
func (c *Client) HealthCheckGet(ctx context.Context, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opHealthCheckGet, nil, opts)
}

// HealthCheckHead checks the service with HEAD /healthz.
func (c *Client) HealthCheckHead(ctx context.Context, opts ...RequestOption) (*FetchResponse[struct{}], error) {
	return callVoid(ctx, c, opHealthCheckHead, opts)
}

// LinkIdToken links a provider account to the signed-in user with an ID token.
func (c *Client) LinkIdToken(ctx context.Context, body LinkIdTokenRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opLinkIdToken, &body, opts)
}

// RefreshProviderToken refreshes an OAuth2 provider's access token.
func (c *Client) RefreshProviderToken(ctx context.Context, provider SignInProvider, body RefreshProviderTokenRequest, opts ...RequestOption) (*FetchResponse[ProviderSession], error) {
	return call[ProviderSession](ctx, c, opRefreshProviderToken, provider, &body, opts)
}

// RefreshToken exchanges a refresh token (single use) for a new session.
func (c *Client) RefreshToken(ctx context.Context, body RefreshTokenRequest, opts ...RequestOption) (*FetchResponse[Session], error) {
	return call[Session](ctx, c, opRefreshToken, "", &body, opts)
}

// SendPasswordResetEmail emails a password reset link.
func (c *Client) SendPasswordResetEmail(ctx context.Context, body UserPasswordResetRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opSendPasswordResetEmail, &body, opts)
}

// SendVerificationEmail emails an address verification link.
func (c *Client) SendVerificationEmail(ctx context.Context, body UserEmailSendVerificationEmailRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opSendVerificationEmail, &body, opts)
}

// SignInAnonymous creates an anonymous user; body may be nil.
func (c *Client) SignInAnonymous(ctx context.Context, body *SignInAnonymousRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opSignInAnonymous, "", optional(body), opts)
}

// SignInEmailPassword signs in; the result holds a session or an MFA ticket.
func (c *Client) SignInEmailPassword(ctx context.Context, body SignInEmailPasswordRequest, opts ...RequestOption) (*FetchResponse[SignInEmailPasswordResponse], error) {
	return call[SignInEmailPasswordResponse](ctx, c, opSignInEmailPassword, "", &body, opts)
}

// SignInIdToken signs in with an Apple or Google ID token.
func (c *Client) SignInIdToken(ctx context.Context, body SignInIdTokenRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opSignInIdToken, "", &body, opts)
}

// SignInOTPEmail emails a one-time password.
func (c *Client) SignInOTPEmail(ctx context.Context, body SignInOTPEmailRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opSignInOTPEmail, &body, opts)
}

// SignInPasswordlessEmail emails a magic link.
func (c *Client) SignInPasswordlessEmail(ctx context.Context, body SignInPasswordlessEmailRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opSignInPasswordlessEmail, &body, opts)
}

// SignInPasswordlessSms texts a one-time password.
func (c *Client) SignInPasswordlessSms(ctx context.Context, body SignInPasswordlessSmsRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opSignInPasswordlessSms, &body, opts)
}

// SignInPAT signs in with a personal access token.
func (c *Client) SignInPAT(ctx context.Context, body SignInPATRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opSignInPAT, "", &body, opts)
}

// SignInWebauthn starts a WebAuthn sign-in; body may be nil.
func (c *Client) SignInWebauthn(ctx context.Context, body *SignInWebauthnRequest, opts ...RequestOption) (*FetchResponse[PublicKeyCredentialRequestOptions], error) {
	return call[PublicKeyCredentialRequestOptions](ctx, c, opSignInWebauthn, "", optional(body), opts)
}

// SignOut ends the session of a refresh token, or all sessions with All and a bearer.
func (c *Client) SignOut(ctx context.Context, body SignOutRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opSignOut, &body, opts)
}

// SignUpEmailPassword registers a user; the session is absent when email
// verification is required.
func (c *Client) SignUpEmailPassword(ctx context.Context, body SignUpEmailPasswordRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opSignUpEmailPassword, "", &body, opts)
}

// SignUpWebauthn starts a WebAuthn sign-up.
func (c *Client) SignUpWebauthn(ctx context.Context, body SignUpWebauthnRequest, opts ...RequestOption) (*FetchResponse[PublicKeyCredentialCreationOptions], error) {
	return call[PublicKeyCredentialCreationOptions](ctx, c, opSignUpWebauthn, "", &body, opts)
}

// VerifyAddSecurityKey completes adding a security key.
func (c *Client) VerifyAddSecurityKey(ctx context.Context, body VerifyAddSecurityKeyRequest, opts ...RequestOption) (*FetchResponse[VerifyAddSecurityKeyResponse], error) {
	return call[VerifyAddSecurityKeyResponse](ctx, c, opVerifyAddSecurityKey, "", &body, opts)
}

// VerifyChangeUserMfa activates ("totp") or deactivates ("") TOTP MFA.
func (c *Client) VerifyChangeUserMfa(ctx context.Context, body UserMfaRequest, opts ...RequestOption) (*FetchResponse[OKResponse], error) {
	return callString(ctx, c, opVerifyChangeUserMfa, &body, opts)
}

// VerifyElevateWebauthn completes an elevation; the new session's token is elevated.
func (c *Client) VerifyElevateWebauthn(ctx context.Context, body SignInWebauthnVerifyRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opVerifyElevateWebauthn, "", &body, opts)
}

// VerifySignInMfaTotp completes an MFA sign-in with a TOTP code.
func (c *Client) VerifySignInMfaTotp(ctx context.Context, body SignInMfaTotpRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opVerifySignInMfaTotp, "", &body, opts)
}

// VerifySignInOTPEmail completes an email OTP sign-in.
func (c *Client) VerifySignInOTPEmail(ctx context.Context, body SignInOTPEmailVerifyRequest, opts ...RequestOption) (*FetchResponse[SignInOTPEmailVerifyResponse], error) {
	return call[SignInOTPEmailVerifyResponse](ctx, c, opVerifySignInOTPEmail, "", &body, opts)
}

// VerifySignInPasswordlessSms completes an SMS sign-in.
func (c *Client) VerifySignInPasswordlessSms(ctx context.Context, body SignInPasswordlessSmsOtpRequest, opts ...RequestOption) (*FetchResponse[SignInPasswordlessSmsOtpResponse], error) {
	return call[SignInPasswordlessSmsOtpResponse](ctx, c, opVerifySignInPasswordlessSms, "", &body, opts)
}

// VerifySignInWebauthn completes a WebAuthn sign-in.
func (c *Client) VerifySignInWebauthn(ctx context.Context, body SignInWebauthnVerifyRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opVerifySignInWebauthn, "", &body, opts)
}

// VerifySignUpWebauthn completes a WebAuthn sign-up.
func (c *Client) VerifySignUpWebauthn(ctx context.Context, body SignUpWebauthnVerifyRequest, opts ...RequestOption) (*FetchResponse[SessionPayload], error) {
	return call[SessionPayload](ctx, c, opVerifySignUpWebauthn, "", &body, opts)
}

// VerifyToken checks an access token: body.Token if given, else the
// Authorization header. body may be nil.
func (c *Client) VerifyToken(ctx context.Context, body *VerifyTokenRequest, opts ...RequestOption) (*FetchResponse[string], error) {
	return callString(ctx, c, opVerifyToken, optional(body), opts)
}

// optional turns a nil pointer into a nil interface, so no body is sent.
func optional[T any, PT interface {
	*T
	codec.Marshaler
}](body PT) codec.Marshaler {
	if body == nil {
		return nil
	}
	return body
}

import type { ChainFunction, FetchResponse } from './fetch.js';
import type {
  CreatePATRequest,
  CreatePATResponse,
  GetVersionResponse200,
  JWKSet,
  LinkIdTokenRequest,
  OKResponse,
  ProviderSession,
  PublicKeyCredentialCreationOptions,
  PublicKeyCredentialRequestOptions,
  RefreshProviderTokenRequest,
  RefreshTokenRequest,
  Session,
  SessionPayload,
  SignInAnonymousRequest,
  SignInEmailPasswordRequest,
  SignInEmailPasswordResponse,
  SignInIdTokenRequest,
  SignInMfaTotpRequest,
  SignInOTPEmailRequest,
  SignInOTPEmailVerifyRequest,
  SignInOTPEmailVerifyResponse,
  SignInPATRequest,
  SignInPasswordlessEmailRequest,
  SignInPasswordlessSmsOtpRequest,
  SignInPasswordlessSmsOtpResponse,
  SignInPasswordlessSmsRequest,
  SignInProvider,
  SignInProviderParams,
  SignInWebauthnRequest,
  SignInWebauthnVerifyRequest,
  SignOutRequest,
  SignUpEmailPasswordRequest,
  SignUpWebauthnRequest,
  SignUpWebauthnVerifyRequest,
  TotpGenerateResponse,
  User,
  UserDeanonymizeRequest,
  UserEmailChangeRequest,
  UserEmailSendVerificationEmailRequest,
  UserMfaRequest,
  UserPasswordRequest,
  UserPasswordResetRequest,
  VerifyAddSecurityKeyRequest,
  VerifyAddSecurityKeyResponse,
  VerifyTicketParams,
  VerifyTokenRequest,
} from './types.js';

export * from './types.js';
export { FetchError } from './fetch.js';
export type { ChainFunction, FetchFunction, FetchResponse } from './fetch.js';

/** The raw Auth API client: every method of @nhost/nhost-js/auth's Client. */
export interface Client {
  baseURL: string;
  /** Adds a middleware; it runs inside those pushed before it, next to the network. */
  pushChainFunction(chainFunction: ChainFunction): void;
  /** Builds the URL that starts an OAuth2 sign-in (no request is made). */
  signInProviderURL(provider: SignInProvider, params?: SignInProviderParams, options?: RequestInit): string;
  /** Builds the URL of an emailed ticket (no request is made). */
  verifyTicketURL(params?: VerifyTicketParams, options?: RequestInit): string;
  addSecurityKey(options?: RequestInit): Promise<FetchResponse<PublicKeyCredentialCreationOptions>>;
  changeUserEmail(body: UserEmailChangeRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  changeUserMfa(options?: RequestInit): Promise<FetchResponse<TotpGenerateResponse>>;
  changeUserPassword(body: UserPasswordRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  createPAT(body: CreatePATRequest, options?: RequestInit): Promise<FetchResponse<CreatePATResponse>>;
  deanonymizeUser(body: UserDeanonymizeRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  elevateWebauthn(options?: RequestInit): Promise<FetchResponse<PublicKeyCredentialRequestOptions>>;
  getJWKs(options?: RequestInit): Promise<FetchResponse<JWKSet>>;
  getProviderTokens(provider: SignInProvider, options?: RequestInit): Promise<FetchResponse<ProviderSession>>;
  getUser(options?: RequestInit): Promise<FetchResponse<User>>;
  getVersion(options?: RequestInit): Promise<FetchResponse<GetVersionResponse200>>;
  healthCheckGet(options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  healthCheckHead(options?: RequestInit): Promise<FetchResponse<void>>;
  linkIdToken(body: LinkIdTokenRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  refreshProviderToken(provider: SignInProvider, body: RefreshProviderTokenRequest, options?: RequestInit): Promise<FetchResponse<ProviderSession>>;
  refreshToken(body: RefreshTokenRequest, options?: RequestInit): Promise<FetchResponse<Session>>;
  sendPasswordResetEmail(body: UserPasswordResetRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  sendVerificationEmail(body: UserEmailSendVerificationEmailRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  signInAnonymous(body?: SignInAnonymousRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  signInEmailPassword(body: SignInEmailPasswordRequest, options?: RequestInit): Promise<FetchResponse<SignInEmailPasswordResponse>>;
  signInIdToken(body: SignInIdTokenRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  signInOTPEmail(body: SignInOTPEmailRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  signInPasswordlessEmail(body: SignInPasswordlessEmailRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  signInPasswordlessSms(body: SignInPasswordlessSmsRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  signInPAT(body: SignInPATRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  signInWebauthn(body?: SignInWebauthnRequest, options?: RequestInit): Promise<FetchResponse<PublicKeyCredentialRequestOptions>>;
  signOut(body: SignOutRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  signUpEmailPassword(body: SignUpEmailPasswordRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  signUpWebauthn(body: SignUpWebauthnRequest, options?: RequestInit): Promise<FetchResponse<PublicKeyCredentialCreationOptions>>;
  verifyAddSecurityKey(body: VerifyAddSecurityKeyRequest, options?: RequestInit): Promise<FetchResponse<VerifyAddSecurityKeyResponse>>;
  verifyChangeUserMfa(body: UserMfaRequest, options?: RequestInit): Promise<FetchResponse<OKResponse>>;
  verifyElevateWebauthn(body: SignInWebauthnVerifyRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  verifySignInMfaTotp(body: SignInMfaTotpRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  verifySignInOTPEmail(body: SignInOTPEmailVerifyRequest, options?: RequestInit): Promise<FetchResponse<SignInOTPEmailVerifyResponse>>;
  verifySignInPasswordlessSms(body: SignInPasswordlessSmsOtpRequest, options?: RequestInit): Promise<FetchResponse<SignInPasswordlessSmsOtpResponse>>;
  verifySignInWebauthn(body: SignInWebauthnVerifyRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  verifySignUpWebauthn(body: SignUpWebauthnVerifyRequest, options?: RequestInit): Promise<FetchResponse<SessionPayload>>;
  verifyToken(body?: VerifyTokenRequest, options?: RequestInit): Promise<FetchResponse<string>>;
}

/** Creates the raw client for an Auth URL, with optional chain functions. */
export function createAPIClient(baseURL: string, chainFunctions?: ChainFunction[]): Client;
export { createAPIClient as createClient };

/** The names of the request methods. */
export const METHOD_NAMES: readonly string[];

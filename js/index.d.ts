import type { Client } from './auth.js';
import type { SessionStorage, SessionStorageBackend, StoredSession } from './session.js';
import type {
  Session, SessionPayload, SignInProvider, SignInProviderParams, SignUpOptions, SignUpProviderParams,
  VerifyAddSecurityKeyResponse,
} from './types.js';
import type { AdminSessionOptions, ChainFunction, FetchError, FetchFunction, FetchResponse } from './fetch.js';

export * from './session.js';
export { FetchError, createEnhancedFetch } from './fetch.js';
export type { ChainFunction, FetchFunction, FetchResponse } from './fetch.js';
export { createAPIClient } from './auth.js';
export type { Client } from './auth.js';

export interface NhostClientOptions {
  /** Project subdomain: the Auth URL is https://{subdomain}.auth.{region}.nhost.run/v1. */
  subdomain?: string;
  region?: string;
  /** The Auth URL, overriding subdomain and region. */
  authUrl?: string;
  /** The GraphQL URL (default from subdomain and region): nhost.fetch attaches the token to its origin. */
  graphqlUrl?: string;
  /** The Storage URL (default from subdomain and region). */
  storageUrl?: string;
  /** The Functions URL (default from subdomain and region). */
  functionsUrl?: string;
  /** Configuration functions, run on the clients once they exist (after the session middleware). */
  configure?: ClientConfigurationFn[];
  /** Where the session lives: localStorage in a browser, memory elsewhere by default. */
  storage?: SessionStorageBackend;
  /** Where auth.wasm is served from (default: beside this module). */
  wasmURL?: string | URL;
  /** auth.wasm already compiled (e.g. by a bundler's wasm import); then nothing is downloaded. */
  wasmModule?: WebAssembly.Module;
  /**
   * Seconds before expiry at which the access token is renewed, before
   * requests and by the timer (default 60; capped at half the token's lifetime).
   */
  refreshMargin?: number;
  /**
   * Seconds after which a refresh request that got no answer is given up
   * (default 15); requests waiting for it then go on.
   */
  refreshTimeout?: number;
  /**
   * Renew the token on a timer while the page is open, and when it becomes
   * visible again or comes back online (default true).
   */
  autoRefresh?: boolean;
  /**
   * Handle a sign-in redirect in the page's URL (default true in a browser):
   * `refreshToken` (a magic link, a provider sign-in), or the `code` of a
   * PKCE flow this SDK started (startPKCEFlow, signInWithProvider), is
   * exchanged for the session, or `error`/`errorDescription` reported, and
   * those parameters are removed from the address bar at once. See
   * NhostClient.authRedirect.
   */
  handleRedirect?: boolean;
}

/** The outcome of a sign-in redirect that brought the user to the page. */
export type AuthRedirect =
  | { kind: 'none' }
  | { kind: 'signedIn'; type: string | null; session: Session }
  | { kind: 'error'; type: string | null; error: FetchError };

/** What changed in the session. */
export type AuthChangeEvent = 'SIGNED_IN' | 'SIGNED_OUT' | 'TOKEN_REFRESHED' | 'USER_UPDATED';
export const AuthChangeEvent: {
  readonly SIGNED_IN: 'SIGNED_IN';
  readonly SIGNED_OUT: 'SIGNED_OUT';
  readonly TOKEN_REFRESHED: 'TOKEN_REFRESHED';
  readonly USER_UPDATED: 'USER_UPDATED';
};

/** What a PKCE flow sends: pass both to a method that takes a codeChallenge. */
export interface PKCEFlow {
  codeChallenge: string;
  /** The redirect target, marked with the flow (the nhostFlow parameter). */
  redirectTo: string;
}

/** Why a passkey ceremony did not complete (server errors stay FetchError). */
export type WebAuthnErrorCode =
  | 'aborted' | 'cancelled' | 'invalid-rp-id' | 'already-registered' | 'no-discoverable-credentials'
  | 'user-verification-unavailable' | 'unsupported-algorithm' | 'not-supported' | 'timeout'
  | 'invalid-options' | 'unknown';

export class WebAuthnError extends Error {
  readonly name: 'WebAuthnError';
  readonly code: WebAuthnErrorCode;
  /** The browser's DOMException, when there is one. */
  readonly cause?: unknown;
}

/**
 * Passkeys done by the SDK: each call runs the whole ceremony (options,
 * navigator.credentials, verification) and resolves as the raw verify call
 * does; a session it brings is stored. One ceremony at a time: a new one
 * aborts the one pending.
 */
export interface Passkeys {
  isSupported(): boolean;
  /** PublicKeyCredential.getClientCapabilities() where it exists, else the older checks. */
  capabilities(): Promise<{ supported: boolean; [capability: string]: boolean }>;
  signUp(args: { email: string; nickname?: string; options?: SignUpOptions }): Promise<FetchResponse<SessionPayload>>;
  /** With an email, that account's keys; without, any passkey the authenticator holds. */
  signIn(args?: { email?: string; signal?: AbortSignal }): Promise<FetchResponse<SessionPayload>>;
  /**
   * Offers passkeys in autofill (an input with autocomplete="username webauthn"):
   * the sign-in when one is picked, null when aborted; call again to re-arm.
   */
  autofill(args?: { signal?: AbortSignal }): Promise<FetchResponse<SessionPayload> | null>;
  add(args?: { nickname?: string }): Promise<FetchResponse<VerifyAddSecurityKeyResponse>>;
  /** The session then carries the elevated claim. */
  elevate(): Promise<FetchResponse<SessionPayload>>;
  /** Tells the browser's passkey manager the account's current names (the SDK calls it when they change). */
  userChanged(user: { id: string; email?: string; displayName?: string } | null): void;
  /** Conditional create after a password sign-in; null where unsupported, declined or unanswered after timeout seconds (30). */
  upgrade(args?: { nickname?: string; signal?: AbortSignal; timeout?: number }): Promise<FetchResponse<VerifyAddSecurityKeyResponse> | null>;
}

/** The SDK's own flows, beside nhost-js's members. */
export interface AuthFlows {
  passkeys: Passkeys;
  /**
   * Starts a PKCE flow: a verifier kept in its own slot (localStorage),
   * and what to send with it. The page the user comes back to (redirectTo,
   * default: this page) exchanges the code on load.
   */
  startPKCEFlow(redirectTo?: string): Promise<PKCEFlow>;
  /**
   * Goes to a provider's sign-in (sign-up with signUp: true) with PKCE and
   * returns its URL; with navigate: false it only returns the URL.
   */
  signInWithProvider(
    provider: SignInProvider,
    params?: Omit<SignInProviderParams & SignUpProviderParams, 'codeChallenge'>,
    options?: { signUp?: boolean; navigate?: boolean },
  ): Promise<string>;
}

/**
 * A GraphQL, Storage or Functions client. With 'nhost-auth-wasm/nhost-js'
 * (and @nhost/nhost-js installed) it is nhost-js's own, typed as there;
 * from this entry, a stand-in whose members explain how to get it.
 */
export type NhostServiceClient = any;

/** What a configuration function receives: every client, and the session storage. */
export interface NhostClients {
  auth: Client & AuthFlows;
  storage: NhostServiceClient;
  graphql: NhostServiceClient;
  functions: NhostServiceClient;
  sessionStorage: SessionStorage;
}

/** A configuration function (options.configure): adds chain functions and the like. */
export type ClientConfigurationFn = (clients: NhostClients) => void;

/** Refresh before requests, store sessions from responses, attach the token (createClient applies it). */
export const withClientSideSessionMiddleware: ClientConfigurationFn;
/** Store sessions from responses and attach the token, never refresh (createServerClient applies it). */
export const withServerSideSessionMiddleware: ClientConfigurationFn;
/** Admin access for storage, graphql and functions: server code only. */
export function withAdminSession(adminSession: AdminSessionOptions): ClientConfigurationFn;
/** Chain functions for every client. */
export function withChainFunctions(chainFunctions: ChainFunction[]): ClientConfigurationFn;

/** The client of @nhost/nhost-js: auth, the services, and the session. */
export class NhostClient {
  constructor(auth: Client & AuthFlows, storage: NhostServiceClient, graphql: NhostServiceClient, functions: NhostServiceClient, sessionStorage: SessionStorage);
  auth: Client & AuthFlows;
  storage: NhostServiceClient;
  graphql: NhostServiceClient;
  functions: NhostServiceClient;
  sessionStorage: SessionStorage;
  /** Settles (never rejects) once a sign-in redirect in the URL was handled. */
  authRedirect: Promise<AuthRedirect>;
  /** The stored session, or null; correct immediately, before auth.wasm loads. */
  getUserSession(): StoredSession | null;
  /** Refreshes when the token expires within marginSeconds (always for 0); null when signed out. */
  refreshSession(marginSeconds?: number): Promise<StoredSession | null>;
  /** Forgets the session locally. */
  clearSession(): void;
  /**
   * fetch with the access token (refreshed first when due) on requests to
   * the GraphQL, Storage and Functions origins configured, never others:
   * for Apollo, urql or any client of those services.
   */
  fetch: FetchFunction;
  /** The same as a chain function, for clients that take chain functions. */
  chainFunction: ChainFunction;
  /**
   * Calls callback on real changes of the session, made in this tab or
   * another one sharing the storage; session is null for SIGNED_OUT.
   * Returns a function that unsubscribes.
   */
  onAuthStateChange(callback: (event: AuthChangeEvent, session: StoredSession | null) => void): () => void;
  /** Stops the refresh timer and cross-tab listening, and frees the client in auth.wasm. */
  dispose(): void;
}

export function createClient(options?: NhostClientOptions): NhostClient;

export interface NhostServerClientOptions extends NhostClientOptions {
  /** Where the session lives for this request, e.g. the request's cookie (written back to the response). */
  storage: SessionStorageBackend;
}

/**
 * A client for one server request (SSR, route handlers, middleware): the
 * session comes from `storage`, responses update it and the token is
 * attached, but requests never refresh it first and no timer runs.
 */
export function createServerClient(options: NhostServerClientOptions): NhostClient;

/** nhost-js's createNhostClient: the clients, configured by options.configure only. */
export function createNhostClient(options?: NhostClientOptions): NhostClient;

/** A service's base URL: customUrl, else https://{subdomain}.{serviceType}.{region}.nhost.run/v1. */
export function generateServiceUrl(serviceType: 'auth' | 'storage' | 'graphql' | 'functions', subdomain?: string, region?: string, customUrl?: string): string;

/** The Auth URL nhost-js derives from these options. */
export function authURL(options?: Pick<NhostClientOptions, 'subdomain' | 'region' | 'authUrl'>): string;

export { loadWasm, preload, VERSION, defaultWasmURL, type WasmSource } from './loader.js';

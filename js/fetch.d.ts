/** A fetch-like function: what chain functions wrap. */
export type FetchFunction = (url: string, options?: RequestInit) => Promise<Response>;

/** Middleware: takes the next fetch and returns a fetch that wraps it. */
export type ChainFunction = (next: FetchFunction) => FetchFunction;

/** A successful result: parsed body, status and the response's Headers. */
export interface FetchResponse<T> {
  body: T;
  status: number;
  headers: Headers;
}

/**
 * Thrown for any status >= 300 and for requests that got no response
 * (status 0; `cause` then holds the original error, such as an AbortError).
 * `message` follows nhost-js: a string body, body.message, body.error, …
 */
export class FetchError<T = any> extends Error {
  body: T;
  status: number;
  headers: Headers;
  constructor(body: T, status: number, headers: Headers | HeadersInit | undefined, options?: ErrorOptions);
}

/** nhost-js's rule for the message of an error body. */
export function extractMessage(body: unknown): string;

/** Composes chain functions over fetch; the first is the outermost. */
export function createEnhancedFetch(chainFunctions?: ChainFunction[], base?: FetchFunction): FetchFunction;

import type { Client } from './auth.js';
import type { SessionStorage } from './session.js';

/** Adds Authorization: Bearer <access token> from storage, unless the request has one. */
export function attachAccessTokenMiddleware(storage: SessionStorage): ChainFunction;

/**
 * Refreshes the session before each request when it expires within
 * marginSeconds (60). With a client of createClient, its session engine
 * refreshes (one at a time, across tabs).
 */
export function sessionRefreshMiddleware(auth: Client, storage: SessionStorage, options?: { marginSeconds?: number }): ChainFunction;

/** Stores the session of sign-in, sign-up and token responses; removes it on sign-out. */
export function updateSessionFromResponseMiddleware(storage: SessionStorage): ChainFunction;

/** Hasura admin access: never in code that runs in a browser. */
export interface AdminSessionOptions {
  /** Sent as x-hasura-admin-secret. */
  adminSecret: string;
  /** Sent as x-hasura-role. */
  role?: string;
  /** Each sent as x-hasura-<name> (the prefix added when missing). */
  sessionVariables?: Record<string, string>;
}

/** The admin secret, role and session variables as headers, each unless the request sets it. */
export function withAdminSessionMiddleware(options: AdminSessionOptions): ChainFunction;

/** Default headers, each unless the request sets it. */
export function withHeadersMiddleware(defaultHeaders: HeadersInit): ChainFunction;

/** x-hasura-role, unless the request sets it. */
export function withRoleMiddleware(role: string): ChainFunction;

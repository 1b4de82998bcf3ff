import type { Client } from './auth.js';
import type { SessionStorage, SessionStorageBackend, StoredSession } from './session.js';

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
  /** Where the session lives: localStorage in a browser, memory elsewhere by default. */
  storage?: SessionStorageBackend;
  /** Where auth.wasm is served from (default: beside this module). */
  wasmURL?: string | URL;
}

/** The auth part of @nhost/nhost-js's client. */
export interface NhostClient {
  auth: Client;
  sessionStorage: SessionStorage;
  /** The stored session, or null; correct immediately, before auth.wasm loads. */
  getUserSession(): StoredSession | null;
  /** Refreshes when the token expires within marginSeconds (always for 0); null when signed out. */
  refreshSession(marginSeconds?: number): Promise<StoredSession | null>;
  /** Forgets the session locally. */
  clearSession(): void;
}

export function createClient(options?: NhostClientOptions): NhostClient;

/** The Auth URL nhost-js derives from these options. */
export function authURL(options?: Pick<NhostClientOptions, 'subdomain' | 'region' | 'authUrl'>): string;

/** Starts loading auth.wasm ahead of the first client (optional). */
export function preload(wasmURL?: string | URL): Promise<unknown>;
/** Loads auth.wasm (once per URL). */
export function loadWasm(wasmURL?: string | URL): Promise<unknown>;

import type { Session as AuthSession } from './types.js';

/** An access token's payload with exp/iat in milliseconds and Hasura claims' Postgres arrays as arrays. */
export interface DecodedToken {
  exp?: number;
  iat?: number;
  iss?: string;
  sub?: string;
  'https://hasura.io/jwt/claims'?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The stored session: the API's Session plus its decoded token. */
export interface StoredSession extends AuthSession {
  decodedToken: DecodedToken;
}
/** @deprecated use StoredSession (as nhost-js). */
export type Session = StoredSession;

/** Where the session is kept. Any object with these three methods will do. */
export interface SessionStorageBackend {
  get(): StoredSession | null;
  set(value: StoredSession): void;
  remove(): void;
}

export const DEFAULT_SESSION_KEY: 'nhostSession';

export class LocalStorage implements SessionStorageBackend {
  constructor(options?: { storageKey?: string });
  get(): StoredSession | null;
  set(value: StoredSession): void;
  remove(): void;
}

export class MemoryStorage implements SessionStorageBackend {
  get(): StoredSession | null;
  set(value: StoredSession): void;
  remove(): void;
}

export class CookieStorage implements SessionStorageBackend {
  constructor(options?: { cookieName?: string; expirationDays?: number; secure?: boolean; sameSite?: 'strict' | 'lax' | 'none' });
  get(): StoredSession | null;
  set(value: StoredSession): void;
  remove(): void;
}

export type SessionChangeCallback = (session: StoredSession | null) => void;

/** Wraps a backend; a corrupt or foreign stored value reads as null (and is removed). */
export class SessionStorage {
  constructor(backend: SessionStorageBackend);
  readonly backend: SessionStorageBackend;
  get(): StoredSession | null;
  set(value: AuthSession): void;
  remove(): void;
  onChange(callback: SessionChangeCallback): () => void;
  notify(session: StoredSession | null): void;
}

export function decodeUserSession(accessToken: string): DecodedToken;
export function detectStorage(): SessionStorageBackend;

/**
 * The session in storage, refreshed with auth when it expires within
 * marginSeconds (60; always for 0); null when there is none or the refresh
 * token is refused (the session is then removed). With a client of
 * createClient, its session engine does the refresh.
 */
export function refreshSession(
  auth: { refreshToken(body: { refreshToken: string }): Promise<{ body: AuthSession }> },
  storage: SessionStorage,
  marginSeconds?: number,
): Promise<StoredSession | null>;

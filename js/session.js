// Session storage backends and the session wrapper, with nhost-js's API and
// stored shape: a user switching SDKs stays signed in.

import { hasType } from './check.js';

/** Key (localStorage) and cookie name of the stored session. */
export const DEFAULT_SESSION_KEY = 'nhostSession';

function decodeBase64Url(input) {
  let b64 = input.replace(/-/g, '+').replace(/_/g, '/');
  const pad = b64.length % 4;
  if (pad) b64 += '='.repeat(4 - pad);
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function parsePostgresArray(value) {
  if (!value || value === '{}') return [];
  return value.slice(1, -1).split(',').map((item) => item.trim().replace(/^"(.*)"$/, '$1'));
}

/** Decodes an access token's payload (no signature check) as nhost-js stores it. */
export function decodeUserSession(accessToken) {
  const parts = String(accessToken).split('.');
  if (parts.length !== 3 || !parts[1]) throw new Error('Invalid access token format');
  const payload = JSON.parse(decodeBase64Url(parts[1]));
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error('Invalid access token payload');
  }
  const iat = typeof payload.iat === 'number' ? payload.iat * 1000 : undefined;
  const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  const claims = payload['https://hasura.io/jwt/claims'];
  let processed;
  if (claims && typeof claims === 'object') {
    processed = {};
    for (const [k, v] of Object.entries(claims)) {
      processed[k] = typeof v === 'string' && v.startsWith('{') && v.endsWith('}') ? parsePostgresArray(v) : v;
    }
  }
  return { ...payload, iat, exp, 'https://hasura.io/jwt/claims': processed };
}

/**
 * Whether a stored value is a usable session (not corrupt, not foreign):
 * an object whose fields have the wire types of a Session, with both
 * tokens. core.ParseStoredSession applies the same rule in auth.wasm (with
 * the token's decoding, which the caller here does once per new token);
 * core/testdata/stored-sessions.json holds both sides to it.
 */
export function isSession(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) &&
    typeof v.accessToken === 'string' && typeof v.refreshToken === 'string' && v.refreshToken !== '' &&
    v.accessToken !== '' && hasType(v, 'Session');
}

function decodes(accessToken) {
  try {
    decodeUserSession(accessToken);
    return true;
  } catch {
    return false;
  }
}

/** Browser localStorage (the default in browsers). */
export class LocalStorage {
  constructor(options) {
    this.storageKey = options?.storageKey || DEFAULT_SESSION_KEY;
  }
  get() {
    try {
      const value = globalThis.localStorage.getItem(this.storageKey);
      return value ? JSON.parse(value) : null;
    } catch {
      this.remove();
      return null;
    }
  }
  set(value) {
    globalThis.localStorage.setItem(this.storageKey, JSON.stringify(value));
  }
  /** The stored text as it is (SessionStorage reads it again only when it changed). */
  raw() {
    return globalThis.localStorage.getItem(this.storageKey);
  }
  remove() {
    try {
      globalThis.localStorage.removeItem(this.storageKey);
    } catch {
      // storage unavailable (private mode, sandboxed frame): nothing to remove
    }
  }
}

/** In-memory storage (the default outside browsers). */
export class MemoryStorage {
  constructor() {
    this.session = null;
  }
  get() {
    return this.session;
  }
  set(value) {
    this.session = value;
  }
  remove() {
    this.session = null;
  }
}

/** A cookie, readable by the server too. */
export class CookieStorage {
  constructor(options) {
    this.cookieName = options?.cookieName || DEFAULT_SESSION_KEY;
    this.expirationDays = options?.expirationDays ?? 30;
    this.secure = options?.secure ?? true;
    this.sameSite = options?.sameSite || 'lax';
  }
  /** The cookie string as it is (SessionStorage reads it again only when it changed). */
  raw() {
    return globalThis.document.cookie;
  }
  get() {
    for (const cookie of globalThis.document.cookie.split(';')) {
      const i = cookie.indexOf('=');
      const name = cookie.slice(0, i).trim();
      if (name === this.cookieName) {
        try {
          return JSON.parse(decodeURIComponent(cookie.slice(i + 1)));
        } catch {
          this.remove();
          return null;
        }
      }
    }
    return null;
  }
  set(value) {
    const expires = new Date(Date.now() + this.expirationDays * 864e5);
    globalThis.document.cookie = `${this.cookieName}=${encodeURIComponent(JSON.stringify(value))}; expires=${expires.toUTCString()}; path=/; ${this.secure ? 'secure; ' : ''}SameSite=${this.sameSite}`;
  }
  remove() {
    globalThis.document.cookie = `${this.cookieName}=; expires=Thu, 01 Jan 1970 00:00:00 UTC; path=/; ${this.secure ? 'secure; ' : ''}SameSite=${this.sameSite}`;
  }
}

let warnedNoLocalStorage = false;

/**
 * localStorage in a browser, memory elsewhere, and memory where the
 * browser blocks localStorage (a sandboxed frame, site data turned off):
 * the session then lasts as long as the page, and a warning says why.
 */
export function detectStorage() {
  if (typeof window === 'undefined') return new MemoryStorage();
  try {
    const ls = globalThis.localStorage; // the getter throws SecurityError where it is blocked
    if (ls) return new LocalStorage();
  } catch (err) {
    if (!warnedNoLocalStorage) {
      warnedNoLocalStorage = true;
      console.warn(`nhost-auth-wasm: localStorage is not available here (${err?.name ?? err}); ` +
        'the session is kept in memory for this page only. Pass createClient({ storage }) to choose.');
    }
  }
  return new MemoryStorage();
}

function checkBackend(b) {
  if (b === null || typeof b !== 'object' || typeof b.get !== 'function' || typeof b.set !== 'function' ||
      typeof b.remove !== 'function') {
    throw new TypeError('storage must be an object with get(), set(session) and remove()');
  }
  return b;
}

/**
 * Wraps a backend: validates what it holds (a corrupt or foreign value is
 * removed and reads as signed out), adds decodedToken on set, and tells
 * subscribers about changes.
 */
export class SessionStorage {
  #backend;
  #subscribers = new Set();
  // The last access token that decoded: a stored value that has not
  // changed is not decoded again on every read.
  #decoded = null;
  // For a backend with raw(): the raw value last read and what it read
  // as, so that reading an unchanged session costs one comparison.
  #raw = undefined;
  #value = null;
  // A session the backend refused to store (quota, a throwing backend):
  // it is the session until the next change.
  #unsaved = undefined;

  constructor(backend) {
    this.#backend = checkBackend(backend);
  }

  /** The backend, for the wasm side, which reads and writes it directly. */
  get backend() {
    return this.#backend;
  }

  /** Called (internal) after set() and remove(), so that auth.wasm reads the backend again. */
  onWrite = null;

  get() {
    if (this.#unsaved !== undefined) return this.#unsaved;
    let raw;
    if (typeof this.#backend.raw === 'function') {
      try {
        raw = this.#backend.raw();
      } catch {
        raw = undefined;
      }
      if (raw !== undefined && raw === this.#raw) return this.#value;
    }
    const v = this.#read();
    if (raw !== undefined) {
      if (v === null && raw !== null) {
        // #read removed an unusable value: remember what is there now.
        try {
          raw = this.#backend.raw();
        } catch {
          raw = undefined;
        }
      }
      this.#raw = raw;
      this.#value = v;
    }
    return v;
  }

  #read() {
    let v;
    try {
      v = this.#backend.get();
    } catch {
      return null;
    }
    if (v === null || v === undefined) return null;
    if (!isSession(v) || (v.accessToken !== this.#decoded && !decodes(v.accessToken))) {
      try {
        this.#backend.remove();
      } catch {
        // a backend that cannot remove still reads as signed out
      }
      return null;
    }
    this.#decoded = v.accessToken;
    return v;
  }

  /**
   * Keeps a session the backend refused (internal: auth.wasm reports it),
   * or with undefined, goes back to reading the backend.
   */
  keepUnsaved(value) {
    this.#unsaved = value;
    this.#raw = undefined;
  }

  set(value) {
    if (!isSession(value)) throw new TypeError('set: not a session (accessToken and refreshToken are required)');
    const stored = { ...value, decodedToken: decodeUserSession(value.accessToken) };
    this.#backend.set(stored);
    this.keepUnsaved(undefined);
    this.onWrite?.();
    this.notify(stored);
  }

  remove() {
    this.#backend.remove();
    this.keepUnsaved(undefined);
    this.onWrite?.();
    this.notify(null);
  }

  onChange(callback) {
    if (typeof callback !== 'function') throw new TypeError('onChange: callback must be a function');
    this.#subscribers.add(callback);
    return () => {
      this.#subscribers.delete(callback);
    };
  }

  /** Calls every subscriber; one that throws does not stop the others. */
  notify(session) {
    for (const cb of this.#subscribers) {
      try {
        cb(session);
      } catch (err) {
        console.error('nhost-auth-wasm: session subscriber failed:', err);
      }
    }
  }
}

/** Where a client made by createClient keeps its session engine (internal). */
export const ENGINE = Symbol.for('nhost-auth-wasm.session-engine');

/**
 * refreshSession(auth, storage, marginSeconds) as nhost-js's: the session
 * in storage, refreshed with auth when it expires within marginSeconds
 * (always for 0); null when there is none or the refresh token is refused.
 * For a client of createClient this is its session engine's refresh (one
 * at a time, across tabs). For any other auth client (createAPIClient)
 * it refreshes here, as nhost-js does: under a Web Lock, retried once, the
 * session removed when the server says 401.
 */
export async function refreshSession(auth, storage, marginSeconds = 60) {
  if (typeof marginSeconds !== 'number' || !(marginSeconds >= 0)) {
    throw new TypeError('refreshSession: marginSeconds must be a number of seconds >= 0');
  }
  const engine = auth?.[ENGINE];
  if (engine) return engine(marginSeconds);
  try {
    return await refreshOnce(auth, storage, marginSeconds);
  } catch {
    try {
      return await refreshOnce(auth, storage, marginSeconds);
    } catch (err) {
      if (err?.status === 401) storage.remove();
      return null;
    }
  }
}

const locks = () => globalThis.navigator?.locks ?? { request: (_name, _opts, fn) => fn() };

function due(storage, marginSeconds) {
  const session = storage.get();
  if (!session) return { session: null };
  const exp = session.decodedToken?.exp;
  if (!exp) return { session, refresh: true, expired: true };
  const left = exp - Date.now();
  return { session, refresh: marginSeconds === 0 || left <= marginSeconds * 1000, expired: left < 0 };
}

async function refreshOnce(auth, storage, marginSeconds) {
  const first = await locks().request('nhostSessionLock', { mode: 'shared' }, async () => due(storage, marginSeconds));
  if (!first.session || !first.refresh) return first.session;
  return locks().request('nhostSessionLock', { mode: 'exclusive' }, async () => {
    const now = due(storage, marginSeconds);
    if (!now.session || !now.refresh) return now.session;
    try {
      const res = await auth.refreshToken({ refreshToken: now.session.refreshToken });
      storage.set(res.body);
      return storage.get();
    } catch (err) {
      if (!now.expired) return now.session; // still good for a while
      throw err;
    }
  });
}

// The main entry: createClient({subdomain, region, authUrl, storage}) as in
// @nhost/nhost-js, for the auth part. The client keeps the session: it
// stores what sign-in/sign-up/token responses carry, attaches the access
// token, refreshes it before it expires and forgets it on sign-out.
import { makeClient, toError } from './auth.js';
import { SessionStorage, detectStorage } from './session.js';
import { loadWasm } from './loader.js';

export { FetchError, createEnhancedFetch } from './fetch.js';
export { createAPIClient } from './auth.js';
export {
  CookieStorage,
  DEFAULT_SESSION_KEY,
  LocalStorage,
  MemoryStorage,
  SessionStorage,
  decodeUserSession,
  detectStorage,
} from './session.js';
export { loadWasm } from './loader.js';

/** The Auth URL nhost-js uses for these options. */
export function authURL({ subdomain, region, authUrl } = {}) {
  if (authUrl) return authUrl;
  if (subdomain) return `https://${subdomain}.auth.${region}.nhost.run/v1`;
  return 'https://local.auth.local.nhost.run/v1';
}

export function createClient(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('createClient: options must be an object');
  const sessionStorage = new SessionStorage(options.storage ?? detectStorage());
  const auth = makeClient(authURL(options), [], {
    wasmURL: options.wasmURL,
    setup: {
      storage: sessionStorage.backend,
      onSessionChange: (json) => sessionStorage.notify(json === null ? null : JSON.parse(json)),
    },
  });
  const { ready, handle } = auth._internal;
  return {
    auth,
    sessionStorage,
    /** The stored session, or null; synchronous, correct before auth.wasm loads. */
    getUserSession: () => sessionStorage.get(),
    /** Refreshes the session when it expires within marginSeconds (always for 0). */
    async refreshSession(marginSeconds = 60) {
      const api = await ready;
      try {
        const json = await api.refreshSession(handle(), marginSeconds);
        return json === null ? null : JSON.parse(json);
      } catch (e) {
        throw toError(e);
      }
    },
    /** Forgets the session locally. */
    clearSession: () => sessionStorage.remove(),
  };
}

/** Starts loading auth.wasm ahead of the first createClient (optional). */
export const preload = (wasmURL) => loadWasm(wasmURL);

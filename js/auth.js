// The raw Auth API client, as @nhost/nhost-js/auth exports it:
// createClient(baseURL, chainFunctions) (alias createAPIClient) returns an
// object with baseURL, pushChainFunction and the 40 request methods. Calls
// made before auth.wasm is ready wait for it.
import { FetchError, createEnhancedFetch } from './fetch.js';
import { loadWasm } from './loader.js';

export { FetchError } from './fetch.js';

// How each method takes its arguments.
const NONE = 0; // (options)
const BODY = 1; // (body, options)
const OPT_BODY = 2; // (body?, options)
const PROVIDER = 3; // (provider, options)
const PROVIDER_BODY = 4; // (provider, body, options)

const METHODS = {
  addSecurityKey: NONE,
  changeUserEmail: BODY,
  changeUserMfa: NONE,
  changeUserPassword: BODY,
  createPAT: BODY,
  deanonymizeUser: BODY,
  elevateWebauthn: NONE,
  getJWKs: NONE,
  getProviderTokens: PROVIDER,
  getUser: NONE,
  getVersion: NONE,
  healthCheckGet: NONE,
  healthCheckHead: NONE,
  linkIdToken: BODY,
  refreshProviderToken: PROVIDER_BODY,
  refreshToken: BODY,
  sendPasswordResetEmail: BODY,
  sendVerificationEmail: BODY,
  signInAnonymous: OPT_BODY,
  signInEmailPassword: BODY,
  signInIdToken: BODY,
  signInOTPEmail: BODY,
  signInPasswordlessEmail: BODY,
  signInPasswordlessSms: BODY,
  signInPAT: BODY,
  signInWebauthn: OPT_BODY,
  signOut: BODY,
  signUpEmailPassword: BODY,
  signUpWebauthn: BODY,
  verifyAddSecurityKey: BODY,
  verifyChangeUserMfa: BODY,
  verifyElevateWebauthn: BODY,
  verifySignInMfaTotp: BODY,
  verifySignInOTPEmail: BODY,
  verifySignInPasswordlessSms: BODY,
  verifySignInWebauthn: BODY,
  verifySignUpWebauthn: BODY,
  verifyToken: OPT_BODY,
};

/** The names of the request methods (the seed's, minus the two URL builders and pushChainFunction). */
export const METHOD_NAMES = Object.freeze(Object.keys(METHODS));

// encodeURIComponent for query values as nhost-js builds them.
function encodeParams(params, spread) {
  if (!params) return '';
  if (typeof params !== 'object') throw new TypeError('params must be an object');
  return Object.entries(params)
    .flatMap(([key, value]) => {
      if (value === null || value === undefined) return [];
      if (key === 'metadata') return [`${key}=${encodeURIComponent(JSON.stringify(value))}`];
      if (key === spread && typeof value === 'object' && !Array.isArray(value)) {
        return Object.entries(value).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
      }
      const s = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return [`${key}=${encodeURIComponent(s)}`];
    })
    .join('&');
}

function toFetchResponse(name, raw) {
  const { status, headers } = raw;
  let body;
  if (name === 'healthCheckHead') {
    body = undefined;
  } else if (status === 204 || status === 205 || status === 304 || raw.text === '') {
    body = {};
  } else {
    try {
      body = JSON.parse(raw.text);
    } catch (cause) {
      if (status < 300) {
        const err = new FetchError(raw.text, status, headers, { cause });
        err.message = `invalid response body (status ${status}): not JSON`;
        throw err;
      }
      body = raw.text; // an HTML error page, say: kept as text
    }
  }
  if (status >= 300) throw new FetchError(status === 412 ? {} : body, status, headers);
  return { body, status, headers };
}

/** Turns what the wasm side rejected with into what callers catch. */
export function toError(e) {
  if (e instanceof Error) return e;
  if (e && typeof e === 'object' && e.networkError) {
    return new FetchError(e.message, 0, new Headers(), e.cause === undefined ? undefined : { cause: e.cause });
  }
  if (e && typeof e === 'object' && typeof e.status === 'number') {
    let body = {};
    if (e.text) {
      try {
        body = JSON.parse(e.text);
      } catch {
        body = e.text;
      }
    }
    return new FetchError(body, e.status, new Headers(e.headers ?? undefined));
  }
  return new Error(String(e));
}

/**
 * The fetch under the page's chain functions, for a client with a session:
 * the session's token leaves only for the Auth origin (a chain function
 * may have rewritten the URL), and a request to the Auth origin that
 * carries a token, or a refresh token in its body, never follows a
 * redirect (which would send them on to wherever it points).
 */
function guardedFetch(baseURL, backend) {
  const page = globalThis.location?.href;
  let authOrigin = null;
  try {
    authOrigin = new URL(baseURL, page).origin;
  } catch {
    // an unusable Auth URL: nothing is sent anywhere with the token
  }
  const ourToken = () => {
    try {
      return backend.get()?.accessToken ?? null;
    } catch {
      return null;
    }
  };
  return (url, init) => {
    let target = null;
    try {
      target = new URL(url instanceof Request ? url.url : String(url), page);
    } catch {
      // fetch reports the bad URL itself
    }
    const headers = new Headers(init?.headers ?? undefined);
    const auth = headers.get('authorization');
    if (target?.origin !== authOrigin) {
      // Rare (a rewritten URL): only then is the stored token read to compare.
      if (auth && auth === `Bearer ${ourToken()}`) {
        headers.delete('authorization');
        return globalThis.fetch(url, { ...init, headers });
      }
      return globalThis.fetch(url, init);
    }
    const refresh = typeof init?.body === 'string' && init.body.includes('"refreshToken"');
    if ((auth || refresh) && init?.redirect === undefined) {
      return globalThis.fetch(url, { ...init, redirect: 'error' });
    }
    return globalThis.fetch(url, init);
  };
}

// The AbortSignal of a call's options; anything else there is a TypeError.
function signalOf(name, options) {
  if (options === null || typeof options !== 'object') return undefined; // reported by auth.wasm
  let signal;
  try {
    signal = options.signal;
  } catch (cause) {
    throw new TypeError(`${name}: options.signal cannot be read`, { cause });
  }
  if (signal === undefined || signal === null) return undefined;
  if (typeof AbortSignal === 'undefined' || !(signal instanceof AbortSignal)) {
    throw new TypeError(`${name}: options.signal must be an AbortSignal`);
  }
  return signal;
}

// Settles as p does, or rejects with the signal's reason once it aborts:
// a call stops waiting when its own signal says so, whatever it waits for
// (a refresh in progress, a stalled connection).
function untilAborted(p, signal) {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

// A relative or protocol-relative Auth URL (a same-origin proxy such as
// '/proxy/v1') is resolved against the page, so that the requests made
// with it are recognised as the Auth origin's and get the token.
function absoluteBase(baseURL) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(baseURL) || !globalThis.location?.href) return baseURL;
  try {
    return new URL(baseURL, globalThis.location.href).href;
  } catch {
    return baseURL;
  }
}

/**
 * Makes a client. `setup` (internal) adds the session: {storage,
 * onSessionChange, lock, refreshMargin, refreshTimeout, server}; `wasm` is {wasmURL, wasmModule}.
 * @internal
 */
export function makeClient(baseURL, chainFunctions = [], { setup, wasm } = {}) {
  if (typeof baseURL !== 'string' || baseURL === '') throw new TypeError('baseURL must be a non-empty string');
  if (!Array.isArray(chainFunctions)) throw new TypeError('chainFunctions must be an array');
  const chain = [];
  const base = setup ? guardedFetch(baseURL, setup.storage) : undefined;
  let enhanced = createEnhancedFetch(chain, base);
  const push = (fn) => {
    if (typeof fn !== 'function') throw new TypeError('pushChainFunction: chainFunction must be a function');
    const next = createEnhancedFetch([...chain, fn], base);
    if (typeof next !== 'function') {
      // Refuse it now rather than break every later request.
      throw new TypeError('pushChainFunction: chainFunction(next) must return a fetch function');
    }
    chain.push(fn);
    enhanced = next;
  };
  chainFunctions.forEach(push);

  // The client lives in one auth.wasm runtime; if that runtime stops, the
  // next call makes the client again in a new one (the session is in storage).
  let bound = null;
  const bind = () => {
    if (bound) return bound.then((b) => (b.rt.alive ? b : ((bound = null), bind())));
    const p = loadWasm(wasm).then((rt) => {
      const h = rt.api.createClient({
        baseURL: absoluteBase(baseURL),
        // async: whatever the chain throws becomes a rejection, with its own
        // error; and the request's signal ends the wait even for a chain
        // function that never settles (the refresh request has a timeout).
        fetch: async (url, init) => untilAborted(enhanced(url, init), init?.signal),
        session: !!setup,
        storage: setup?.storage,
        onSessionChange: setup?.onSessionChange,
        lock: setup?.lock,
        refreshMargin: setup?.refreshMargin,
        refreshTimeout: setup?.refreshTimeout,
        server: setup?.server,
      });
      if (h instanceof Error) throw h;
      return { rt, handle: h };
    });
    bound = p;
    p.catch(() => {
      if (bound === p) bound = null; // a failed load is retried by the next call
    });
    return p;
  };

  // Runs fn(api, handle) in the runtime; rejects if the runtime stops first.
  const withRuntime = async (fn) => {
    const { rt, handle } = await bind();
    return Promise.race([fn(rt.api, handle), rt.exited]);
  };

  bind().catch(() => {}); // start now; a failure is reported by the first call

  const call = async (name, provider, body, options) => {
    const signal = signalOf(name, options);
    signal?.throwIfAborted();
    let raw;
    try {
      raw = await untilAborted(withRuntime((api, handle) => api.request(handle, name, provider, body, options)), signal);
    } catch (e) {
      if (signal?.aborted && e === signal.reason) throw e;
      throw toError(e);
    }
    if (raw instanceof Error) throw raw;
    return toFetchResponse(name, raw);
  };

  const client = {
    baseURL,
    pushChainFunction: push,
    signInProviderURL(provider, params) {
      if (typeof provider !== 'string' || provider === '') throw new TypeError('signInProviderURL: provider must be a string');
      const q = encodeParams(params, 'providerSpecificParams');
      return q ? `${baseURL}/signin/provider/${provider}?${q}` : `${baseURL}/signin/provider/${provider}`;
    },
    verifyTicketURL(params) {
      const q = encodeParams(params);
      return q ? `${baseURL}/verify?${q}` : `${baseURL}/verify`;
    },
  };
  for (const [name, kind] of Object.entries(METHODS)) {
    switch (kind) {
      case NONE:
        client[name] = (options) => call(name, undefined, undefined, options);
        break;
      case BODY:
      case OPT_BODY:
        client[name] = (body, options) => call(name, undefined, body, options);
        break;
      case PROVIDER:
        client[name] = (provider, options) => call(name, provider, undefined, options);
        break;
      case PROVIDER_BODY:
        client[name] = (provider, body, options) => call(name, provider, body, options);
        break;
    }
  }
  Object.defineProperty(client, '_internal', { value: { withRuntime, bind }, enumerable: false });
  return client;
}

/** The raw Auth client: no session handling, only your chain functions. */
export function createAPIClient(baseURL, chainFunctions = []) {
  return makeClient(baseURL, chainFunctions);
}

export { createAPIClient as createClient };

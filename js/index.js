// The main entry: createClient({subdomain, region, authUrl, storage}) as in
// @nhost/nhost-js, for the auth part. The client keeps the session: it
// stores what sign-in/sign-up/token responses carry, attaches the access
// token, refreshes it before it expires and forgets it on sign-out.
import { createAPIClient, makeClient, toError } from './auth.js';
import { FetchError, createEnhancedFetch } from './fetch.js';
import { ENGINE, SessionStorage, detectStorage, refreshSession } from './session.js';
import { attachAccessTokenMiddleware, sessionRefreshMiddleware, updateSessionFromResponseMiddleware, withAdminSessionMiddleware } from './middleware.js';
import { AuthChangeEvent, authEvents, crossTab, rawReader, scheduler, sharedKey, webLock } from './engine.js';
import { FLOW_PARAM, startFlow, takeVerifier } from './flows.js';
import { makePasskeys } from './passkeys.js';

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
  refreshSession,
} from './session.js';
export { AuthChangeEvent } from './engine.js';
export { WebAuthnError } from './passkeys.js';

/** A service's base URL, as nhost-js derives it: the custom one, else from subdomain and region. */
export function generateServiceUrl(serviceType, subdomain, region, customUrl) {
  if (customUrl) return customUrl;
  if (subdomain && region) return `https://${subdomain}.${serviceType}.${region}.nhost.run/v1`;
  return `https://local.${serviceType}.local.nhost.run/v1`;
}

/** The Auth URL nhost-js uses for these options. */
export function authURL({ subdomain, region, authUrl } = {}) {
  return generateServiceUrl('auth', subdomain, region, authUrl);
}

// Internal: the service client factories nhostjs.js hands in (nhost-js's
// own GraphQL, Storage and Functions clients), and each session client's
// chain function that authenticates service requests.
const SERVICES = Symbol.for('nhost-auth-wasm.services');
const SERVICE_CHAIN = Symbol.for('nhost-auth-wasm.service-chain');
const SERVICE_TYPES = ['storage', 'graphql', 'functions'];

/** The client of @nhost/nhost-js: auth, storage, graphql, functions and the session. */
export class NhostClient {
  constructor(auth, storage, graphql, functions, sessionStorage) {
    this.auth = auth;
    this.storage = storage;
    this.graphql = graphql;
    this.functions = functions;
    this.sessionStorage = sessionStorage;
  }

  getUserSession() {
    return this.sessionStorage.get();
  }

  async refreshSession(marginSeconds = 60) {
    return refreshSession(this.auth, this.sessionStorage, marginSeconds);
  }

  clearSession() {
    this.sessionStorage.remove();
  }
}

const pushAll = (clients, types, mw) => {
  for (const t of types) clients[t].pushChainFunction(mw);
};

// sessionMiddleware makes a session configuration: on a client of ours
// the session engine already serves auth and the service clients get its
// chain function; on plain API clients, nhost-js's middlewares (from
// fallback) go on every client.
const sessionMiddleware = (fallback) => (clients) => {
  const chain = clients.auth?.[SERVICE_CHAIN];
  if (chain) return pushAll(clients, SERVICE_TYPES, chain);
  for (const mw of fallback(clients)) pushAll(clients, ['auth', ...SERVICE_TYPES], mw);
};

/** As nhost-js's: refresh before requests, store sessions from responses, attach the token. */
export const withClientSideSessionMiddleware = sessionMiddleware(({ auth, sessionStorage }) => [
  sessionRefreshMiddleware(auth, sessionStorage),
  updateSessionFromResponseMiddleware(sessionStorage),
  attachAccessTokenMiddleware(sessionStorage),
]);

/** As nhost-js's, for server code: sessions from responses are stored and the token attached; nothing refreshes. */
export const withServerSideSessionMiddleware = sessionMiddleware(({ sessionStorage }) => [
  updateSessionFromResponseMiddleware(sessionStorage),
  attachAccessTokenMiddleware(sessionStorage),
]);

/**
 * Admin access for storage, graphql and functions (server code only: the
 * admin secret bypasses every permission).
 */
export function withAdminSession(adminSession) {
  return (clients) => pushAll(clients, SERVICE_TYPES, withAdminSessionMiddleware(adminSession));
}

/** Chain functions for every client. */
export function withChainFunctions(chainFunctions) {
  return (clients) => {
    for (const mw of chainFunctions) pushAll(clients, ['auth', ...SERVICE_TYPES], mw);
  };
}

function configureAll(name, client, configure) {
  if (!Array.isArray(configure) || configure.some((f) => typeof f !== 'function')) {
    throw new TypeError(`${name}: options.configure must be an array of functions`);
  }
  const { auth, storage, graphql, functions, sessionStorage } = client;
  for (const fn of configure) fn({ auth, storage, graphql, functions, sessionStorage });
  return client;
}

/** The client for a page or a long-lived process: it keeps the session fresh. */
export function createClient(options = {}) {
  const client = build('createClient', options, false);
  return configureAll('createClient', client, [withClientSideSessionMiddleware, ...(options.configure ?? [])]);
}

/**
 * nhost-js's createNhostClient: the clients, configured only by
 * options.configure. With withClientSideSessionMiddleware (or the
 * server-side one) among them, auth is the session client createClient
 * (createServerClient) makes; without, the plain API client.
 */
export function createNhostClient(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('createNhostClient: options must be an object');
  const configure = options.configure ?? [];
  let client;
  if (Array.isArray(configure) && configure.includes(withClientSideSessionMiddleware)) client = build('createNhostClient', options, false);
  else if (Array.isArray(configure) && configure.includes(withServerSideSessionMiddleware)) client = build('createNhostClient', options, true);
  else client = plain(options);
  return configureAll('createNhostClient', client, configure);
}

/**
 * The client for one server request (SSR, route handlers, middleware), as
 * nhost-js's: the session comes from `storage` (required; typically the
 * request's cookie, written back to the response), responses that carry a
 * session update it and the token is attached, but requests never refresh
 * it first and nothing runs in the background.
 */
export function createServerClient(options) {
  if (options === null || typeof options !== 'object' || options.storage === undefined) {
    throw new TypeError('createServerClient: options.storage is required (an object with get, set and remove)');
  }
  const client = build('createServerClient', options, true);
  return configureAll('createServerClient', client, [withServerSideSessionMiddleware, ...(options.configure ?? [])]);
}

// The service clients: nhost-js's own, when nhostjs.js hands them in, else
// stand-ins whose members say how to get them (pushChainFunction works, so
// configuration functions run either way).
function services(options) {
  const factories = options[SERVICES] ?? {};
  const out = {};
  for (const t of SERVICE_TYPES) {
    const url = generateServiceUrl(t, options.subdomain, options.region, options[`${t}Url`]);
    out[t] = factories[t] ? factories[t](url, []) : missingService(t, url);
  }
  return out;
}

function missingService(type, url) {
  const chain = [];
  const known = { url, baseURL: url, pushChainFunction: (f) => { chain.push(f); } };
  return new Proxy(known, {
    get(target, prop) {
      if (prop in target) return target[prop];
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return undefined;
      throw new Error(`nhost.${type}.${String(prop)}: the ${type} client is @nhost/nhost-js's. Install it beside this package ` +
        `(npm install @nhost/nhost-js) and import createClient from 'nhost-auth-wasm/nhost-js' instead: nhost.${type} is then ` +
        `nhost-js's own client, authenticated by this SDK. Or call the ${type} service with nhost.fetch, which attaches the token.`);
    },
  });
}

const originOf = (url) => {
  try {
    return new URL(url, globalThis.location?.href).origin;
  } catch {
    return null;
  }
};

// authenticatedFetch is nhost.fetch and nhost.chainFunction: the access
// token, fresh from session(), on requests to the service origins only.
function authenticatedFetch(svc, session) {
  const origins = new Set(SERVICE_TYPES.map((t) => originOf(svc[t].url ?? svc[t].baseURL)).filter(Boolean));
  const chainFunction = (next) => async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input?.url;
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
    if (headers.has('Authorization') || !origins.has(originOf(url))) return next(input, init);
    let s = null;
    try {
      s = await session();
    } catch {
      // no fresh session (offline, refused): the service answers for itself
    }
    if (!s?.accessToken) return next(input, init);
    headers.set('Authorization', `Bearer ${s.accessToken}`);
    return next(input, { ...init, headers });
  };
  return { chainFunction, fetch: createEnhancedFetch([chainFunction]) };
}

// plain is createNhostClient without a session configuration: nhost-js's
// API clients and a session storage, nothing automatic.
function plain(options) {
  const sessionStorage = new SessionStorage(options.storage ?? detectStorage());
  const auth = createAPIClient(authURL(options));
  const svc = services(options);
  const client = new NhostClient(auth, svc.storage, svc.graphql, svc.functions, sessionStorage);
  const { fetch, chainFunction } = authenticatedFetch(svc, async () => sessionStorage.get());
  return Object.assign(client, { fetch, chainFunction, authRedirect: Promise.resolve({ kind: 'none' }),
    onAuthStateChange: watch(sessionStorage), dispose() {} });
}

function watch(sessionStorage) {
  let last = sessionStorage.get();
  const listeners = new Set();
  sessionStorage.onChange((session) => {
    const events = authEvents(last, session);
    last = session;
    for (const event of events) for (const cb of listeners) cb(event, event === AuthChangeEvent.SIGNED_OUT ? null : session);
  });
  return (callback) => {
    if (typeof callback !== 'function') throw new TypeError('onAuthStateChange: callback must be a function');
    listeners.add(callback);
    return () => listeners.delete(callback);
  };
}

function build(name, options, server) {
  if (options === null || typeof options !== 'object') throw new TypeError(`${name}: options must be an object`);
  const { refreshMargin, refreshTimeout } = options;
  const autoRefresh = !server && options.autoRefresh !== false;
  if (refreshMargin !== undefined && !(typeof refreshMargin === 'number' && refreshMargin >= 0)) {
    throw new TypeError(`${name}: refreshMargin must be a number of seconds >= 0`);
  }
  if (refreshTimeout !== undefined && !(typeof refreshTimeout === 'number' && refreshTimeout > 0)) {
    throw new TypeError(`${name}: refreshTimeout must be a number of seconds > 0`);
  }
  const { wasmURL, wasmModule } = options;
  if (wasmURL !== undefined && typeof wasmURL !== 'string' && !(wasmURL instanceof URL)) {
    throw new TypeError(`${name}: wasmURL must be a string or a URL`);
  }
  if (wasmModule !== undefined && !(wasmModule instanceof WebAssembly.Module)) {
    throw new TypeError(`${name}: wasmModule must be a WebAssembly.Module`);
  }
  // Taken from the address bar first, before the page's other code reads it.
  const redirect = !server && options.handleRedirect !== false ? takeRedirect() : null;
  const backend = options.storage ?? detectStorage();
  const sessionStorage = new SessionStorage(backend);
  const key = server ? null : sharedKey(backend);
  const auth = makeClient(authURL(options), [], {
    wasm: { wasmURL, wasmModule },
    setup: {
      storage: forWasm(sessionStorage.backend),
      // stored is false for a session the backend refused: it is then kept
      // in memory, here as in auth.wasm.
      onSessionChange: (json, stored) => {
        const session = json === null ? null : JSON.parse(json);
        sessionStorage.keepUnsaved(stored === false ? session : undefined);
        sessionStorage.notify(session);
      },
      // Tabs sharing a stored session share one refresh at a time.
      lock: key ? webLock(`nhost-auth-wasm:refresh:${key}`, rawReader(backend)) : undefined,
      refreshMargin,
      refreshTimeout,
      server,
    },
  });
  const { bind, invoke } = auth._internal;
  // auth.wasm keeps the session in memory: it reads the backend again when
  // the page writes it through sessionStorage, or another tab does.
  const reload = () => bind().then(({ rt, handle }) => rt.api.reload(handle), () => {});
  sessionStorage.onWrite = reload;

  // Auth state: compared with the last session seen, so that only real
  // changes make events, whichever tab made them.
  let last = sessionStorage.get();
  const listeners = new Set();
  let fromOtherTab = false;
  const tabs = key ? crossTab(key, () => {
    reload();
    const now = sessionStorage.get();
    if (JSON.stringify(now) === JSON.stringify(last)) return;
    fromOtherTab = true;
    try {
      sessionStorage.notify(now);
    } finally {
      fromOtherTab = false;
    }
  }) : null;

  const timer = autoRefresh ? scheduler((reason) => invoke('tick', reason).then(([next]) => next)) : null;

  const unsubscribe = sessionStorage.onChange((session) => {
    if (!fromOtherTab) tabs?.post();
    const events = authEvents(last, session);
    last = session;
    for (const event of events) {
      const s = event === AuthChangeEvent.SIGNED_OUT ? null : session;
      for (const cb of listeners) {
        try {
          cb(event, s);
        } catch (err) {
          console.error('nhost-auth-wasm: onAuthStateChange callback failed:', err);
        }
      }
    }
    // Outside the current call stack: this may run inside a Go callback.
    if (timer) queueMicrotask(() => timer.wake('change'));
  });
  if (timer) bind().then(() => timer.wake('start'), () => {});

  // The outcome of a sign-in link or provider redirect that brought the
  // user here: exchanged once; a failure keeps the session there was.
  const authRedirect = (async () => {
    if (!redirect) return { kind: 'none' };
    const { type } = redirect;
    const failed = (error, message) => ({ kind: 'error', type, error: new FetchError({ error, message }, 0, new Headers()) });
    if (redirect.refreshToken) {
      try {
        const res = await auth.refreshToken({ refreshToken: redirect.refreshToken });
        return { kind: 'signedIn', type, session: res.body };
      } catch (error) {
        return { kind: 'error', type, error };
      }
    }
    // A flow's verifier is used once, whatever the outcome.
    const verifier = redirect.flow ? takeVerifier(redirect.flow) : null;
    if (redirect.code) {
      if (!verifier) {
        return failed('pkce-verifier-missing',
          'This sign-in link was opened in a browser (or a private window) other than the one that asked for it: ' +
            'open it there, or start again here.');
      }
      try {
        const res = await auth.tokenExchange({ code: redirect.code, codeVerifier: verifier });
        return { kind: 'signedIn', type, session: res.body.session };
      } catch (error) {
        return { kind: 'error', type, error };
      }
    }
    return failed(redirect.error, redirect.errorDescription ?? redirect.error);
  })();

  auth.passkeys = makePasskeys(auth, () => sessionStorage.get()?.user ?? null, (cb) => listeners.add(cb));
  /**
   * Starts a PKCE flow for any method that takes a codeChallenge: pass the
   * returned codeChallenge and redirectTo (default: this page) to it; the
   * page the link or provider brings the user back to signs in on load.
   */
  auth.startPKCEFlow = async (redirectTo) => {
    const { codeChallenge, redirectTo: to } = await startFlow(redirectTo);
    return { codeChallenge, redirectTo: to };
  };
  /**
   * Sends the browser to a provider's sign-in (or, with signUp, sign-up)
   * with PKCE: the page it comes back to exchanges the code on load. It
   * returns the URL; with navigate: false it only returns it.
   */
  auth.signInWithProvider = async (provider, params = {}, { signUp = false, navigate = true } = {}) => {
    const build = signUp ? auth.signUpProviderURL : auth.signInProviderURL;
    build(provider, params); // checks the arguments before a flow is started
    if (params !== null && typeof params === 'object' && params.codeChallenge !== undefined) {
      throw new TypeError('signInWithProvider: params.codeChallenge is made by the SDK; leave it out');
    }
    const flow = await startFlow(params?.redirectTo);
    const url = build(provider, { ...params, codeChallenge: flow.codeChallenge, redirectTo: flow.redirectTo });
    if (navigate && typeof globalThis.location?.assign === 'function') globalThis.location.assign(url);
    return url;
  };

  // The engine's refresh: one at a time, across tabs. refreshSession(auth,
  // storage) of /session, the refresh middleware and nhost.fetch use it.
  const refresh = async (marginSeconds) => {
    try {
      const [json] = await invoke('refreshSession', marginSeconds);
      return json === null ? null : JSON.parse(json);
    } catch (e) {
      throw toError(e);
    }
  };
  Object.defineProperty(auth, ENGINE, { value: refresh });
  const svc = services(options);
  // Service requests: the token refreshed first by a client, only read by
  // a server client (which never refreshes).
  const { fetch, chainFunction } = authenticatedFetch(svc, server ? async () => sessionStorage.get() : () => refresh(60));
  Object.defineProperty(auth, SERVICE_CHAIN, { value: chainFunction });

  let disposed = false;
  const client = new NhostClient(auth, svc.storage, svc.graphql, svc.functions, sessionStorage);
  return Object.assign(client, {
    /**
     * fetch with the session's access token (refreshed when due) on
     * requests to the configured GraphQL, Storage and Functions origins,
     * never to others; chainFunction is the same as a chain function.
     */
    fetch,
    chainFunction,
    /**
     * Settles (never rejects) once a sign-in redirect in the page's URL was
     * handled: {kind: 'signedIn', session}, {kind: 'error', error} or {kind: 'none'}.
     */
    authRedirect,
    sessionStorage,
    /** The stored session, or null; synchronous, correct before auth.wasm loads. */
    getUserSession: () => sessionStorage.get(),
    /** Refreshes the session when it expires within marginSeconds (always for 0). */
    refreshSession: (marginSeconds = 60) => refresh(marginSeconds),
    /** Forgets the session locally. */
    clearSession: () => sessionStorage.remove(),
    /** Calls callback(event, session) on sign-in, sign-out, token refresh and user change, in every tab. */
    onAuthStateChange(callback) {
      if (typeof callback !== 'function') throw new TypeError('onAuthStateChange: callback must be a function');
      listeners.add(callback);
      return () => {
        listeners.delete(callback);
      };
    },
    /** Stops the refresh timer and cross-tab listening, and frees the client in auth.wasm. */
    dispose() {
      if (disposed) return;
      disposed = true;
      timer?.dispose();
      tabs?.close();
      unsubscribe();
      listeners.clear();
      bind().then(({ rt, handle }) => rt.api.releaseClient(handle), () => {});
    },
  });
}

// The parameters the Auth server adds to a redirect back to the page: a
// refresh token (with the link's type), a PKCE code of a flow this SDK
// started (FLOW_PARAM names it; any other `code` is the page's business),
// or an error with its description (and a provider's details). They are
// removed from the address bar (history.replaceState) before the SDK does
// anything else, leaving every other part of the URL as it was.
function takeRedirect() {
  const loc = globalThis.location;
  const search = loc?.search;
  if (!search || search.length < 2 || typeof globalThis.history?.replaceState !== 'function') return null;
  const decode = (x) => decodeURIComponent(x.replace(/\+/g, ' '));
  let params;
  try {
    // [name, value, the part as it was], each decoded once.
    params = search.slice(1).split('&').map((part) => {
      const i = part.indexOf('=');
      return i < 0 ? [decode(part), '', part] : [decode(part.slice(0, i)), decode(part.slice(i + 1)), part];
    });
  } catch {
    return null; // a malformed escape: not a redirect of ours
  }
  const get = (name) => params.find(([k]) => k === name)?.[1] ?? null;
  const taken = {
    refreshToken: get('refreshToken'), type: get('type'), error: get('error'), errorDescription: get('errorDescription'),
    code: get('code'), flow: get(FLOW_PARAM),
  };
  let remove;
  if (taken.refreshToken) remove = ['refreshToken', 'type', FLOW_PARAM];
  else if (taken.error && taken.errorDescription !== null) {
    taken.code = null;
    remove = ['error', 'errorDescription', 'type', FLOW_PARAM, 'provider_error', 'provider_error_description', 'provider_error_url', 'provider_state'];
  } else if (taken.code && taken.flow) remove = ['code', 'type', FLOW_PARAM];
  else return null;
  const kept = params.filter(([k]) => !remove.includes(k)).map(([, , part]) => part);
  try {
    globalThis.history.replaceState(globalThis.history.state, '', loc.pathname + (kept.length ? '?' + kept.join('&') : '') + loc.hash);
  } catch {
    // a sandboxed document may refuse; the exchange goes on
  }
  return taken;
}

// The backend as auth.wasm uses it: trySet returns what set threw (a full
// quota, a custom backend's error) instead of throwing it across the
// boundary, so the StorageError keeps it as its cause.
function forWasm(backend) {
  return {
    get: () => backend.get(),
    set: (v) => backend.set(v),
    remove: () => backend.remove(),
    trySet(v) {
      try {
        backend.set(v);
        return undefined;
      } catch (e) {
        return e ?? new Error(String(e));
      }
    },
  };
}

/** Starts loading auth.wasm ahead of the first createClient (optional). */
export { defaultWasmURL, loadWasm, preload, VERSION } from './loader.js';

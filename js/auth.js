// The raw Auth API client, as @nhost/nhost-js/auth exports it:
// createClient(baseURL, chainFunctions) (alias createAPIClient) returns an
// object with baseURL and every member of nhost-js 4.7.0's Client (the
// table in surface.js, generated from spec/surface), plus the PKCE
// helpers. Calls made before auth.wasm is ready wait for it.
import { FetchError, createEnhancedFetch } from './fetch.js';
import { platformFetch } from './nodefetch.js';
import { loadWasm } from './loader.js';

export { FetchError } from './fetch.js';

import { MEMBERS } from './surface.js';
import { OURS, argError, checkType, describe } from './check.js';

export { generateCodeChallenge, generateCodeVerifier, generatePKCEPair } from './pkce.js';

// The members that send a request, by how they take their arguments.
const REQUESTS = new Set(['options', 'body,options', 'body?,options', 'provider,options', 'provider,body,options', 'params?,options']);

// Each member's index, by which auth.wasm knows it (core.MethodNames has the same order).
const INDEX = Object.fromEntries(Object.keys(MEMBERS).map((name, i) => [name, i]));

/** The names of the request methods (not the URL builders or pushChainFunction), in nhost-js's order. */
export const METHOD_NAMES = Object.freeze(Object.keys(MEMBERS).filter((n) => REQUESTS.has(MEMBERS[n][0])));

// The JSON text of a body or params argument, after checking its fields'
// types; undefined when an optional one is left out. A value that cannot
// be read or serialized (a Proxy that throws, a getter that throws, a
// BigInt) is a TypeError too, before any request.
function jsonArg(name, what, v, type, optional) {
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw argError(`${name}: ${what} must be an object, got ${describe(v)}`);
  }
  try {
    if (typeof v !== 'object' || Array.isArray(v)) throw argError(`${name}: ${what} must be an object, got ${describe(v)}`);
    checkType(`${name}: ${what}`, v, type);
    return JSON.stringify(v);
  } catch (e) {
    if (e?.[OURS]) throw e;
    throw argError(`${name}: ${what} cannot be read: ${e?.message ?? e}`, e);
  }
}

// A plain copy of a call's RequestInit (as nhost-js spreads it into its
// fetch), so that nothing on the way reads the caller's object again.
function initArg(name, options) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw argError(`${name}: options must be a RequestInit object, got ${describe(options)}`);
  }
  let init;
  try {
    init = { ...options };
  } catch (e) {
    throw argError(`${name}: options cannot be read: ${e?.message ?? e}`, e);
  }
  const signal = init.signal;
  if (signal !== undefined && signal !== null && (typeof AbortSignal === 'undefined' || !(signal instanceof AbortSignal))) {
    throw argError(`${name}: options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  if (signal === null) delete init.signal;
  const h = init.headers;
  if (h !== undefined && h !== null && typeof h !== 'object') {
    throw argError(`${name}: options.headers must be a Headers object, an array of pairs or a record, got ${describe(h)}`);
  }
  return init;
}

// A header of a plain record read without a Headers object (making one
// loads undici in Node); anything else through Headers.
function headerOf(headers, name) {
  if (headers === undefined || headers === null) return null;
  if (typeof headers[Symbol.iterator] === 'function' || typeof headers.get === 'function') {
    return new Headers(headers).get(name);
  }
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name) return String(headers[k]);
  return null;
}

function authorizationOf(name, headers) {
  try {
    return headerOf(headers, 'authorization') ?? undefined;
  } catch (e) {
    throw argError(`${name}: options.headers: ${e?.message ?? e}`, e);
  }
}

function providerArg(name, provider) {
  if (typeof provider !== 'string' || provider === '') {
    throw argError(`${name}: provider must be a non-empty string such as "github", got ${describe(provider)}`);
  }
  return provider;
}

// The query of a URL builder, as nhost-js writes it: entries in order,
// arrays joined with ",", objects as JSON, the spread field's properties
// as top-level keys, every value encodeURIComponent-ed; null and
// undefined values are left out. (core.QueryFromJSON is the same rule in
// Go; testdata/urls.json holds both to it.)
function encodeParams(name, params, type, spread) {
  if (params === undefined || params === null) return '';
  if (typeof params !== 'object' || Array.isArray(params)) throw argError(`${name}: params must be an object, got ${describe(params)}`);
  try {
    checkType(`${name}: params`, params, type);
    return Object.entries(params)
      .flatMap(([key, value]) => {
        if (value === null || value === undefined) return [];
        if (key === spread && typeof value === 'object' && !Array.isArray(value)) {
          return Object.entries(value).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
        }
        const s = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
        return [`${key}=${encodeURIComponent(s)}`];
      })
      .join('&');
  } catch (e) {
    if (e?.[OURS]) throw e;
    throw argError(`${name}: params cannot be read: ${e?.message ?? e}`, e);
  }
}

function toFetchResponse(name, raw) {
  const { status, res } = raw;
  let body;
  if (MEMBERS[name][4]) {
    body = undefined;
  } else if (status === 204 || status === 205 || status === 304 || raw.text === '') {
    body = {};
  } else {
    try {
      body = JSON.parse(raw.text);
    } catch (cause) {
      if (status < 300) {
        const err = new FetchError(raw.text, status, res.headers, { cause });
        err.message = `invalid response body (status ${status}): not JSON`;
        throw err;
      }
      body = raw.text; // an HTML error page, say: kept as text
    }
  }
  if (status >= 300) throw new FetchError(status === 412 ? {} : body, status, res.headers);
  // headers read when they are: in Node, a Headers object loads undici
  return Object.defineProperty({ body, status }, 'headers', { get: () => res.headers, enumerable: true, configurable: true });
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
function guardedFetch(baseURL, backend, direct) {
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
      target = new URL(typeof url === 'string' || url instanceof URL ? url : url instanceof Request ? url.url : String(url), page);
    } catch {
      // fetch reports the bad URL itself
    }
    const auth = headerOf(init?.headers, 'authorization');
    if (target?.origin !== authOrigin) {
      // Rare (a rewritten URL): only then is the stored token read to compare.
      if (auth && auth === `Bearer ${ourToken()}`) {
        const headers = new Headers(init.headers);
        headers.delete('authorization');
        return globalThis.fetch(url, { ...init, headers });
      }
      return globalThis.fetch(url, init);
    }
    const refresh = typeof init?.body === 'string' && init.body.includes('"refreshToken"');
    if ((auth || refresh) && init?.redirect === undefined) {
      return direct(url, { ...init, redirect: 'error' });
    }
    return direct(url, init);
  };
}

// Settles as p does, or rejects with the signal's reason once it aborts:
// a call stops waiting when its own signal says so, whatever it waits for
// (a refresh in progress, a stalled connection).
function untilAborted(p, signal) {
  if (!signal) return p;
  if (signal.aborted) {
    Promise.resolve(p).catch(() => {}); // its own rejection is no longer anyone's (Node would exit)
    return Promise.reject(signal.reason);
  }
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
 * One request for auth.wasm, in one call: the caller's RequestInit as it
 * is, with Go's headers (Content-Type, Authorization; "name\nvalue\n…")
 * under the caller's own, as nhost-js writes them; the refresh request's
 * timeout; the page's chain functions; and the body read. Resolves to
 * [status, text, response]; the response stays in JS for the shim.
 */
async function send(fetchFn, url, method, goHeaders, body, init, timeoutMs) {
  const headers = {};
  const user = init?.headers;
  const mine = new Set();
  if (user !== undefined && user !== null) {
    const entries = typeof user[Symbol.iterator] === 'function' ? new Headers(user) : Object.entries(user);
    for (const [k, v] of entries) {
      headers[k] = v;
      mine.add(k.toLowerCase());
    }
  }
  if (goHeaders) {
    const kv = goHeaders.split('\n');
    for (let i = 0; i + 1 < kv.length; i += 2) if (!mine.has(kv[i].toLowerCase())) headers[kv[i]] = kv[i + 1];
  }
  const req = { ...init, method, headers };
  if (body === undefined) delete req.body;
  else req.body = body;
  if (timeoutMs > 0) {
    const t = AbortSignal.timeout(timeoutMs);
    req.signal = req.signal ? (typeof AbortSignal.any === 'function' ? AbortSignal.any([req.signal, t]) : req.signal) : t;
  }
  const res = await fetchFn(url, req);
  if (res === null || typeof res !== 'object' || typeof res.status !== 'number') {
    throw new TypeError('fetch did not resolve to a Response');
  }
  const text = method === 'HEAD' || res.status === 412 ? '' : await res.text();
  return [res.status, text, res];
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
  // Only the SDK reads the responses of platformFetch (no Response.clone
  // and such): with chain functions, fetch itself.
  const direct = (url, init) => (chain.length === 0 ? platformFetch(url, init) : globalThis.fetch(url, init));
  const base = setup ? guardedFetch(baseURL, setup.storage, direct) : direct;
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

  // Calls waiting for auth.wasm's reply, by id; and the responses of its
  // sends, by send id, until a reply hands them to their call.
  const pending = new Map();
  const responses = new Map();
  let lastId = 0;

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
        // The two ends of a request (see jsbridge/calls.go): auth.wasm
        // calls send, which answers with api.settle; auth.wasm then calls
        // reply with the outcome of the call.
        send(id, head, body, init, timeoutMs, wantText, keep) {
          const a = head.indexOf('\n');
          const b = head.indexOf('\n', a + 1);
          send((u, i) => untilAborted(enhanced(u, i), i?.signal), head.slice(a + 1, b), head.slice(0, a), head.slice(b + 1), body, init, timeoutMs).then(
            ([status, text, res]) => {
              // The Response stays here for the reply; its text goes to
              // auth.wasm only when core reads it.
              if (keep) responses.set(id, { status, text, res });
              rt.api.settle(id, true, status, wantText ? text : undefined);
            },
            (e) => rt.api.settle(id, false, e),
          );
        },
        reply(id, error, ...values) {
          const p = pending.get(id);
          if (!p) return;
          pending.delete(id);
          if (p.fn === 'passkey') {
            // values: the send that ends the flow, the options' send, then
            // for the Signal API the RP id, the credential's id, the known
            // ids and an assertion's user handle (the user's id as text).
            const res = responses.get(values[0]);
            responses.delete(values[0]);
            responses.delete(values[1]);
            const h = values[5];
            const handle = h instanceof ArrayBuffer || ArrayBuffer.isView(h) ? new TextDecoder().decode(h) : undefined;
            if (error !== undefined) p.reject(error);
            else {
              p.resolve(res && { ...res, signal: { rpId: values[2], credentialId: values[3],
                known: values[4] ? values[4].split(',') : [], userHandle: handle } });
            }
            return;
          }
          if (p.fn === 'request') {
            // values[0] names the send whose Response is the call's.
            const res = responses.get(values[0]);
            responses.delete(values[0]);
            if (error !== undefined) p.reject(error);
            else p.resolve(res);
            return;
          }
          if (error !== undefined) p.reject(error);
          else p.resolve(values);
        },
        // navigator.credentials for a passkey ceremony, answered through api.settle.
        credentials(id, kind, publicKey, signal, mediation) {
          const opts = { publicKey };
          if (signal) opts.signal = signal;
          if (mediation) opts.mediation = mediation;
          let p;
          try {
            p = globalThis.navigator.credentials[kind](opts);
          } catch (e) {
            p = Promise.reject(e);
          }
          Promise.resolve(p).then((c) => rt.api.settle(id, true, c), (e) => rt.api.settle(id, false, e));
        },
        session: !!setup,
        storage: setup?.storage,
        onSessionChange: setup?.onSessionChange,
        // lock(ms) → release or null, answered through api.settle.
        lock: setup?.lock && ((id, ms) => setup.lock(ms).then((r) => rt.api.settle(id, true, r), (e) => rt.api.settle(id, false, e))),
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

  // Calls fn(handle, id, ...args) of auth.wasm's API; resolves to the
  // values of its reply(id, error, ...values), rejects with its error.
  const invoke = (fn, ...args) => withRuntime((api, handle) => new Promise((resolve, reject) => {
    const id = ++lastId;
    pending.set(id, { resolve, reject, fn });
    const bad = api[fn](handle, id, ...args);
    if (bad != null) {
      pending.delete(id);
      reject(bad);
    }
  }));

  bind().catch(() => {}); // start now; a failure is reported by the first call

  // One request: every argument is checked and the body serialized here,
  // before anything is sent; auth.wasm gets JSON text and a plain init.
  const call = async (name, provider, body, options) => {
    const [args, , type] = MEMBERS[name];
    if (args.startsWith('provider')) providerArg(name, provider);
    let text;
    if (args === 'params?,options') text = jsonArg(name, 'params', body, type, true);
    else if (type) text = jsonArg(name, 'body', body, type, args === 'body?,options');
    const init = initArg(name, options);
    const signal = init?.signal;
    signal?.throwIfAborted();
    // The caller's own Authorization, which the session's token must not replace.
    const auth = init?.headers ? authorizationOf(name, init.headers) : undefined;
    let raw;
    try {
      raw = await untilAborted(invoke('request', INDEX[name], provider, text, init, auth), signal);
    } catch (e) {
      if (signal?.aborted && e === signal.reason) throw e;
      throw toError(e);
    }
    if (!raw) throw new FetchError('nhost-auth-wasm: the response was lost', 0, new Headers());
    return toFetchResponse(name, raw);
  };

  const client = { baseURL, pushChainFunction: push };
  for (const [name, [args, path, type, spread]] of Object.entries(MEMBERS)) {
    const url = (provider, params) => {
      const p = provider === undefined ? path : path.replace('{provider}', providerArg(name, provider));
      const q = encodeParams(name, params, type, spread);
      return q ? `${baseURL}${p}?${q}` : `${baseURL}${p}`;
    };
    switch (args) {
      case 'options':
        client[name] = (options) => call(name, undefined, undefined, options);
        break;
      case 'body,options':
      case 'body?,options':
      case 'params?,options':
        client[name] = (body, options) => call(name, undefined, body, options);
        break;
      case 'provider,options':
        client[name] = (provider, options) => call(name, provider, undefined, options);
        break;
      case 'provider,body,options':
        client[name] = (provider, body, options) => call(name, provider, body, options);
        break;
      case 'provider,params?':
        client[name] = (provider, params) => url(providerArg(name, provider), params);
        break;
      case 'params?':
        client[name] = (params) => url(undefined, params);
        break;
      case '':
        client[name] = () => url(undefined, undefined);
        break;
    }
  }
  // A whole WebAuthn ceremony in auth.wasm (jsbridge/passkeys.go): the
  // options request, navigator.credentials, the verification.
  const passkey = async (flow, verifyName, body, extra, signal, mediation) => {
    signal?.throwIfAborted();
    let raw;
    try {
      raw = await untilAborted(invoke('passkey', flow, body === undefined ? undefined : JSON.stringify(body),
        JSON.stringify(extra ?? {}), signal, mediation), signal);
    } catch (e) {
      if (signal?.aborted && e === signal.reason) throw e;
      throw toError(e);
    }
    if (!raw) throw new FetchError('nhost-auth-wasm: the response was lost', 0, new Headers());
    // [response, Signal API values, the error the response is]
    try {
      return [toFetchResponse(verifyName, raw), raw.signal, undefined];
    } catch (e) {
      return [undefined, raw.signal, e];
    }
  };
  Object.defineProperty(client, '_internal', { value: { withRuntime, bind, invoke, passkey }, enumerable: false });
  return client;
}

/** The raw Auth client: no session handling, only your chain functions. */
export function createAPIClient(baseURL, chainFunctions = []) {
  return makeClient(baseURL, chainFunctions);
}

export { createAPIClient as createClient };

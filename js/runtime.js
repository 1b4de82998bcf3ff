// The part of loading auth.wasm that every runtime shares: one compiled
// module and one Go runtime per source (a URL or a WebAssembly.Module),
// retries after a failure with a short, bounded backoff, the version
// handshake, and pending calls rejected if the runtime exits. How a URL
// becomes a module is the caller's (loader.js, loader-edge.js).
import Go from './wasm_exec.js';
import { FetchError } from './fetch.js';

/** The package version; auth.wasm must report the same one. */
export const VERSION = '0.1.0';

export const PACKAGE = 'nhost-auth-wasm';

// Marks on the page's performance timeline, for anyone profiling start-up.
export const mark = (name) => globalThis.performance?.mark?.(`${PACKAGE}:${name}`);

// Edge runtimes allow instantiating a compiled module, not compiling one.
const wasm = globalThis.WebAssembly;

// Retry delays after consecutive failures (ms): the first retry is at once.
const BACKOFF = [0, 500, 1000, 2000, 4000, 8000];

// key (URL href or Module) → source state
const sources = new Map();

function sourceOf(options, defaultURL) {
  const { wasmURL, wasmModule } = options ?? {};
  if (wasmModule !== undefined) {
    if (!(wasmModule instanceof wasm.Module)) throw new TypeError('wasmModule must be a WebAssembly.Module');
    return { key: wasmModule, module: wasmModule };
  }
  if (wasmURL !== undefined && typeof wasmURL !== 'string' && !(wasmURL instanceof URL)) {
    throw new TypeError('wasmURL must be a string or a URL');
  }
  const url = wasmURL === undefined ? defaultURL() : new URL(wasmURL, globalThis.location?.href ?? defaultURL());
  return { key: url.href, url };
}

function state(src) {
  let s = sources.get(src.key);
  if (!s) {
    s = { src, module: src.module ? Promise.resolve(src.module) : null, runtime: null, failures: 0, retryAt: 0, error: null };
    sources.set(src.key, s);
  }
  return s;
}

/**
 * Makes loadWasm and preload for a way to compile a URL and a default URL.
 * loadWasm(options) resolves to a live runtime for {wasmURL} or
 * {wasmModule} (a string or URL is taken as wasmURL): {api, exited,
 * alive}; `exited` rejects when the runtime stops.
 */
export function makeLoader(compile, defaultURL) {
  function loadWasm(options) {
    if (typeof options === 'string' || options instanceof URL) options = { wasmURL: options };
    let s;
    try {
      s = state(sourceOf(options, defaultURL));
    } catch (e) {
      return Promise.reject(e);
    }
    if (s.runtime) return s.runtime;
    if (s.error && Date.now() < s.retryAt) return Promise.reject(s.error);
    if (!s.module) s.module = compile(s.src.url);
    const runtime = s.module.then(start);
    s.runtime = runtime;
    runtime.then((rt) => {
      s.failures = 0;
      s.error = null;
      rt.exited.catch(() => {
        if (s.runtime === runtime) s.runtime = null;
      });
    }, (err) => {
      if (s.runtime === runtime) s.runtime = null;
      if (!s.src.module) s.module = null; // download again next time
      s.error = err;
      s.retryAt = Date.now() + BACKOFF[Math.min(s.failures, BACKOFF.length - 1)];
      s.failures++;
    });
    return runtime;
  }

  /** Starts fetching and compiling auth.wasm now, ahead of the first call. */
  function preload(options) {
    const p = loadWasm(options);
    p.catch(() => {}); // reported by the calls that need it
    return p;
  }

  /** Starts compiling auth.wasm now, without starting its runtime. */
  function precompile(options) {
    const s = state(sourceOf(options, defaultURL));
    if (s.module) return;
    const module = compile(s.src.url);
    s.module = module;
    module.catch(() => {
      if (s.module === module) s.module = null; // the first call tries again, and reports it
    });
  }

  return { loadWasm, preload, precompile };
}

export function loadError(url, what, { cause, headers, fix } = {}) {
  const message = `${PACKAGE}: cannot load auth.wasm from ${url.href}: ${what}. ${fix}`;
  return new FetchError(message, 0, headers ?? new Headers(), cause === undefined ? undefined : { cause });
}

// The global through which auth.wasm's main hands over its API. main runs
// synchronously inside go.run, so the name is set just before and removed
// just after: runtimes starting at once never share it.
const READY = '__nhostAuthWasmReady';

async function start(module) {
  const go = new Go();
  let resolveReady;
  const ready = new Promise((resolve) => {
    resolveReady = resolve;
  });
  go.argv = ['auth.wasm'];
  go.env = {}; // nothing from the host environment reaches Go
  const instance = await wasm.instantiate(module, go.importObject);
  mark('instantiated');
  const rt = { api: null, alive: true, exited: null };
  globalThis[READY] = resolveReady;
  try {
    rt.exited = go.run(instance).then(() => {
      rt.alive = false;
      throw new FetchError(`${PACKAGE}: the auth.wasm runtime exited`, 0, new Headers());
    });
  } finally {
    delete globalThis[READY];
  }
  rt.exited.catch(() => {});
  rt.api = await Promise.race([ready, rt.exited]);
  mark('ready');
  const version = typeof rt.api?.version === 'function' ? rt.api.version() : undefined;
  if (version !== VERSION) {
    throw new FetchError(`${PACKAGE}: auth.wasm is version ${version} but its JS is ${VERSION}: serve the auth.wasm ` +
      'of the same package version (an old copy, or a cached one?)', 0, new Headers());
  }
  return rt;
}

// A page back online retries failed downloads at once.
globalThis.addEventListener?.('online', () => {
  for (const s of sources.values()) s.retryAt = 0;
});


// Loads auth.wasm and runs its Go runtime: one compiled module and one
// runtime per source (a URL or a WebAssembly.Module). In a browser the
// default auth.wasm starts downloading and compiling (streaming) as soon
// as this module is evaluated; in Node it is read from disk.
//
// A failed download never leaves the client dead: what arrived is checked
// (status, Content-Type, the wasm magic bytes), calls reject with a
// FetchError (status 0) that names the URL and the likely fix, and the
// next call tries again after a short, bounded backoff. If the runtime
// exits, its pending calls reject and the next call starts a new one.
import Go from './wasm_exec.js';
import { FetchError } from './fetch.js';

/** The package version; auth.wasm must report the same one. */
export const VERSION = '0.1.0';

const PACKAGE = 'nhost-auth-wasm';

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined &&
  typeof window === 'undefined';

/** The default location of auth.wasm: beside this module. */
export function defaultWasmURL() {
  const url = new URL('./auth.wasm', import.meta.url);
  // Vite's dev server pre-bundles dependencies into node_modules/.vite/deps/,
  // where auth.wasm is not; the package itself is served under /node_modules/.
  const at = url.pathname.indexOf('/node_modules/.vite/');
  if (at >= 0 && url.protocol.startsWith('http')) {
    return new URL(`${url.pathname.slice(0, at)}/node_modules/${PACKAGE}/js/auth.wasm`, url);
  }
  return url;
}

// Retry delays after consecutive failures (ms): the first retry is at once.
const BACKOFF = [0, 500, 1000, 2000, 4000, 8000];

// key (URL href or Module) → source state
const sources = new Map();

function sourceOf(options) {
  const { wasmURL, wasmModule } = options ?? {};
  if (wasmModule !== undefined) {
    if (!(wasmModule instanceof WebAssembly.Module)) throw new TypeError('wasmModule must be a WebAssembly.Module');
    return { key: wasmModule, module: wasmModule };
  }
  if (wasmURL !== undefined && typeof wasmURL !== 'string' && !(wasmURL instanceof URL)) {
    throw new TypeError('wasmURL must be a string or a URL');
  }
  const base = globalThis.location?.href ?? import.meta.url;
  const url = wasmURL === undefined ? defaultWasmURL() : new URL(wasmURL, base);
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
 * Resolves to a live runtime for these options ({wasmURL} or {wasmModule};
 * a string or URL is taken as wasmURL): {api, exited, alive}. `exited`
 * rejects when the runtime stops.
 */
export function loadWasm(options) {
  if (typeof options === 'string' || options instanceof URL) options = { wasmURL: options };
  let s;
  try {
    s = state(sourceOf(options));
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
export function preload(options) {
  const p = loadWasm(options);
  p.catch(() => {}); // reported by the calls that need it
  return p;
}

function loadError(url, what, { cause, headers, fix } = {}) {
  const message = `${PACKAGE}: cannot load auth.wasm from ${url.href}: ${what}. ${fix ?? defaultFix(url)}`;
  return new FetchError(message, 0, headers ?? new Headers(), cause === undefined ? undefined : { cause });
}

function defaultFix(url) {
  if (url.pathname.includes('/node_modules/.vite/') || url.pathname.includes(`/node_modules/${PACKAGE}/`)) {
    return `With Vite, add optimizeDeps: { exclude: ['${PACKAGE}'] } to vite.config, or pass createClient({ wasmURL }).`;
  }
  return `Serve the package's js/auth.wasm at that URL (your bundler may need to copy it), or pass ` +
    `createClient({ wasmURL }) with where it is served, or { wasmModule } with a compiled module.`;
}

// Marks on the page's performance timeline, for anyone profiling start-up.
const mark = (name) => globalThis.performance?.mark?.(`nhost-auth-wasm:${name}`);

async function compile(url) {
  mark('fetch');
  if (isNode && url.protocol !== 'http:' && url.protocol !== 'https:') return compileFromDisk(url);
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (cause) {
    throw loadError(url, `the download failed (${cause?.message ?? cause})`, { cause });
  }
  const type = res.headers.get('Content-Type') ?? '';
  if (!res.ok) {
    throw loadError(url, `the server answered HTTP ${res.status}${type ? ` (${type.split(';')[0]})` : ''}`, { headers: res.headers });
  }
  if (type.startsWith('application/wasm') && typeof WebAssembly.compileStreaming === 'function') {
    try {
      // Streaming: compiled while it downloads, and cached by the browser.
      const module = await WebAssembly.compileStreaming(res);
      mark('compiled');
      return module;
    } catch (cause) {
      throw compileError(url, cause, res.headers);
    }
  }
  let bytes;
  try {
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (cause) {
    throw loadError(url, `the download broke off (${cause?.message ?? cause})`, { cause, headers: res.headers });
  }
  return compileBytes(url, bytes, type, res.headers);
}

async function compileBytes(url, bytes, type, headers) {
  if (!(bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
    const start = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/\s+/g, ' ').trim();
    const what = type ? `got ${type.split(';')[0]}` : 'got a file';
    throw loadError(url, `${what} that is not WebAssembly (it starts with ${JSON.stringify(start)}); ` +
      'the server most likely answered with a page instead of the file', { headers });
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (cause) {
    throw compileError(url, cause, headers);
  }
}

function compileError(url, cause, headers) {
  const text = String(cause?.message ?? cause);
  if (/Content.Security.Polic/i.test(text)) {
    return loadError(url, 'the page\'s Content-Security-Policy does not allow WebAssembly', {
      cause, headers, fix: "Add 'wasm-unsafe-eval' to its script-src (it allows compiling WebAssembly, not eval).",
    });
  }
  return loadError(url, `it is not a valid WebAssembly module (${text})`, { cause, headers });
}

// Node, and server bundles (Next.js, webpack) whose module URL is a file
// path or a bundler's own scheme: read the file; else the package's copy.
async function compileFromDisk(url) {
  const fs = await nodeModule('node:fs/promises');
  let bytes;
  try {
    bytes = await fs.readFile(url.protocol === 'file:' ? url : await packageFile());
  } catch (first) {
    try {
      bytes = await fs.readFile(await packageFile());
    } catch {
      throw loadError(url, `it cannot be read (${first?.message ?? first})`, { cause: first });
    }
  }
  return compileBytes(url, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), '', undefined);
}

async function packageFile() {
  const { createRequire } = await nodeModule('node:module');
  const { pathToFileURL } = await nodeModule('node:url');
  return createRequire(pathToFileURL(`${process.cwd()}/`)).resolve(`${PACKAGE}/auth.wasm`);
}

// Node's built-in modules, out of sight of browser bundlers.
function nodeModule(name) {
  const builtin = globalThis.process?.getBuiltinModule?.(name);
  if (builtin) return Promise.resolve(builtin);
  return import(/* webpackIgnore: true */ /* @vite-ignore */ /* turbopackIgnore: true */ name);
}

async function start(module) {
  const go = new Go();
  const name = `__nhostAuthWasm_${Math.random().toString(36).slice(2)}`;
  const ready = new Promise((resolve) => {
    globalThis[name] = (api) => {
      delete globalThis[name];
      resolve(api);
    };
  });
  go.argv = ['auth.wasm', name];
  go.env = {}; // nothing from the host environment reaches Go
  const instance = await WebAssembly.instantiate(module, go.importObject);
  mark('instantiated');
  const rt = { api: null, alive: true, exited: null };
  rt.exited = go.run(instance).then(() => {
    rt.alive = false;
    throw new FetchError(`${PACKAGE}: the auth.wasm runtime exited`, 0, new Headers());
  });
  rt.exited.catch(() => {});
  try {
    rt.api = await Promise.race([ready, rt.exited]);
  } finally {
    delete globalThis[name];
  }
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

// Browsers: start on the default auth.wasm now, while the page runs the rest.
if (!isNode && typeof globalThis.fetch === 'function' && typeof globalThis.WebAssembly === 'object' &&
    typeof globalThis.document !== 'undefined') {
  try {
    preload();
  } catch {
    // no usable module URL (an unusual bundler): the first call reports it
  }
}

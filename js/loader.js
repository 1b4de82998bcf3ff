// Loads auth.wasm in browsers and Node: in a browser the default auth.wasm
// starts downloading and compiling (streaming) as soon as this module is
// evaluated; in Node it is read from disk and compiled, also from then on.
// What arrived is checked (status, Content-Type, the wasm magic bytes),
// and a failure rejects calls with a FetchError (status 0) that names the
// URL and the likely fix; runtime.js retries on the next call.
import { PACKAGE, VERSION, loadError as baseLoadError, makeLoader, mark } from './runtime.js';

export { VERSION };

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

const loader = makeLoader(compile, defaultWasmURL);
export const { loadWasm, preload } = loader;

function loadError(url, what, options = {}) {
  return baseLoadError(url, what, { ...options, fix: options.fix ?? defaultFix(url) });
}

function defaultFix(url) {
  if (url.pathname.includes('/node_modules/.vite/') || url.pathname.includes(`/node_modules/${PACKAGE}/`)) {
    return `With Vite, add optimizeDeps: { exclude: ['${PACKAGE}'] } to vite.config, or pass createClient({ wasmURL }).`;
  }
  return `Serve the package's js/auth.wasm at that URL (esbuild: copy node_modules/${PACKAGE}/js/auth.wasm ` +
    `beside the bundle), or pass ` +
    `createClient({ wasmURL }) with where it is served, or { wasmModule } with a compiled module.`;
}

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
  return baselineOnly(() => {
    const module = compileBytes(url, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), '', undefined);
    // While V8 compiles off the main thread: load what the first request needs.
    nodeModule('node:http');
    return module;
  });
}

// baselineOnly compiles auth.wasm with V8's baseline compiler only. Its
// code is mostly crossings into JS, which the optimizing tier does not
// speed up, while tiering up compiles in the background on every call's
// CPU: measured in Node 20, CPU per getUser over 200 calls 3.5 → 2.5 ms,
// over 3,000 calls 1.83 → 1.75 ms. The flag is set only while this module
// compiles, and left alone when the process was started with a wasm or
// Liftoff flag of its own.
async function baselineOnly(compile) {
  const v8 = globalThis.process?.getBuiltinModule?.('node:v8');
  if (!v8) return compile();
  const own = [...(process.execArgv ?? []), ...String(process.env?.NODE_OPTIONS ?? '').split(/\s+/)]
    .some((a) => /^--(no-)?(liftoff|wasm)/.test(a));
  if (own) return compile();
  v8.setFlagsFromString('--liftoff-only');
  try {
    return await compile();
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
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

// Browsers: start on the default auth.wasm now, while the page runs the rest.
if (!isNode && typeof globalThis.fetch === 'function' && typeof globalThis.WebAssembly === 'object' &&
    typeof globalThis.document !== 'undefined') {
  try {
    preload();
  } catch {
    // no usable module URL (an unusual bundler): the first call reports it
  }
}

// Node: read and compile the default auth.wasm now (off the main thread),
// while the program goes on to its first call.
if (isNode) {
  try {
    loader.precompile();
  } catch {
    // no usable module URL: the first call reports it
  }
}

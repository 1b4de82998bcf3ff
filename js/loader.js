// Loads auth.wasm once per URL and resolves to the API it exports. In a
// browser the module is compiled while it downloads (streaming); in Node
// it is read from disk next to this file.
import Go from './wasm_exec.js';

const instances = new Map();

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined &&
  typeof window === 'undefined';

/** The default location of auth.wasm: beside this module. */
export function defaultWasmURL() {
  return new URL('./auth.wasm', import.meta.url);
}

/** Starts auth.wasm (once per URL) and resolves to its API. */
export function loadWasm(wasmURL) {
  const url = wasmURL instanceof URL ? wasmURL : new URL(wasmURL ?? defaultWasmURL(), globalThis.location?.href ?? import.meta.url);
  const key = url.href;
  let p = instances.get(key);
  if (!p) {
    p = start(url);
    instances.set(key, p);
    p.catch(() => instances.delete(key)); // a failed load may be retried
  }
  return p;
}

async function instantiate(url, imports) {
  if (isNode && url.protocol === 'file:') {
    const fsName = 'node:fs/promises'; // not a literal: browser bundlers leave it alone
    const fs = await import(/* @vite-ignore */ fsName);
    return (await WebAssembly.instantiate(await fs.readFile(url), imports)).instance;
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`nhost-auth-wasm: cannot load ${url.href}: HTTP ${res.status}`);
  if (WebAssembly.instantiateStreaming && (res.headers.get('Content-Type') || '').startsWith('application/wasm')) {
    return (await WebAssembly.instantiateStreaming(res, imports)).instance;
  }
  return (await WebAssembly.instantiate(await res.arrayBuffer(), imports)).instance;
}

async function start(url) {
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
  const instance = await instantiate(url, go.importObject);
  const exited = go.run(instance).then(() => {
    throw new Error('nhost-auth-wasm: the runtime exited');
  });
  return Promise.race([ready, exited]);
}

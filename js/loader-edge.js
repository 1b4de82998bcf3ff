// The loader of Edge runtimes (Next.js middleware, edge routes), which
// may instantiate a compiled WebAssembly.Module but not compile one:
// calls work when the client was given { wasmModule }, and otherwise
// reject with a FetchError that says how. getUserSession() and the
// session storage need no auth.wasm at all.
import { PACKAGE, VERSION, loadError, makeLoader } from './runtime.js';

export { VERSION };

/** auth.wasm's URL beside this module (informational: it is not fetched here). */
export function defaultWasmURL() {
  return new URL('./auth.wasm', import.meta.url);
}

export const { loadWasm, preload } = makeLoader(async (url) => {
  throw loadError(url, 'this Edge runtime cannot compile WebAssembly', {
    fix: `Pass { wasmModule } to the client (Next.js: import wasmModule from '${PACKAGE}/auth.wasm?module'), ` +
      'or use only getUserSession() here.',
  });
}, defaultWasmURL);

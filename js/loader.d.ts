/** Where auth.wasm comes from: a URL (default: beside this module), or an already compiled module. */
export interface WasmSource {
  wasmURL?: string | URL;
  wasmModule?: WebAssembly.Module;
}
/** Loads auth.wasm (once per source) and resolves to its running runtime. */
export function loadWasm(source?: string | URL | WasmSource): Promise<unknown>;
/** Starts downloading and compiling auth.wasm now, ahead of the first call. */
export function preload(source?: string | URL | WasmSource): Promise<unknown>;
/** The default location of auth.wasm: beside this module. */
export function defaultWasmURL(): URL;
/** The package version; auth.wasm must report the same one. */
export const VERSION: string;

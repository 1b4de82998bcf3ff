/** Loads auth.wasm (once per URL) and resolves to its internal API. */
export function loadWasm(wasmURL?: string | URL): Promise<unknown>;
export function defaultWasmURL(): URL;

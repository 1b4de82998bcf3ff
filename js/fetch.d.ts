/** A fetch-like function: what chain functions wrap. */
export type FetchFunction = (url: string, options?: RequestInit) => Promise<Response>;

/** Middleware: takes the next fetch and returns a fetch that wraps it. */
export type ChainFunction = (next: FetchFunction) => FetchFunction;

/** A successful result: parsed body, status and the response's Headers. */
export interface FetchResponse<T> {
  body: T;
  status: number;
  headers: Headers;
}

/**
 * Thrown for any status >= 300 and for requests that got no response
 * (status 0; `cause` then holds the original error, such as an AbortError).
 * `message` follows nhost-js: a string body, body.message, body.error, …
 */
export class FetchError<T = any> extends Error {
  body: T;
  status: number;
  headers: Headers;
  constructor(body: T, status: number, headers: Headers | HeadersInit | undefined, options?: ErrorOptions);
}

/** nhost-js's rule for the message of an error body. */
export function extractMessage(body: unknown): string;

/** Composes chain functions over fetch; the first is the outermost. */
export function createEnhancedFetch(chainFunctions?: ChainFunction[], base?: FetchFunction): FetchFunction;

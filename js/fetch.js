// FetchError, FetchResponse and the middleware chain: the same contract as
// @nhost/nhost-js/fetch, so error handling code carries over unchanged.

/**
 * Picks the human message of an error body, in nhost-js's order: a string
 * body, body.message, body.error (a string), body.error.message, the
 * joined errors[].message, else a generic text.
 */
export function extractMessage(body) {
  if (body && typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error === 'string') return body.error;
    if (body.error && typeof body.error === 'object' && typeof body.error.message === 'string') {
      return body.error.message;
    }
    if (Array.isArray(body.errors)) {
      const messages = body.errors
        .filter((e) => e !== null && typeof e === 'object' && typeof e.message === 'string')
        .map((e) => e.message);
      if (messages.length > 0) return messages.join(', ');
    }
  }
  return 'An unexpected error occurred';
}

/** An HTTP status >= 300, or a request that got no response (status 0). */
export class FetchError extends Error {
  constructor(body, status, headers, options) {
    super(extractMessage(body), options);
    this.name = 'FetchError';
    this.body = body;
    this.status = status;
    this.headers = headers instanceof Headers ? headers : new Headers(headers ?? undefined);
  }
}

/**
 * Composes chain functions over fetch: the first one is the outermost (it
 * runs first on the way out and last on the way back).
 */
export function createEnhancedFetch(chainFunctions = [], base = (url, init) => globalThis.fetch(url, init)) {
  return chainFunctions.reduceRight((next, fn) => fn(next), base);
}

export {
  attachAccessTokenMiddleware,
  sessionRefreshMiddleware,
  updateSessionFromResponseMiddleware,
  withAdminSessionMiddleware,
  withHeadersMiddleware,
  withRoleMiddleware,
} from './middleware.js';

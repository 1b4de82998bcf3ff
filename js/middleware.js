// The chain functions of @nhost/nhost-js/fetch, with its semantics (each
// sets a header only when the request has none of that name). Given a
// client of createClient, sessionRefreshMiddleware uses its session
// engine: the one that refreshes, never a second one beside it.
import { ENGINE, refreshSession } from './session.js';

const headersOf = (options) => new Headers(options?.headers || {});

/** Adds Authorization: Bearer <access token> from storage, unless the request has one. */
export const attachAccessTokenMiddleware = (storage) => (next) => async (url, options = {}) => {
  const headers = headersOf(options);
  const token = headers.has('Authorization') ? null : storage.get()?.accessToken;
  if (!token) return next(url, options);
  headers.set('Authorization', `Bearer ${token}`);
  return next(url, { ...options, headers });
};

/**
 * Refreshes the session before a request when it expires within
 * marginSeconds (60). Requests that carry their own Authorization, the
 * token endpoint, and (with a createClient client) the Auth client's own
 * requests, which its engine refreshes before sending, are left alone.
 */
export const sessionRefreshMiddleware = (auth, storage, options) => {
  const { marginSeconds = 60 } = options || {};
  return (next) => async (url, init = {}) => {
    const own = auth?.[ENGINE] && typeof auth.baseURL === 'string' && String(url).startsWith(auth.baseURL);
    if (!own && !headersOf(init).has('Authorization') && !String(url).endsWith('/v1/token')) {
      try {
        await refreshSession(auth, storage, marginSeconds);
      } catch {
        // the request goes on; it will say what is wrong
      }
    }
    return next(url, init);
  };
};

function sessionIn(body) {
  if (body === null || typeof body !== 'object') return null;
  if ('session' in body) return body.session || null;
  if ('accessToken' in body && 'refreshToken' in body && 'user' in body) return body;
  return null;
}

/** Stores the session of sign-in, sign-up and token responses; removes it on sign-out. */
export const updateSessionFromResponseMiddleware = (storage) => (next) => async (url, options) => {
  const response = await next(url, options);
  const u = String(url);
  try {
    if (u.endsWith('/signout')) {
      storage.remove();
    } else if (u.endsWith('/token') || u.includes('/token/exchange') || u.includes('/signin/') || u.includes('/signup/')) {
      const session = sessionIn(await response.clone().json().catch(() => null));
      if (session?.accessToken && session.refreshToken) storage.set(session);
    }
  } catch (err) {
    console.warn('Error in session response middleware:', err);
  }
  return response;
};

/** Hasura admin access for server-side code: the admin secret, a role and session variables as headers. */
export const withAdminSessionMiddleware = (options) => (next) => async (url, init = {}) => {
  const headers = headersOf(init);
  if (!headers.has('x-hasura-admin-secret')) headers.set('x-hasura-admin-secret', options.adminSecret);
  if (options.role && !headers.has('x-hasura-role')) headers.set('x-hasura-role', options.role);
  for (const [key, value] of Object.entries(options.sessionVariables ?? {})) {
    const name = key.startsWith('x-hasura-') ? key : `x-hasura-${key}`;
    if (!headers.has(name)) headers.set(name, value);
  }
  return next(url, { ...init, headers });
};

/** Default headers, each unless the request sets it. */
export const withHeadersMiddleware = (defaultHeaders) => (next) => async (url, init = {}) => {
  const headers = headersOf(init);
  new Headers(defaultHeaders).forEach((value, key) => {
    if (!headers.has(key)) headers.set(key, value);
  });
  return next(url, { ...init, headers });
};

/** x-hasura-role, unless the request sets it. */
export const withRoleMiddleware = (role) => (next) => async (url, init = {}) => {
  const headers = headersOf(init);
  if (!headers.has('x-hasura-role')) headers.set('x-hasura-role', role);
  return next(url, { ...init, headers });
};

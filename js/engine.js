// The browser half of the session engine: the cross-tab lock, the
// proactive refresh timer and its wake-up events, cross-tab change
// notices, and auth state events. The decisions (is the token due, did
// another tab refresh it, how long to back off) are made in Go (core).

/** Names of the events given to onAuthStateChange callbacks. */
export const AuthChangeEvent = Object.freeze({
  SIGNED_IN: 'SIGNED_IN',
  SIGNED_OUT: 'SIGNED_OUT',
  TOKEN_REFRESHED: 'TOKEN_REFRESHED',
  USER_UPDATED: 'USER_UPDATED',
});

/**
 * A lock function for auth.wasm: lock(ms) resolves to a release function
 * once this tab holds the Web Lock `name`, or to null when the browser has
 * no Web Locks or the lock was not free within ms (the refresh then goes
 * ahead without it; Go's re-read keeps that safe).
 *
 * snapshot() reads the stored session as it is. When the lock was held by
 * another tab, that tab has most likely just stored a new session, but
 * storage written in one tab reaches the others a little later (Chromium
 * syncs localStorage between renderer processes asynchronously), so the
 * lock is handed over only once the stored value has changed, or after
 * HANDOVER_MS when the other tab stored nothing. For the same reason the
 * lock is kept SETTLE_MS after release: a tab that read the old session
 * just before our write reached it asks for the lock after this and finds
 * the new session when it looks again.
 */
export function webLock(name, snapshot = () => null) {
  const HANDOVER_MS = 500;
  const SETTLE_MS = 150;
  const settleThenRelease = (release) => () => {
    const timer = setTimeout(() => {
      settling.delete(name);
      release();
    }, SETTLE_MS);
    settling.set(name, { timer, release });
  };
  return async (ms) => {
    const locks = globalThis.navigator?.locks;
    if (!locks || typeof locks.request !== 'function') return null;
    // This tab still holds the lock from its last refresh: keep holding it.
    const mine = settling.get(name);
    if (mine) {
      clearTimeout(mine.timer);
      settling.delete(name);
      return settleThenRelease(mine.release);
    }
    const before = safeSnapshot(snapshot);
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    // Resolves true once the lock is held (until release), false if
    // ifAvailable found it taken.
    const acquire = (options) => new Promise((resolve, reject) => {
      locks.request(name, options, (lock) => {
        resolve(lock !== null);
        return lock === null ? undefined : held;
      }).catch(reject);
    });
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), ms);
    let contended = false;
    let waiting = true;
    try {
      if (!(await acquire({ ifAvailable: true }))) {
        contended = true;
        // While we wait, the holder may store a new session: then there
        // is nothing left to refresh, and no need to wait for the lock.
        const changed = (async () => {
          while (waiting && safeSnapshot(snapshot) === before) await new Promise((r) => setTimeout(r, 10));
          return 'changed';
        })();
        const granted = acquire({ signal: abort.signal });
        const first = await Promise.race([granted.then(() => 'lock'), changed]);
        if (first === 'changed') {
          abort.abort();
          granted.then(() => release(), () => {});
          return null;
        }
      }
    } catch {
      return null;
    } finally {
      waiting = false;
      clearTimeout(timer);
    }
    if (contended) {
      const end = performance.now() + HANDOVER_MS;
      while (safeSnapshot(snapshot) === before && performance.now() < end) {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    return settleThenRelease(release);
  };
}

// Locks this tab holds for their settle time, by name.
const settling = new Map();

function safeSnapshot(snapshot) {
  try {
    return snapshot();
  } catch {
    return null;
  }
}

/** Reads the raw stored value of a backend that has a sharedKey, for comparisons. */
export function rawReader(backend) {
  if (typeof backend?.storageKey === 'string') return () => globalThis.localStorage?.getItem(backend.storageKey) ?? null;
  return () => globalThis.document?.cookie ?? null; // CookieStorage
}

/** The key under which a backend shares its session with other tabs, or null. */
export function sharedKey(backend) {
  if (typeof backend?.storageKey === 'string') return backend.storageKey; // LocalStorage
  if (typeof backend?.cookieName === 'string') return backend.cookieName; // CookieStorage
  return null;
}

/**
 * Tells other tabs that the session under key changed, and calls onNotice
 * when one of them did: over a BroadcastChannel, with localStorage's
 * `storage` event as well (it also catches other SDKs writing the key).
 */
export function crossTab(key, onNotice) {
  const cleanups = [];
  let channel = null;
  const Channel = globalThis.BroadcastChannel; // absent in some runtimes (Edge, old Node)
  if (typeof Channel === 'function') {
    channel = new Channel(`nhost-auth-wasm:${key}`);
    channel.onmessage = () => onNotice();
    cleanups.push(() => channel.close());
  }
  if (typeof globalThis.addEventListener === 'function') {
    const onStorage = (e) => {
      if (e.key === key || e.key === null) onNotice();
    };
    globalThis.addEventListener('storage', onStorage);
    cleanups.push(() => globalThis.removeEventListener('storage', onStorage));
  }
  return {
    post() {
      try {
        channel?.postMessage('changed');
      } catch {
        // a closed channel: nobody to tell
      }
    },
    close: () => cleanups.forEach((f) => f()),
  };
}

/**
 * Runs tick(reason) now and again at the time it returns (ms since the
 * epoch; null means signed out: wait for wake()). Timers are throttled and
 * stop while a laptop sleeps, so the page's return (visibilitychange,
 * pageshow, focus) and the network's (online) also run it; the times are
 * wall-clock, and Go compares them with the wall clock.
 */
export function scheduler(tick) {
  // setTimeout overflows past 2^31-1 ms; a long wait is split.
  const MAX_WAIT = 10 * 60 * 1000;
  let timer = null;
  let running = false;
  let pending = null;
  let disposed = false;

  const run = async (reason) => {
    if (disposed) return;
    if (running) {
      pending = pending === 'online' ? pending : reason;
      return;
    }
    running = true;
    clearTimeout(timer);
    timer = null;
    let next = null;
    try {
      next = await tick(reason);
    } catch {
      next = Date.now() + 60_000; // the runtime failed: look again later, never in a loop
    }
    running = false;
    if (disposed) return;
    if (pending !== null) {
      const again = pending;
      pending = null;
      run(again);
      return;
    }
    if (typeof next === 'number' && Number.isFinite(next)) {
      // 50 ms late rather than early: Go's clock must see the token as due.
      const wait = Math.min(Math.max(next - Date.now(), 0) + 50, MAX_WAIT);
      timer = setTimeout(() => run('timer'), wait);
      timer?.unref?.(); // in Node, never keep the process alive for a refresh
    }
  };

  const listeners = [];
  const on = (target, type, reason, when = () => true) => {
    if (!target || typeof target.addEventListener !== 'function') return;
    const fn = () => {
      if (when()) run(reason);
    };
    target.addEventListener(type, fn);
    listeners.push(() => target.removeEventListener(type, fn));
  };
  const doc = globalThis.document;
  on(doc, 'visibilitychange', 'visible', () => doc.visibilityState === 'visible');
  on(globalThis.window, 'pageshow', 'pageshow');
  on(globalThis.window, 'focus', 'focus');
  on(globalThis.window, 'online', 'online');

  return {
    wake: (reason) => run(reason),
    dispose() {
      disposed = true;
      clearTimeout(timer);
      listeners.forEach((f) => f());
    },
  };
}

/** The auth state events that lead from session a to session b (stored sessions or null). */
export function authEvents(a, b) {
  if (!a && !b) return [];
  if (!a) return [AuthChangeEvent.SIGNED_IN];
  if (!b) return [AuthChangeEvent.SIGNED_OUT];
  if (a.user?.id !== b.user?.id) return [AuthChangeEvent.SIGNED_OUT, AuthChangeEvent.SIGNED_IN];
  const events = [];
  if (a.accessToken !== b.accessToken || a.refreshToken !== b.refreshToken) events.push(AuthChangeEvent.TOKEN_REFRESHED);
  if (userKey(a.user) !== userKey(b.user)) events.push(AuthChangeEvent.USER_UPDATED);
  return events;
}

// userKey compares users by content. createdAt is compared as an instant:
// the server sends it in ns on sign-up and in µs (from the database)
// afterwards, which is no change.
function userKey(user) {
  if (!user || typeof user !== 'object') return JSON.stringify(user ?? null);
  const createdAt = Date.parse(user.createdAt);
  return JSON.stringify({ ...user, createdAt: Number.isNaN(createdAt) ? user.createdAt : createdAt });
}

// PKCE redirect flows started by this SDK. Each flow gets its own verifier
// slot, named by an id that rides in the flow's redirectTo (FLOW_PARAM),
// so that overlapping flows (two tabs, a magic link and a provider) never
// take each other's verifier, and a page can tell a code of ours from any
// other `code` in its URL. Slots live in localStorage, where a link opened
// in another tab of the same browser still finds them; elsewhere in memory.
import { generatePKCEPair } from './pkce.js';

/** The query parameter that names a flow's verifier slot. */
export const FLOW_PARAM = 'nhostFlow';

const PREFIX = 'nhostPKCE:';
// A slot outlives any flow: the server's codes and tickets last an hour.
const SLOT_TTL_MS = 2 * 60 * 60 * 1000;

const memory = new Map();

function slots() {
  try {
    const ls = globalThis.localStorage;
    if (ls) {
      const probe = PREFIX + 'probe';
      ls.setItem(probe, '1');
      ls.removeItem(probe);
      return {
        get: (k) => ls.getItem(k),
        set: (k, v) => ls.setItem(k, v),
        remove: (k) => ls.removeItem(k),
        keys: () => Object.keys(ls),
      };
    }
  } catch {
    // blocked or full: memory below
  }
  return {
    get: (k) => memory.get(k) ?? null,
    set: (k, v) => memory.set(k, v),
    remove: (k) => memory.delete(k),
    keys: () => [...memory.keys()],
  };
}

function flowId() {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(12));
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/**
 * Starts a PKCE flow: a fresh verifier kept in its own slot, and what to
 * send: the codeChallenge, and redirectTo (default: this page) marked with
 * the flow's id. The page that comes back with ?code= and that id trades
 * the code for a session on load (createClient does it).
 */
export async function startFlow(redirectTo) {
  if (redirectTo !== undefined && typeof redirectTo !== 'string') {
    throw new TypeError(`redirectTo must be a string, got ${typeof redirectTo}`);
  }
  let target = redirectTo;
  if (target === undefined) {
    const loc = globalThis.location;
    if (!loc?.href) throw new TypeError('redirectTo is required outside a browser page');
    target = loc.href.split('#')[0];
  }
  let url;
  try {
    url = new URL(target);
  } catch {
    throw new TypeError(`redirectTo must be an absolute URL, got ${JSON.stringify(target)}`);
  }
  const { verifier, challenge } = await generatePKCEPair();
  const id = flowId();
  const store = slots();
  const now = Date.now();
  for (const k of store.keys()) {
    if (!k.startsWith(PREFIX)) continue;
    try {
      if (now - JSON.parse(store.get(k)).t > SLOT_TTL_MS) store.remove(k);
    } catch {
      store.remove(k);
    }
  }
  store.set(PREFIX + id, JSON.stringify({ v: verifier, t: now }));
  url.searchParams.set(FLOW_PARAM, id);
  return { codeChallenge: challenge, redirectTo: url.toString(), flow: id };
}

/** The verifier of flow id, taken out of its slot (once), or null. */
export function takeVerifier(id) {
  const store = slots();
  const raw = store.get(PREFIX + id);
  if (raw === null) return null;
  store.remove(PREFIX + id);
  try {
    const { v, t } = JSON.parse(raw);
    return typeof v === 'string' && Date.now() - t <= SLOT_TTL_MS ? v : null;
  } catch {
    return null;
  }
}

// Passkeys done by the SDK: each call runs a whole WebAuthn ceremony in
// auth.wasm (options, navigator.credentials, verification) and returns what
// the raw verify call returns; a session it brings is stored as any other.
// One ceremony runs at a time: a new one aborts the one pending (an
// autofill that is aborted that way simply ends).
import { AuthChangeEvent } from './engine.js';
import { FetchError } from './fetch.js';

/** A ceremony that did not complete; code says why, cause is the browser's error. */
export class WebAuthnError extends Error {
  constructor(code, message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'WebAuthnError';
    this.code = code;
  }
}

const VERIFY = {
  signUp: 'verifySignUpWebauthn',
  signIn: 'verifySignInWebauthn',
  add: 'verifyAddSecurityKey',
  elevate: 'verifyElevateWebauthn',
};

// What a DOMException of a ceremony means, as SimpleWebAuthn reads them.
function classify(e, flow) {
  if (e instanceof FetchError || e instanceof WebAuthnError || e instanceof TypeError) return e;
  const creating = flow === 'signUp' || flow === 'add';
  const name = e?.name;
  const say = (code, message) => new WebAuthnError(code, message, e);
  if (typeof e?.message === 'string' && e.message.startsWith('webauthn: ')) {
    return say('invalid-options', e.message);
  }
  switch (name) {
    case 'AbortError':
      return say('aborted', 'the ceremony was aborted');
    case 'NotAllowedError':
      return say('cancelled', 'the user cancelled, or no authenticator answered in time');
    case 'SecurityError':
      return say('invalid-rp-id', 'the relying party id does not match this page\'s domain (or the page is not a secure context)');
    case 'InvalidStateError':
      if (creating) return say('already-registered', 'this authenticator already holds a credential for this account');
      break;
    case 'ConstraintError':
      return say(/resident|discoverable/i.test(e.message) ? 'no-discoverable-credentials' : 'user-verification-unavailable',
        'the authenticator cannot do what the server asks: ' + e.message);
    case 'NotSupportedError':
      return say(creating ? 'unsupported-algorithm' : 'not-supported',
        creating ? 'the authenticator supports none of the server\'s algorithms' : 'this browser cannot run the ceremony');
    case 'TimeoutError':
      return say('timeout', 'the ceremony timed out');
  }
  return say('unknown', e?.message ?? String(e));
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringArg(where, v, optional) {
  if (v === undefined && optional) return;
  if (typeof v !== 'string' || v === '') throw new TypeError(`${where} must be a non-empty string, got ${v === '' ? 'an empty string' : typeof v}`);
}

// The WebAuthn Signal API, where the browser has it: after a ceremony the
// authenticator's passkey manager learns which of the account's
// credentials the server still accepts (the options listed them all: the
// allowed keys of a sign-in with an email, the excluded ones of a new
// key) and the account's current names. Best effort: never an error.
function signalAfter(flow, res, info, current) {
  const PKC = globalThis.PublicKeyCredential;
  if (!info?.rpId || typeof PKC !== 'function') return;
  const user = res?.body?.session?.user ?? current ?? null;
  const userId = user?.id;
  if (!userId) return;
  const quiet = (p) => Promise.resolve(p).catch(() => {});
  try {
    const accepted = flow === 'add' ? [...info.known, info.credentialId] : info.known;
    if (typeof PKC.signalAllAcceptedCredentials === 'function' && accepted.length > 0 && (flow === 'add' || flow === 'signIn')) {
      quiet(PKC.signalAllAcceptedCredentials({ rpId: info.rpId, userId, allAcceptedCredentialIds: accepted }));
    }
    if (user && typeof PKC.signalCurrentUserDetails === 'function') {
      quiet(PKC.signalCurrentUserDetails({ rpId: info.rpId, userId, name: user.email ?? user.displayName, displayName: user.displayName }));
    }
  } catch {
    // an old browser with half the API: nothing to signal
  }
}

// The server answers every credential it refuses with the same 400
// invalid-request: unknown, revoked or tampered, or refused because of
// its own settings (an origin it does not list). Telling a passkey
// manager that a credential is unknown makes it hide or delete the
// passkey, so a refused one is only remembered, and reported unknown
// once the server has listed the account's keys without it: when its
// user (the assertion's user handle) next signs in, by any method.
function unknownCredentials(auth) {
  const refused = new Map(); // credential id → { rpId, userId }

  const signal = (rpId, credentialId) => {
    const PKC = globalThis.PublicKeyCredential;
    if (typeof PKC?.signalUnknownCredential !== 'function') return;
    try {
      Promise.resolve(PKC.signalUnknownCredential({ rpId, credentialId })).catch(() => {});
    } catch {
      // best effort, as every signal
    }
  };

  // The account's keys, as the options of an elevation list them: null
  // when the server did not say (WebAuthn off, the request failed).
  const accountKeys = async () => {
    try {
      const res = await auth.elevateWebauthn();
      return (res.body?.allowCredentials ?? []).map((c) => c?.id).filter((id) => typeof id === 'string');
    } catch (e) {
      // a signed-in user with no key at all
      return e instanceof FetchError && e.status === 400 && e.body?.error === 'invalid-request' ? [] : null;
    }
  };

  return {
    refused(flow, info, err) {
      if (flow !== 'signIn' || !info?.credentialId || !info.userHandle || !info.rpId) return;
      if (err instanceof FetchError && err.status === 400 && err.body?.error === 'invalid-request') {
        refused.set(info.credentialId, { rpId: info.rpId, userId: info.userHandle });
      }
    },
    // userId signed in: check the credentials of that user refused before.
    async signedIn(userId) {
      const mine = [...refused].filter(([, r]) => r.userId === userId);
      if (mine.length === 0) return;
      for (const [id] of mine) refused.delete(id);
      const keys = await accountKeys();
      if (keys === null) return;
      for (const [id, r] of mine) if (!keys.includes(id)) signal(r.rpId, id);
    },
  };
}

/**
 * The passkeys API of an auth client made by makeClient; currentUser()
 * is the signed-in user (for the Signal API); onAuthEvent(callback)
 * subscribes to its auth state changes (event, session).
 */
export function makePasskeys(auth, currentUser = () => null, onAuthEvent = undefined) {
  let current = null; // { controller, autofill }
  let lastRpId = null; // the relying party of the last ceremony
  const unknown = unknownCredentials(auth);
  onAuthEvent?.((event, session) => {
    if (event === AuthChangeEvent.SIGNED_IN && session?.user?.id) unknown.signedIn(session.user.id);
    if (event === AuthChangeEvent.USER_UPDATED) api.userChanged(session?.user);
  });

  const supported = () => typeof globalThis.PublicKeyCredential === 'function' &&
    typeof globalThis.navigator?.credentials?.create === 'function';

  const run = async (flow, body, extra, { mediation, autofill = false, signal } = {}) => {
    if (!supported()) throw new WebAuthnError('not-supported', 'WebAuthn is not available here (an insecure context, or an old browser)');
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
    // Autofill never interrupts a dialog: it starts once the dialog's
    // ceremony is over. Anything else aborts what is pending.
    while (autofill && current && !current.autofill) {
      await current.done;
      if (signal?.aborted) return null;
    }
    if (current) current.controller.abort(new DOMException('another ceremony started', 'AbortError'));
    const controller = new AbortController();
    let finish;
    const mine = { controller, autofill, done: new Promise((r) => (finish = r)) };
    current = mine;
    const onAbort = () => controller.abort(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      const [res, info, refused] = await auth._internal.passkey(flow, VERIFY[flow], body, extra, controller.signal, mediation);
      if (refused) {
        unknown.refused(flow, info, refused);
        throw refused;
      }
      if (info?.rpId) lastRpId = info.rpId;
      signalAfter(flow, res, info, currentUser());
      return res;
    } catch (e) {
      if (autofill && controller.signal.aborted) return null; // re-armed or given up: not an error
      throw classify(controller.signal.aborted && e === controller.signal.reason ? controller.signal.reason : e, flow);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (current === mine) current = null;
      finish();
    }
  };

  const api = {
    /** Whether this browser can run WebAuthn ceremonies at all. */
    isSupported: supported,
    /**
     * What the browser can do: PublicKeyCredential.getClientCapabilities()
     * where it exists, else what the older static methods tell.
     */
    async capabilities() {
      const PKC = globalThis.PublicKeyCredential;
      if (typeof PKC !== 'function') return { supported: false };
      if (typeof PKC.getClientCapabilities === 'function') {
        try {
          return { supported: true, ...(await PKC.getClientCapabilities()) };
        } catch {
          // fall through to the older checks
        }
      }
      const ask = async (fn) => (typeof PKC[fn] === 'function' ? PKC[fn]().catch(() => false) : false);
      return {
        supported: true,
        conditionalGet: await ask('isConditionalMediationAvailable'),
        userVerifyingPlatformAuthenticator: await ask('isUserVerifyingPlatformAuthenticatorAvailable'),
      };
    },
    /** Signs up with a new passkey: {email, nickname?, options?} (sign-up options). */
    async signUp({ email, nickname, options } = {}) {
      stringArg('passkeys.signUp: email', email);
      stringArg('passkeys.signUp: nickname', nickname, true);
      if (options !== undefined && !isPlainObject(options)) throw new TypeError('passkeys.signUp: options must be an object');
      return run('signUp', { email, ...(options ? { options } : {}) }, nickname ? { nickname } : {});
    },
    /** Signs in with a passkey: of this email's account, or any the authenticator holds (discoverable). */
    async signIn({ email, signal } = {}) {
      stringArg('passkeys.signIn: email', email, true);
      return run('signIn', email ? { email } : {}, {}, { signal });
    },
    /**
     * Offers passkeys in the browser's autofill (an input with
     * autocomplete="username webauthn"): resolves with the sign-in when the
     * user picks one, or null when it was aborted (by signal, or by another
     * ceremony); call it again to re-arm it (after an SPA navigation).
     */
    async autofill({ signal } = {}) {
      return run('signIn', {}, {}, { mediation: 'conditional', autofill: true, signal });
    },
    /** Adds a passkey to the signed-in user's account. */
    async add({ nickname } = {}) {
      stringArg('passkeys.add: nickname', nickname, true);
      return run('add', undefined, nickname ? { nickname } : {});
    },
    /** Proves presence with a passkey: the session then carries the elevated claim. */
    async elevate() {
      return run('elevate', undefined, {});
    },
    /**
     * Tells the browser's passkey manager the account's current names (after
     * they change), for the relying party of the last ceremony.
     */
    userChanged(user) {
      const PKC = globalThis.PublicKeyCredential;
      if (!lastRpId || !user?.id || typeof PKC?.signalCurrentUserDetails !== 'function') return;
      Promise.resolve(PKC.signalCurrentUserDetails({ rpId: lastRpId, userId: user.id, name: user.email ?? user.displayName,
        displayName: user.displayName })).catch(() => {});
    },
    /**
     * After a password sign-in, lets the browser create a passkey for the
     * account without a dialog (conditional create) where it supports it;
     * resolves with null where it does not, when the browser declines, or
     * after timeout seconds (30) without an answer.
     */
    async upgrade({ nickname, signal, timeout = 30 } = {}) {
      stringArg('passkeys.upgrade: nickname', nickname, true);
      if (typeof timeout !== 'number' || !(timeout > 0)) throw new TypeError('passkeys.upgrade: timeout must be a number of seconds > 0');
      const caps = await this.capabilities();
      if (!caps.conditionalCreate) return null;
      // The browser answers only if its password manager vouches for the
      // sign-in that just happened; otherwise it never does: give up.
      const limit = AbortSignal.timeout(timeout * 1000);
      const until = signal ? AbortSignal.any([signal, limit]) : limit;
      try {
        return await run('add', undefined, nickname ? { nickname } : {}, { mediation: 'conditional', signal: until });
      } catch (e) {
        if (e instanceof WebAuthnError && (e.code === 'cancelled' || e.code === 'aborted' || e.code === 'timeout')) return null;
        throw e;
      }
    },
  };
  return api;
}

// PKCE (RFC 7636) helpers, as @nhost/nhost-js/auth exports them. They use
// WebCrypto (globalThis.crypto), present in browsers, Node >= 19, Deno,
// Bun and edge runtimes; nothing here needs auth.wasm.

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random PKCE code verifier: 43 base64url characters from 32 random bytes. */
export function generateCodeVerifier() {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function generateCodeChallenge(verifier) {
  if (typeof verifier !== 'string') throw new TypeError(`generateCodeChallenge: verifier must be a string, got ${typeof verifier}`);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** A verifier and its S256 challenge. */
export async function generatePKCEPair() {
  const verifier = generateCodeVerifier();
  return { verifier, challenge: await generateCodeChallenge(verifier) };
}

// The demo page: every button is one call of the SDK.
import { createClient, FetchError } from '/js/index.js';

const authUrl = new URLSearchParams(location.search).get('auth') || 'http://127.0.0.1:4000';
const nhost = createClient({ authUrl });
const $ = (id) => document.getElementById(id);
$('auth').textContent = authUrl;

function showSession(session = nhost.getUserSession()) {
  $('status').textContent = session
    ? `signed in as ${session.user?.email || session.user?.phoneNumber || session.user?.displayName || session.decodedToken?.sub}`
    : 'signed out';
  $('session').textContent = session ? JSON.stringify(session, null, 2) : 'null';
}
nhost.sessionStorage.onChange(showSession); // fired in every tab
showSession();

// Auth state events, from this tab and the others.
nhost.onAuthStateChange((event) => {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${event}`;
  $('events').prepend(li);
});

const val = (id) => $(id).value.trim();
const redirectTo = () => location.origin + location.pathname;
const bearerSession = () => nhost.getUserSession();

// A link from the emulator (magic link, password reset, email change,
// verification) or a provider comes back here with ?refreshToken=…, or
// ?code=… for a PKCE flow (or ?error=…): the SDK takes it out of the
// address bar and trades it for a session.
// Passkeys in the username field's autofill, while the page is open.
if (nhost.auth.passkeys.isSupported()) {
  const arm = () => nhost.auth.passkeys.autofill().then((r) => {
    if (r) $('out').textContent = 'signed in with a passkey from autofill';
    arm(); // re-armed after it ends (a button's ceremony aborts it)
  }, (err) => { $('out').textContent = `autofill: ${err.code ?? err.name}: ${err.message}`; });
  arm();
}

nhost.authRedirect.then((r) => {
  if (r.kind === 'signedIn') $('out').textContent = `signed in from a ${r.type ?? 'provider'} redirect`;
  else if (r.kind === 'error') $('out').textContent = `redirect error: ${r.error.body?.error ?? ''}: ${r.error.message}`;
});

let mfaTicket = null;
const actions = {
  signUp: () => nhost.auth.signUpEmailPassword({ email: val('email'), password: val('password') }),
  signIn: async () => {
    const res = await nhost.auth.signInEmailPassword({ email: val('email'), password: val('password') });
    if (res.body.mfa) mfaTicket = res.body.mfa.ticket; // TOTP is on: enter the code below
    return res;
  },
  anonymous: () => nhost.auth.signInAnonymous(),
  getUser: () => nhost.auth.getUser(),
  refresh: () => nhost.refreshSession(0),
  verify: () => nhost.auth.verifyToken(),
  signOut: () => nhost.auth.signOut({ refreshToken: bearerSession()?.refreshToken }),
  signOutAll: () => nhost.auth.signOut({ all: true }),

  magicLink: () => nhost.auth.signInPasswordlessEmail({ email: val('email'), options: { redirectTo: redirectTo() } }),
  emailOtp: () => nhost.auth.signInOTPEmail({ email: val('email') }),
  emailOtpVerify: () => nhost.auth.verifySignInOTPEmail({ email: val('email'), otp: val('code') }),
  sms: () => nhost.auth.signInPasswordlessSms({ phoneNumber: val('phone') }),
  smsCode: async () => {
    // The emulator's dev SMS provider keeps the last code for each number.
    const res = await fetch(`${authUrl}/emulator/sms?phoneNumber=${encodeURIComponent(val('phone'))}`);
    const sms = await res.json();
    if (sms.code) $('code').value = sms.code;
    return { status: res.status, body: sms };
  },
  smsVerify: () => nhost.auth.verifySignInPasswordlessSms({ phoneNumber: val('phone'), otp: val('code') }),

  totpGenerate: async () => {
    const res = await nhost.auth.changeUserMfa();
    $('qr').src = res.body.imageUrl;
    $('qr').hidden = false;
    return res;
  },
  totpActivate: () => nhost.auth.verifyChangeUserMfa({ code: val('code'), activeMfaType: 'totp' }),
  totpDeactivate: () => nhost.auth.verifyChangeUserMfa({ code: val('code'), activeMfaType: '' }),
  totpSignIn: () => nhost.auth.verifySignInMfaTotp({ ticket: mfaTicket ?? '', otp: val('code') }),

  sendVerification: () => nhost.auth.sendVerificationEmail({ email: val('email'), options: { redirectTo: redirectTo() } }),
  resetPassword: () => nhost.auth.sendPasswordResetEmail({ email: val('email'), options: { redirectTo: redirectTo() } }),
  changePassword: () => nhost.auth.changeUserPassword({ newPassword: val('newPassword') }),
  changeEmail: () => nhost.auth.changeUserEmail({ newEmail: val('newEmail'), options: { redirectTo: redirectTo() } }),
  deanonymize: () => nhost.auth.deanonymizeUser({ signInMethod: 'email-password', email: val('email'), password: val('password') }),
  createPat: async () => {
    const expiresAt = new Date(Date.now() + 7 * 864e5).toISOString();
    const res = await nhost.auth.createPAT({ expiresAt, metadata: { from: 'demo' } });
    $('pat').value = res.body.personalAccessToken;
    return res;
  },
  signInPat: () => nhost.auth.signInPAT({ personalAccessToken: val('pat') }),

  version: () => nhost.auth.getVersion(),
  jwks: () => nhost.auth.getJWKs(),
  provider: async () => nhost.auth.signInProviderURL('github', { redirectTo: location.origin }),
  passkeySignUp: () => nhost.auth.passkeys.signUp({ email: val('email'), nickname: 'demo' }),
  passkeySignIn: () => nhost.auth.passkeys.signIn(),
  passkeyAdd: () => nhost.auth.passkeys.add({ nickname: 'another' }),
  passkeyElevate: () => nhost.auth.passkeys.elevate(),
  // PKCE: the SDK keeps the verifier; the page it comes back to signs in.
  github: () => nhost.auth.signInWithProvider('github', { redirectTo: location.href.split('#')[0] }),
  githubSignUp: () => nhost.auth.signInWithProvider('github', { redirectTo: location.href.split('#')[0] }, { signUp: true }),
  providerTokens: () => nhost.auth.getProviderTokens('github'),
  magicLinkPKCE: async () => {
    const flow = await nhost.auth.startPKCEFlow(location.href.split('#')[0]);
    return nhost.auth.signInPasswordlessEmail({ email: val('email'), codeChallenge: flow.codeChallenge,
      options: { redirectTo: flow.redirectTo } });
  },
};

document.addEventListener('click', async (ev) => {
  const action = ev.target.dataset?.action;
  if (!action) return;
  $('out').textContent = '…';
  try {
    const res = await actions[action]();
    $('out').textContent = JSON.stringify(res?.body !== undefined ? { status: res.status, body: res.body } : res, null, 2);
  } catch (err) {
    $('out').textContent = err instanceof FetchError
      ? `FetchError ${err.status}: ${err.message}\n${JSON.stringify(err.body, null, 2)}`
      : `${err.name}: ${err.message}`;
  }
});

// The demo page: every button is one call of the SDK.
import { createClient, FetchError } from '/js/index.js';

const authUrl = new URLSearchParams(location.search).get('auth') || 'http://127.0.0.1:4000';
const nhost = createClient({ authUrl });
const $ = (id) => document.getElementById(id);
$('auth').textContent = authUrl;

function showSession(session = nhost.getUserSession()) {
  $('status').textContent = session
    ? `signed in as ${session.user?.email || session.user?.displayName || session.decodedToken?.sub}`
    : 'signed out';
  $('session').textContent = session ? JSON.stringify(session, null, 2) : 'null';
}
nhost.sessionStorage.onChange(showSession);
showSession();

const email = () => $('email').value;
const password = () => $('password').value;
const actions = {
  signUp: () => nhost.auth.signUpEmailPassword({ email: email(), password: password() }),
  signIn: () => nhost.auth.signInEmailPassword({ email: email(), password: password() }),
  anonymous: () => nhost.auth.signInAnonymous(),
  getUser: () => nhost.auth.getUser(),
  refresh: () => nhost.refreshSession(0),
  verify: () => nhost.auth.verifyToken(),
  signOut: () => nhost.auth.signOut({ refreshToken: nhost.getUserSession()?.refreshToken }),
  signOutAll: () => nhost.auth.signOut({ all: true }),
  version: () => nhost.auth.getVersion(),
  jwks: () => nhost.auth.getJWKs(),
  provider: async () => nhost.auth.signInProviderURL('github', { redirectTo: location.origin }),
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

// The demo page: an app's sign-in, profile and security settings on the
// SDK, with the local server's mailbox and the auth events of every tab.
import { createClient, FetchError } from '/js/index.js';
import { authUrl } from '/config.js';

const nhost = createClient({ authUrl });
const $ = (id) => document.getElementById(id);
const home = location.origin + '/';
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
$('auth-url').textContent = authUrl;
$('mailbox-page').href = `${authUrl}/emulator/mail`;

// ---- Messages ----------------------------------------------------------

function describe(err) {
  if (err instanceof FetchError) {
    const b = err.body;
    return (b && typeof b === 'object' && (b.message || b.error)) || err.message;
  }
  return err?.message ?? String(err);
}

let toastTimer;
function toast(text, bad = false) {
  const t = $('toast');
  t.textContent = text;
  t.classList.toggle('bad', bad);
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

// ---- Which tab did it (for the event log) -------------------------------

const tabId = Math.random().toString(16).slice(2, 5);
$('tab-name').textContent = `tab ${tabId}`;
const channel = 'BroadcastChannel' in self ? new BroadcastChannel('acme-demo') : null;
let acting = 0;
let otherTab = { id: null, at: 0 };
channel?.addEventListener('message', (e) => { otherTab = { id: e.data.tab, at: Date.now() }; });
function source() {
  if (acting > 0) return { text: 'this tab', other: false };
  if (Date.now() - otherTab.at < 3000) return { text: `tab ${otherTab.id}`, other: true };
  return { text: 'automatic', other: false };
}

// ---- Rendering ---------------------------------------------------------

let mfaTicket = null;
let mfaActive = false;

function render(session = nhost.getUserSession()) {
  const user = session?.user;
  $('signed-out').hidden = !!session;
  $('signed-in').hidden = !session;
  const status = $('status');
  status.dataset.state = session ? 'in' : 'out';
  status.textContent = session ? 'signed in' : 'signed out';
  if (!session) return;
  $('mfa').hidden = true;
  mfaTicket = null;
  const name = user?.displayName || user?.email || user?.phoneNumber || 'Guest';
  $('user-name').textContent = user?.isAnonymous ? 'Guest' : name;
  $('user-email').textContent = user?.isAnonymous ? 'An anonymous account: nothing to remember.' : (user?.email || user?.phoneNumber || '');
  $('avatar').textContent = (user?.isAnonymous ? '?' : name).trim().charAt(0).toUpperCase();
  $('user-roles').innerHTML = (user?.roles ?? []).map((r) =>
    `<span class="chip${r === user.defaultRole ? ' default' : ''}" title="${r === user.defaultRole ? 'default role' : 'allowed role'}">${esc(r)}</span>`).join('');
  const facts = [
    ['User id', user?.id],
    ['Email verified', user?.emailVerified ? 'yes' : 'no'],
    ['Locale', user?.locale],
    ['Created', user?.createdAt ? new Date(user.createdAt).toLocaleString() : ''],
    ['Session id', session.refreshTokenId],
  ];
  $('facts').innerHTML = facts.filter(([, v]) => v).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
  $('guest-card').hidden = !user?.isAnonymous;
  $('security').hidden = !!user?.isAnonymous;
  $('account').hidden = !!user?.isAnonymous;
  renderTotp();
  tick();
}

function renderTotp() {
  $('totp-state').textContent = mfaActive
    ? 'On: signing in with a password asks for a code from the app.'
    : 'Codes from an app such as 1Password or Google Authenticator.';
  $('btn-totp-setup').hidden = mfaActive;
  $('totp-off').hidden = !mfaActive;
  if (mfaActive) $('totp-panel').hidden = true;
}

// The access token's time left, every second.
function tick() {
  const s = nhost.getUserSession();
  if (!s) return;
  const exp = s.decodedToken?.exp ?? 0; // milliseconds, as nhost-js decodes it
  const left = Math.max(0, exp - Date.now());
  const total = (s.accessTokenExpiresIn || 900) * 1000;
  const m = Math.floor(left / 60000);
  const sec = Math.floor((left % 60000) / 1000);
  $('countdown').textContent = `${m}:${String(sec).padStart(2, '0')}`;
  $('bar-fill').style.width = `${Math.min(100, (left / total) * 100)}%`;
}
setInterval(tick, 1000);

async function withToken() {
  const s = await nhost.refreshSession(60);
  if (!s) throw new Error('signed out');
  return { Authorization: `Bearer ${s.accessToken}` };
}

// The user's passkeys: a real app reads them from Hasura
// (auth.user_security_keys); the emulator lists them itself.
async function loadPasskeys() {
  const list = $('passkeys');
  try {
    const res = await fetch(`${authUrl}/emulator/security-keys`, { headers: await withToken() });
    const { securityKeys = [] } = await res.json();
    list.innerHTML = securityKeys.length
      ? securityKeys.map((k) => `<li>${esc(k.nickname || 'Passkey')} <span class="muted">· used ${esc(k.counter)} times</span></li>`).join('')
      : '<li class="empty">No passkeys yet.</li>';
  } catch {
    list.innerHTML = '<li class="empty">No passkeys yet.</li>';
  }
}

// A session's user has activeMfaType null (as on the real server): GET
// /user says whether TOTP is on.
async function loadMfa() {
  try {
    const res = await nhost.auth.getUser();
    mfaActive = res.body.activeMfaType === 'totp';
    renderTotp();
  } catch {
    // Signed out meanwhile.
  }
}

// Tokens are shown once, when made; this tab remembers the ones it made.
function loadPats() {
  const pats = JSON.parse(sessionStorage.getItem('demo-pats') || '[]');
  $('pats').innerHTML = pats.length
    ? pats.map((p) => `<li><code>${esc(p.token)}</code> <span class="muted">· until ${esc(new Date(p.expiresAt).toLocaleDateString())}</span></li>`).join('')
    : '<li class="empty">No tokens made in this tab.</li>';
}

// ---- Passkey autofill while signed out ---------------------------------

// Armed when the email field gets focus: its suggestions then list the
// passkeys of this site; picking one signs in.
$('email').addEventListener('focus', () => { if (!nhost.getUserSession()) armAutofill(); });

let autofillAbort = null;
function armAutofill() {
  if (autofillAbort || !nhost.auth.passkeys.isSupported()) return;
  const ctl = new AbortController();
  autofillAbort = ctl;
  nhost.auth.passkeys.autofill({ signal: ctl.signal }).then((res) => {
    if (autofillAbort === ctl) autofillAbort = null;
    if (res) toast('Signed in with a passkey from autofill');
    else if (!nhost.getUserSession() && document.activeElement === $('email')) setTimeout(armAutofill, 0); // a button's ceremony ended it
  }, (err) => {
    if (autofillAbort === ctl) autofillAbort = null;
    if (err?.code !== 'aborted') $('auth-error').textContent = describe(err);
  });
}
function stopAutofill() {
  autofillAbort?.abort();
  autofillAbort = null;
}

// ---- Actions -----------------------------------------------------------

const val = (id) => $(id).value.trim();
const signInEmail = () => val('email');

const actions = {
  async signIn() {
    const res = await nhost.auth.signInEmailPassword({ email: signInEmail(), password: $('password').value });
    if (res.body.mfa) {
      mfaTicket = res.body.mfa.ticket;
      $('mfa').hidden = false;
      $('mfa-otp').focus();
    }
  },
  async signUp() {
    const res = await nhost.auth.signUpEmailPassword({ email: signInEmail(), password: $('password').value,
      options: { redirectTo: home } });
    if (!res.body.session) toast('Account created: confirm it from the email in the mailbox');
  },
  passkeySignIn: () => nhost.auth.passkeys.signIn(),
  passkeySignUp: () => nhost.auth.passkeys.signUp({ email: signInEmail(), nickname: 'This device' }),
  github: () => nhost.auth.signInWithProvider('github', { redirectTo: home }),
  google: () => nhost.auth.signInWithProvider('google', { redirectTo: home }),
  async magicLink() {
    // PKCE: the link carries a code only this browser can trade.
    const flow = await nhost.auth.startPKCEFlow(home);
    await nhost.auth.signInPasswordlessEmail({ email: val('link-email'), codeChallenge: flow.codeChallenge,
      options: { redirectTo: flow.redirectTo } });
    toast('Sent: open the link from the mailbox');
  },
  async emailCode() {
    await nhost.auth.signInOTPEmail({ email: val('code-email') });
    toast('Sent: the code is in the mailbox');
  },
  emailCodeVerify: () => nhost.auth.verifySignInOTPEmail({ email: val('code-email'), otp: val('email-otp') }),
  async smsCode() {
    await nhost.auth.signInPasswordlessSms({ phoneNumber: val('phone') });
    toast('Sent: the SMS is in the mailbox');
  },
  smsCodeVerify: () => nhost.auth.verifySignInPasswordlessSms({ phoneNumber: val('phone'), otp: val('sms-otp') }),
  mfaVerify: () => nhost.auth.verifySignInMfaTotp({ ticket: mfaTicket ?? '', otp: val('mfa-otp') }),
  anonymous: () => nhost.auth.signInAnonymous(),

  refresh: () => nhost.refreshSession(0),
  signOut: () => nhost.auth.signOut({ refreshToken: nhost.getUserSession()?.refreshToken }),
  signOutAll: () => nhost.auth.signOut({ all: true }),
  async deanonymize() {
    await nhost.auth.deanonymizeUser({ signInMethod: 'email-password', email: val('keep-email'), password: $('keep-password').value });
    await nhost.refreshSession(0);
    toast('Saved: the guest account is yours now');
  },

  async totpSetup() {
    const res = await nhost.auth.changeUserMfa();
    $('totp-qr').src = res.body.imageUrl;
    $('totp-secret').textContent = res.body.totpSecret;
    $('totp-panel').hidden = false;
  },
  async totpActivate() {
    await nhost.auth.verifyChangeUserMfa({ code: val('totp-code'), activeMfaType: 'totp' });
    mfaActive = true;
    renderTotp();
    toast('Two-step verification is on');
  },
  async totpDeactivate() {
    await nhost.auth.verifyChangeUserMfa({ code: val('totp-off-code'), activeMfaType: '' });
    mfaActive = false;
    renderTotp();
    toast('Two-step verification is off');
  },
  async passkeyAdd() {
    const n = $('passkeys').querySelectorAll('li:not(.empty)').length + 1;
    await nhost.auth.passkeys.add({ nickname: `Passkey ${n}` });
    await loadPasskeys();
    toast('Passkey added');
  },
  async patCreate() {
    const expiresAt = new Date(Date.now() + 7 * 864e5).toISOString();
    const res = await nhost.auth.createPAT({ expiresAt, metadata: { createdBy: 'demo' } });
    const pats = JSON.parse(sessionStorage.getItem('demo-pats') || '[]');
    pats.unshift({ token: res.body.personalAccessToken, expiresAt });
    sessionStorage.setItem('demo-pats', JSON.stringify(pats));
    loadPats();
  },
  async changeEmail() {
    await nhost.auth.changeUserEmail({ newEmail: val('new-email'), options: { redirectTo: home } });
    toast('Confirm the new address from the email in the mailbox');
  },
  async changePassword() {
    await nhost.auth.changeUserPassword({ newPassword: $('new-password').value });
    toast('Password changed');
  },
  async sendVerification() {
    await nhost.auth.sendVerificationEmail({ email: nhost.getUserSession()?.user?.email ?? '', options: { redirectTo: home } });
    toast('Sent: the link is in the mailbox');
  },
  async elevate() {
    await nhost.auth.passkeys.elevate();
    toast('Confirmed: the session can change security settings');
  },
  async mailClear() {
    await fetch(`${authUrl}/emulator/mail`, { method: 'DELETE' });
    await pollMail();
  },
};

document.addEventListener('click', async (ev) => {
  const tab = ev.target.closest('[data-tab]');
  if (tab) {
    for (const t of document.querySelectorAll('[data-tab]')) t.setAttribute('aria-selected', String(t === tab));
    for (const p of document.querySelectorAll('[data-pane]')) p.hidden = p.dataset.pane !== tab.dataset.tab;
    return;
  }
  const use = ev.target.closest('[data-use-code]');
  if (use) {
    const input = $(use.dataset.target);
    input.value = use.dataset.useCode;
    input.focus();
    return;
  }
  const btn = ev.target.closest('[data-action]');
  if (!btn) return;
  ev.preventDefault();
  const action = actions[btn.dataset.action];
  stopAutofill(); // the person chose another way
  $('auth-error').textContent = '';
  btn.disabled = true;
  acting++;
  channel?.postMessage({ tab: tabId });
  try {
    await action();
  } catch (err) {
    if (nhost.getUserSession()) toast(describe(err), true);
    else $('auth-error').textContent = describe(err);
  } finally {
    btn.disabled = false;
    // Events of this action may arrive a moment after it returns.
    setTimeout(() => { acting--; }, 300);
  }
});

// Enter in a form presses its main button.
document.addEventListener('submit', (ev) => {
  ev.preventDefault();
  ev.target.querySelector('.btn.primary')?.click();
});

// ---- Mailbox -----------------------------------------------------------

let lastMail = '';
async function pollMail() {
  try {
    const res = await fetch(`${authUrl}/emulator/mail`);
    const { messages = [] } = await res.json();
    const key = messages.map((m) => m.id).join(',');
    if (key === lastMail) return;
    lastMail = key;
    $('mail').innerHTML = messages.length ? messages.slice(0, 12).map(mailItem).join('') : '<li class="empty">No messages yet.</li>';
  } catch {
    // The server is restarting: try again at the next tick.
  }
}

function mailItem(m) {
  const when = new Date(m.sentAt).toLocaleTimeString();
  const what = m.kind === 'sms' ? `SMS: ${m.text}` : m.subject;
  let act = '';
  if (m.link) act = `<a class="btn small primary" href="${esc(m.link)}" data-mail-link="${esc(m.id)}">Open link</a>`;
  else if (m.code) {
    const target = m.kind === 'sms' ? 'sms-otp' : 'email-otp';
    act = `<code>${esc(m.code)}</code><button class="btn small" data-use-code="${esc(m.code)}" data-target="${target}">Use</button>`;
  }
  return `<li data-mail="${esc(m.id)}"><span class="subject">${esc(what)}</span><span class="meta">to ${esc(m.to)} · ${esc(when)}</span><span class="act">${act}</span></li>`;
}
pollMail();
setInterval(pollMail, 1500);

// ---- Events of every tab ----------------------------------------------

let events = 0;
nhost.onAuthStateChange((event) => {
  const src = source();
  if (events++ === 0) $('events').innerHTML = '';
  const li = document.createElement('li');
  li.innerHTML = `<time>${esc(new Date().toLocaleTimeString())}</time><span class="ev">${esc(event)}</span><span class="src${src.other ? ' other' : ''}">${esc(src.text)}</span>`;
  $('events').prepend(li);
  if (event === 'SIGNED_IN') { loadPasskeys(); loadPats(); loadMfa(); }
});

// Renders on every change of the stored session, this tab's or another's.
nhost.sessionStorage.onChange((s) => render(s));
render();
if (nhost.getUserSession()) { loadPasskeys(); loadPats(); loadMfa(); }

// Back from a magic link, a provider or an emailed link: the SDK has taken
// the code or token out of the address bar and traded it.
nhost.authRedirect.then((r) => {
  if (r.kind === 'signedIn') toast(`Signed in from ${r.type === 'signinPasswordless' || r.type === 'passwordlessEmail' ? 'the email link' : 'the redirect'}`);
  else if (r.kind === 'error') toast(`Could not sign in: ${describe(r.error)}`, true);
});
document.body.dataset.ready = 'true';

package e2e_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nhost-auth-wasm/sdk/spec/surface"
)

// Every exported method, called with wrong-typed arguments, settles with a
// clean error (never a hang, never a dead runtime), and a normal call
// works afterwards.
func TestWrongTypedArguments(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	type outcome struct {
		Method string `json:"method"`
		Arg    string `json:"arg"`
		Kind   string `json:"kind"` // "TypeError", "FetchError", "ok", or something else
		Msg    string `json:"msg"`
	}
	var out struct {
		Outcomes  []outcome `json:"outcomes"`
		Sync      []outcome `json:"sync"`
		AfterOK   string    `json:"afterOK"`
		SignInOK  bool      `json:"signInOK"`
		Session   bool      `json:"session"`
		RawClient []outcome `json:"rawClient"`
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient, FetchError } = await import('/js/index.js');
localStorage.clear();
window.nhost = createClient({ authUrl: AUTH });
window.bad = { number: 42, null: null, undefined: undefined, huge: 'x'.repeat(1 << 20), bigint: 10n, fn: () => 1, symbol: Symbol('s') };
window.kind = (e) => e instanceof FetchError ? 'FetchError' : e instanceof TypeError ? 'TypeError' : (e?.constructor?.name ?? String(e));
window.settle = async (p, ms = 15000) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('hang')), ms))]);
return null;`, new(any))
	for _, m := range surface.Members {
		if !m.Request() {
			continue
		}
		var outcomes []outcome
		run(t, ctx, map[string]any{"METHOD": m.Name}, `
const outcomes = [];
for (const [name, v] of Object.entries(bad)) {
  for (const pos of [0, 1]) {
    const args = pos === 0 ? [v] : [{}, v];
    const o = { method: METHOD, arg: name + '@' + pos };
    try {
      await settle(nhost.auth[METHOD](...args));
      o.kind = 'ok';
    } catch (e) {
      o.kind = kind(e); o.msg = String(e.message).slice(0, 120);
    }
    outcomes.push(o);
  }
}
return outcomes;`, &outcomes)
		out.Outcomes = append(out.Outcomes, outcomes...)
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL}, `
const { createClient } = await import('/js/index.js');
const { createClient: createRaw } = await import('/js/auth.js');
const sync = [];
for (const [method, call] of Object.entries({
  pushChainFunction: (v) => nhost.auth.pushChainFunction(v),
  signInProviderURL: (v) => nhost.auth.signInProviderURL(v),
  verifyTicketURL: (v) => nhost.auth.verifyTicketURL(v),
  onChange: (v) => nhost.sessionStorage.onChange(v),
  set: (v) => nhost.sessionStorage.set(v),
  createClient: (v) => createClient(v),
  createRaw: (v) => createRaw(v),
})) {
  for (const [name, v] of Object.entries({ number: 42, null: null, fn: () => 1 })) {
    const o = { method, arg: name };
    try { call(v); o.kind = 'ok'; } catch (e) { o.kind = kind(e); o.msg = e.message; }
    sync.push(o);
  }
}
const refresh = [];
for (const v of ['soon', -1, NaN, {}]) {
  try { await nhost.refreshSession(v); refresh.push('ok'); } catch (e) { refresh.push(kind(e)); }
}
const after = await nhost.auth.getVersion();
const signIn = await nhost.auth.signInAnonymous();
const raw = createRaw(AUTH);
const rawClient = [];
for (const [name, v] of Object.entries(bad)) {
  const o = { method: 'raw.signInEmailPassword', arg: name };
  try { await settle(raw.signInEmailPassword(v)); o.kind = 'ok'; } catch (e) { o.kind = kind(e); }
  rawClient.push(o);
}
return { sync, afterOK: after.body.version, signInOK: signIn.status === 200, session: !!nhost.getUserSession(), rawClient };`, &out)

	assert.NotEmpty(t, out.AfterOK, "a normal call works after all of that")
	assert.True(t, out.SignInOK)
	assert.True(t, out.Session)
	for _, o := range append(out.Outcomes, out.RawClient...) {
		switch o.Kind {
		case "TypeError", "FetchError", "ok":
		default:
			t.Errorf("%s(%s) settled with %s %q", o.Method, o.Arg, o.Kind, o.Msg)
		}
	}
	// Where each method takes its provider, body and options (the table's word).
	notObject := map[string]bool{"number": true, "huge": true, "bigint": true, "fn": true, "symbol": true}
	for _, o := range out.Outcomes {
		m, _ := surface.Find(o.Method)
		pos, value := o.Arg[len(o.Arg)-1:], o.Arg[:len(o.Arg)-2]
		optional := m.Args == surface.ArgsOptionalBody || m.Args == surface.ArgsParams
		switch {
		case m.HasProvider():
			if pos == "0" && value != "huge" {
				assert.Equal(t, "TypeError", o.Kind, "%s(%s): the provider must be a string: %s", o.Method, o.Arg, o.Msg)
			}
		case m.Args == surface.ArgsOptions:
			if pos == "0" && notObject[value] {
				assert.Equal(t, "TypeError", o.Kind, "%s(%s): options must be a RequestInit: %s", o.Method, o.Arg, o.Msg)
			}
		default:
			// A body that is not an object never reaches the network.
			if pos == "0" && !(optional && (value == "null" || value == "undefined")) {
				assert.Equal(t, "TypeError", o.Kind, "%s(%s): %s", o.Method, o.Arg, o.Msg)
			}
			if pos == "1" && notObject[value] {
				assert.Equal(t, "TypeError", o.Kind, "%s(%s): options must be a RequestInit: %s", o.Method, o.Arg, o.Msg)
			}
		}
	}
	for _, o := range out.Sync {
		if o.Arg == "number" || o.Arg == "null" {
			if o.Method == "verifyTicketURL" && o.Arg == "null" {
				continue // no params: the bare /verify URL, as nhost-js
			}
			if o.Method == "createClient" && o.Arg == "null" {
				assert.Equal(t, "TypeError", o.Kind)
				continue
			}
			assert.Equal(t, "TypeError", o.Kind, "%s(%s) throws a TypeError: %s", o.Method, o.Arg, o.Msg)
		}
	}
}

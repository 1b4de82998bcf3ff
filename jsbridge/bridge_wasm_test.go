//go:build js && wasm

package jsbridge_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/jsbridge"
)

func eval(t *testing.T, body string, args ...any) safejs.Value {
	t.Helper()
	fnCtor, err := safejs.Global().Get("Function")
	require.NoError(t, err)
	fn, err := fnCtor.New("a", "b", "c", body)
	require.NoError(t, err)
	v, err := fn.Invoke(args...)
	require.NoError(t, err)
	return v
}

func str(t *testing.T, v safejs.Value) string {
	s, err := v.String()
	require.NoError(t, err)
	return s
}

// awaitJS waits for a JS promise in a test.
func awaitJS(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	type settledJS struct {
		v   safejs.Value
		err error
	}
	ch := make(chan settledJS, 1)
	onOK, _ := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { ch <- settledJS{v: args[0]}; return nil })
	onErr, _ := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- settledJS{v: args[0], err: jsbridge.NewJSError(args[0])}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	if _, err := p.Call("then", onOK.Value(), onErr.Value()); err != nil {
		return safejs.Undefined(), err
	}
	select {
	case s := <-ch:
		return s.v, s.err
	case <-ctx.Done():
		return safejs.Undefined(), ctx.Err()
	}
}

// The lock adapter waits for the shim's answer through settle, and stops
// waiting when its context ends; a late answer is ignored.
func TestJSLockerSettles(t *testing.T) {
	api, err := jsbridge.NewAPI()
	require.NoError(t, err)
	lock := func(src string) jsbridge.JSLocker {
		return jsbridge.JSLocker{Fn: eval(t, src, api)}
	}
	ctx := context.Background()
	released := eval(t, "return {n: 0}")
	l := jsbridge.JSLocker{Fn: eval(t, "return (id, ms) => setTimeout(() => a.settle(id, true, () => { b.n++; }), 5)", api, released)}
	release, err := l.Lock(ctx, time.Second)
	require.NoError(t, err)
	release()
	assert.Equal(t, "1", str(t, eval(t, "return String(a.n)", released)))

	_, err = lock("return (id) => a.settle(id, true, null)").Lock(ctx, time.Second)
	assert.Error(t, err, "no lock")
	_, err = lock("return (id) => Promise.resolve().then(() => a.settle(id, false, new RangeError('nope')))").Lock(ctx, time.Second)
	var je *jsbridge.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "nope", je.Error())

	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = lock("return (id) => setTimeout(() => a.settle(id, true, () => {}), 100)").Lock(cctx, time.Second)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	time.Sleep(150 * time.Millisecond) // the late settle must not crash the runtime
}

func TestFuncRecoversPanics(t *testing.T) {
	f, err := jsbridge.Func(func([]safejs.Value) any { panic("kaboom") })
	require.NoError(t, err)
	defer f.Release()
	out := eval(t, "try { return a(); } catch (e) { return 'threw'; }", f.Value())
	assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", out)))
}

func TestStringify(t *testing.T) {
	s, err := jsbridge.Stringify(eval(t, "return {b: 1, a: [true, null, 'x']}"))
	require.NoError(t, err)
	assert.Equal(t, `{"b":1,"a":[true,null,"x"]}`, s)
	_, err = jsbridge.Stringify(eval(t, "return {n: 10n}"))
	assert.Error(t, err, "BigInt cannot be serialized")
	_, err = jsbridge.Stringify(eval(t, "const o = {}; o.o = o; return o"))
	assert.Error(t, err, "cycle")
}

// A fake of the shim's send (js/auth.js) that records its arguments and
// answers from a script through the API's settle (a is the API).
const fakeFetch = `
const calls = [];
const responses = new Map();
const fetch = (id, head, body, init, timeoutMs, wantText, keep) => {
  const [method, url, ...headers] = head.split('\n');
  calls.push({url, method, headers: headers.join('\n'), body, init, timeoutMs, wantText, keep});
  (async () => {
    if (url.endsWith('/fail')) throw new TypeError('Failed to fetch');
    const res = new Response(url.endsWith('/head') ? null : '{"ok":true}', {status: 201, headers: {'X-Reply': 'yes'}});
    return [res.status, await res.text(), res];
  })().then(([s, t, r]) => { if (keep) responses.set(id, { status: s, text: t, response: r }); a.settle(id, true, s, wantText ? t : undefined); },
    (e) => a.settle(id, false, e));
};
return {fetch, calls, responses};`

// The shim's side of request and reply, as a Promise per call (a is the API).
const requester = `
const pending = new Map();
let n = 0;
const reply = (id, error, sent) => {
  const p = pending.get(id);
  pending.delete(id);
  const res = b.get(sent);
  b.delete(sent);
  if (error !== undefined) p.reject(error); else p.resolve(res);
};
const request = (h, ...args) => new Promise((resolve, reject) => {
  const id = ++n;
  pending.set(id, { resolve, reject });
  const bad = a.request(h, id, ...args);
  if (bad != null) { pending.delete(id); reject(bad); }
});
return { reply, request };`

func TestFetchTransport(t *testing.T) {
	api, err := jsbridge.NewAPI()
	require.NoError(t, err)
	fake := eval(t, fakeFetch, api)
	fetchFn, _ := fake.Get("fetch")
	tr := &jsbridge.FetchTransport{Send: fetchFn}
	userInit := eval(t, "return {credentials: 'include', headers: {'X-User': 'u'}, method: 'PUT'}")
	res, err := tr.RoundTrip(context.Background(), &core.Request{
		Method: "POST", URL: "http://auth.test/signin/anonymous", Header: core.Header{"content-type": "application/json"},
		Body: []byte(`{"a":1}`), Init: userInit,
	})
	require.NoError(t, err)
	assert.Equal(t, 201, res.Status)
	assert.Equal(t, `{"ok":true}`, string(res.Body))
	assert.Empty(t, res.Header, "response headers stay in JS")
	assert.NotNil(t, res.Raw, "the send that the shim keeps the Response of")

	// One call into JS, with the caller's init untouched.
	calls, _ := fake.Get("calls")
	assert.Equal(t, "1", str(t, eval(t, "return String(a.length)", calls)))
	call := eval(t, "return a[0]", calls)
	assert.Equal(t, "http://auth.test/signin/anonymous", str(t, eval(t, "return a.url", call)))
	assert.Equal(t, "POST", str(t, eval(t, "return a.method", call)))
	assert.True(t, eval(t, "return a.init", call).Equal(userInit), "the caller's options as they are")
	assert.Equal(t, `{"a":1}`, str(t, eval(t, "return a.body", call)))
	assert.Equal(t, "content-type\napplication/json\n", str(t, eval(t, "return a.headers", call)))
	assert.Equal(t, "true", str(t, eval(t, "return String(a.wantText)", call)), "a request made for no operation: core reads its body")
	assert.Equal(t, "0", str(t, eval(t, "return String(a.timeoutMs)", call)))

	// No response: the JS error comes back.
	_, err = tr.RoundTrip(context.Background(), &core.Request{Method: "GET", URL: "http://auth.test/fail", Header: core.Header{}})
	var je *jsbridge.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "Failed to fetch", je.Error())
}

func TestFetchTransportHonoursAbortSignals(t *testing.T) {
	// The real fetch, against the test page's own server.
	api, err := jsbridge.NewAPI()
	require.NoError(t, err)
	fetchFn := eval(t, "return (id, head, b, i) => { const [m, u] = head.split('\\n'); fetch(u, {...i, method: m}).then(async (r) => a.settle(id, true, r.status, await r.text()), (e) => a.settle(id, false, e)); }", api)
	tr := &jsbridge.FetchTransport{Send: fetchFn}
	here := str(t, eval(t, "return location.href"))

	res, err := tr.RoundTrip(context.Background(), &core.Request{Method: "GET", URL: here, Header: core.Header{}})
	require.NoError(t, err)
	assert.Equal(t, 200, res.Status)

	aborted := eval(t, "const ac = new AbortController(); ac.abort(); return {signal: ac.signal}")
	_, err = tr.RoundTrip(context.Background(), &core.Request{Method: "GET", URL: here, Header: core.Header{}, Init: aborted})
	var je *jsbridge.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "AbortError", str(t, eval(t, "return a.name", je.Value)))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = tr.RoundTrip(ctx, &core.Request{Method: "GET", URL: here, Header: core.Header{}})
	assert.Error(t, err)
}

func TestJSStorage(t *testing.T) {
	backend := eval(t, `let v = null; return {get: () => v, set: (x) => { v = x; }, remove: () => { v = null; }, peek: () => v};`)
	s := jsbridge.JSStorage{Backend: backend}
	data, err := s.Get()
	require.NoError(t, err)
	assert.Nil(t, data)
	require.NoError(t, s.Set([]byte(`{"accessToken":"a.b.c","refreshToken":"r"}`)))
	assert.Equal(t, "r", str(t, eval(t, "return a.peek().refreshToken", backend)), "stored as an object")
	data, err = s.Get()
	require.NoError(t, err)
	assert.JSONEq(t, `{"accessToken":"a.b.c","refreshToken":"r"}`, string(data))
	require.NoError(t, s.Remove())
	data, _ = s.Get()
	assert.Nil(t, data)

	throwing := jsbridge.JSStorage{Backend: eval(t, "return {get() { throw new Error('denied') }, set() {}, remove() {}}")}
	_, err = throwing.Get()
	assert.Error(t, err)
	// The session store reads a throwing backend as signed out.
	assert.Nil(t, core.NewSessionStore(throwing).Get())
}

func TestAPIRejectsBadArgumentsAndKeepsWorking(t *testing.T) {
	api, err := jsbridge.NewAPI()
	require.NoError(t, err)
	fake := eval(t, fakeFetch, api)
	fetchFn, _ := fake.Get("fetch")
	responses, _ := fake.Get("responses")
	shim := eval(t, requester, api, responses)
	replyFn, _ := shim.Get("reply")
	cfg := eval(t, "return {baseURL: 'http://auth.test', send: a, reply: b}", fetchFn, replyFn)
	h, err := api.Call("createClient", cfg)
	require.NoError(t, err)
	assert.Equal(t, safejs.TypeNumber, h.Type())

	// The shim checks and serializes bodies; the bridge takes JSON text only.
	bad := eval(t, "return [42, null, undefined, {email: 'a'}, [], true, 10n]")
	n, _ := bad.Length()
	for i := 0; i < n; i++ {
		b, _ := bad.Index(i)
		_, err := awaitJS(context.Background(), mustCall(t, shim, "request", h, member("signInEmailPassword"), safejs.Undefined(), b))
		var je *jsbridge.JSError
		require.ErrorAs(t, err, &je, "argument %d", i)
		assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", je.Value)))
		assert.True(t, strings.HasPrefix(je.Error(), "signInEmailPassword: body must be "), je.Error())
	}
	for _, args := range [][]any{
		{"nope", safejs.Undefined()},
		{1000, safejs.Undefined()},
		{member("getProviderTokens"), 5},
		{member("signInProviderURL"), safejs.Undefined()},
		{member("pushChainFunction"), safejs.Undefined()},
	} {
		_, err := awaitJS(context.Background(), mustCall(t, shim, "request", h, args[0], args[1]))
		assert.Error(t, err, "%v", args)
	}
	_, err = awaitJS(context.Background(), mustCall(t, shim, "request", 999, member("getUser")))
	assert.Error(t, err, "unknown handle")
	_, err = awaitJS(context.Background(), mustCall(t, shim, "request", h, member("getUser"), safejs.Undefined(), safejs.Undefined(), 5))
	assert.Error(t, err, "options must be an object")

	// A normal call still works.
	v, err := awaitJS(context.Background(), mustCall(t, shim, "request", h, member("signInAnonymous"), safejs.Undefined(), `{"displayName":"x"}`))
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true}`, str(t, eval(t, "return a.text", v)))

	// createClient with wrong config returns an Error value.
	out, err := api.Call("createClient", 5)
	require.NoError(t, err)
	assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", out)))
}

// member is the index by which the shim names a member to auth.wasm.
func member(name string) int {
	for i, n := range core.MethodNames {
		if n == name {
			return i
		}
	}
	return -1
}

func mustCall(t *testing.T, api safejs.Value, name string, args ...any) safejs.Value {
	t.Helper()
	v, err := api.Call(name, args...)
	require.NoError(t, err)
	return v
}

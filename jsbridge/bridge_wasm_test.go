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

func TestAwait(t *testing.T) {
	ctx := context.Background()
	v, err := jsbridge.Await(ctx, eval(t, "return Promise.resolve(42)"))
	require.NoError(t, err)
	n, _ := v.Int()
	assert.Equal(t, 42, n)

	_, err = jsbridge.Await(ctx, eval(t, "return Promise.reject(new RangeError('nope'))"))
	var je *jsbridge.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "nope", je.Error())
	assert.Equal(t, "RangeError", str(t, eval(t, "return a.name", je.Value)))

	_, err = jsbridge.Await(ctx, eval(t, "return Promise.reject('plain string')"))
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "plain string", je.Error())

	// A plain value is returned as is.
	v, err = jsbridge.Await(ctx, eval(t, "return 'x'"))
	require.NoError(t, err)
	assert.Equal(t, "x", str(t, v))

	// ctx ends first; the promise settling later must not crash the runtime.
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = jsbridge.Await(cctx, eval(t, "return new Promise(r => setTimeout(() => r(1), 100))"))
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	time.Sleep(150 * time.Millisecond)
}

func TestNewPromiseResolvesRejectsAndSurvivesPanics(t *testing.T) {
	ctx := context.Background()
	v, err := jsbridge.Await(ctx, jsbridge.NewPromise(func() (any, error) { return "done", nil }))
	require.NoError(t, err)
	assert.Equal(t, "done", str(t, v))

	_, err = jsbridge.Await(ctx, jsbridge.NewPromise(func() (any, error) { return nil, &jsbridge.ArgError{Msg: "bad arg"} }))
	var je *jsbridge.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", je.Value)))
	assert.Equal(t, "bad arg", je.Error())

	_, err = jsbridge.Await(ctx, jsbridge.NewPromise(func() (any, error) {
		var m map[string]int
		m["boom"] = 1 // a nil-map write panics
		return nil, nil
	}))
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", je.Value)))
	assert.Contains(t, je.Error(), "internal error")

	// The runtime is still alive.
	v, err = jsbridge.Await(ctx, jsbridge.NewPromise(func() (any, error) { return 7, nil }))
	require.NoError(t, err)
	n, _ := v.Int()
	assert.Equal(t, 7, n)
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
// answers from a script.
const fakeFetch = `
const calls = [];
const fetch = async (url, method, headers, body, init, timeoutMs) => {
  calls.push({url, method, headers, body, init, timeoutMs});
  if (url.endsWith('/fail')) throw new TypeError('Failed to fetch');
  const res = new Response(url.endsWith('/head') ? null : '{"ok":true}', {status: 201, headers: {'X-Reply': 'yes'}});
  return [res.status, await res.text(), res];
};
return {fetch, calls};`

func TestFetchTransport(t *testing.T) {
	fake := eval(t, fakeFetch)
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
	raw, ok := res.Raw.(safejs.Value)
	require.True(t, ok)
	assert.Equal(t, "yes", str(t, eval(t, "return a[2].headers.get('x-reply')", raw)))

	// One call into JS, with the caller's init untouched.
	calls, _ := fake.Get("calls")
	assert.Equal(t, "1", str(t, eval(t, "return String(a.length)", calls)))
	call := eval(t, "return a[0]", calls)
	assert.Equal(t, "http://auth.test/signin/anonymous", str(t, eval(t, "return a.url", call)))
	assert.Equal(t, "POST", str(t, eval(t, "return a.method", call)))
	assert.True(t, eval(t, "return a.init", call).Equal(userInit), "the caller's options as they are")
	assert.Equal(t, `{"a":1}`, str(t, eval(t, "return a.body", call)))
	assert.Equal(t, "content-type\napplication/json\n", str(t, eval(t, "return a.headers", call)))
	assert.Equal(t, "0", str(t, eval(t, "return String(a.timeoutMs)", call)))

	// No response: the JS error comes back.
	_, err = tr.RoundTrip(context.Background(), &core.Request{Method: "GET", URL: "http://auth.test/fail", Header: core.Header{}})
	var je *jsbridge.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "Failed to fetch", je.Error())
}

func TestFetchTransportHonoursAbortSignals(t *testing.T) {
	// The real fetch, against the test page's own server.
	fetchFn := eval(t, "return (u, m, h, b, i) => fetch(u, {...i, method: m}).then(async (r) => [r.status, await r.text(), r])")
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
	fake := eval(t, fakeFetch)
	fetchFn, _ := fake.Get("fetch")
	cfg := eval(t, "return {baseURL: 'http://auth.test', send: a}", fetchFn)
	h, err := api.Call("createClient", cfg)
	require.NoError(t, err)
	assert.Equal(t, safejs.TypeNumber, h.Type())

	// The shim checks and serializes bodies; the bridge takes JSON text only.
	bad := eval(t, "return [42, null, undefined, {email: 'a'}, [], true, 10n]")
	n, _ := bad.Length()
	for i := 0; i < n; i++ {
		b, _ := bad.Index(i)
		_, err := jsbridge.Await(context.Background(), mustCall(t, api, "request", h, "signInEmailPassword", safejs.Undefined(), b))
		var je *jsbridge.JSError
		require.ErrorAs(t, err, &je, "argument %d", i)
		assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", je.Value)))
		assert.True(t, strings.HasPrefix(je.Error(), "signInEmailPassword: body must be "), je.Error())
	}
	for _, args := range [][]any{
		{"nope", safejs.Undefined()},
		{"getProviderTokens", 5},
		{"signInProviderURL", safejs.Undefined()},
	} {
		_, err := jsbridge.Await(context.Background(), mustCall(t, api, "request", h, args[0], args[1]))
		assert.Error(t, err, "%v", args)
	}
	_, err = jsbridge.Await(context.Background(), mustCall(t, api, "request", 999, "getUser"))
	assert.Error(t, err, "unknown handle")
	_, err = jsbridge.Await(context.Background(), mustCall(t, api, "request", h, "getUser", safejs.Undefined(), safejs.Undefined(), 5))
	assert.Error(t, err, "options must be an object")

	// A normal call still works.
	v, err := jsbridge.Await(context.Background(), mustCall(t, api, "request", h, "signInAnonymous", safejs.Undefined(), `{"displayName":"x"}`))
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true}`, str(t, eval(t, "return a[1]", v)))

	// createClient with wrong config returns an Error value.
	out, err := api.Call("createClient", 5)
	require.NoError(t, err)
	assert.Equal(t, "TypeError", str(t, eval(t, "return a.constructor.name", out)))
}

func mustCall(t *testing.T, api safejs.Value, name string, args ...any) safejs.Value {
	t.Helper()
	v, err := api.Call(name, args...)
	require.NoError(t, err)
	return v
}

//go:build js && wasm

package jsbridge

import (
	"context"
	"strings"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
)

// FetchTransport sends core requests through one JS function, the shim's
// send (see js/auth.js):
//
//	send(url, method, headers, body, init, timeoutMs) → Promise<[status, text, response]>
//
// so that a request crosses into JS once and its answer comes back once.
// headers are core's own ("name\nvalue\n…"); init is the caller's
// RequestInit as the shim copied it (Request.Init), passed on untouched,
// with its headers above core's. The Response itself stays in JS: in
// auth.wasm the shim reads response headers from it, so core's
// Response.Header is empty and Response.Raw is the [status, text,
// response] array.
type FetchTransport struct {
	Send safejs.Value
}

// RoundTrip implements core.Transport.
func (t *FetchTransport) RoundTrip(ctx context.Context, req *core.Request) (*core.Response, error) {
	init := safejs.Undefined()
	if user, ok := req.Init.(safejs.Value); ok && isObject(user) {
		init = user
	}
	var body any = safejs.Undefined()
	if req.Body != nil {
		body = string(req.Body)
	}
	timeout := 0
	if req.Timeout > 0 {
		timeout = int(req.Timeout / time.Millisecond)
	}
	// Cancelling ctx aborts the fetch, together with the caller's own signal.
	if ctx.Done() != nil {
		withSignal, stop, err := abortOnDone(ctx, init)
		if err == nil {
			init = withSignal
			defer stop()
		}
	}
	p, err := t.Send.Invoke(req.URL, req.Method, flatHeaders(req.Header), body, init, timeout)
	if err != nil {
		return nil, err
	}
	res, err := Await(ctx, p)
	if err != nil {
		return nil, err
	}
	statusV, err := res.Index(0)
	if err != nil {
		return nil, err
	}
	status, err := statusV.Int()
	if err != nil {
		return nil, err
	}
	textV, err := res.Index(1)
	if err != nil {
		return nil, err
	}
	text, err := textV.String()
	if err != nil {
		return nil, err
	}
	var out []byte
	if text != "" {
		out = []byte(text)
	}
	return &core.Response{Status: status, Header: core.Header{}, Body: out, Raw: res}, nil
}

// flatHeaders writes h as "name\nvalue\n…" (header names and values
// cannot hold a newline).
func flatHeaders(h core.Header) string {
	var b strings.Builder
	for k, v := range h {
		b.WriteString(k)
		b.WriteByte('\n')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return b.String()
}

// responseHeaders is the Headers of the Response in a transport's Raw
// ([status, text, response]), or undefined.
func responseHeaders(raw any) safejs.Value {
	arr, ok := raw.(safejs.Value)
	if !ok || !isObject(arr) {
		return safejs.Undefined()
	}
	res, err := arr.Index(2)
	if err != nil || !isObject(res) {
		return safejs.Undefined()
	}
	h, _ := res.Get("headers")
	return h
}

// abortOnDone returns a copy of init whose signal aborts when ctx ends or
// when the caller's signal does; stop releases the watcher.
func abortOnDone(ctx context.Context, init safejs.Value) (safejs.Value, func(), error) {
	ctor, err := global.Get("AbortController")
	if err != nil || ctor.IsUndefined() {
		return init, nil, errNoAbort
	}
	ctrl, err := ctor.New()
	if err != nil {
		return init, nil, err
	}
	signal, _ := ctrl.Get("signal")
	copied := NewObject()
	if isObject(init) {
		if _, err := jsObject.Call("assign", copied, init); err != nil {
			return init, nil, err
		}
		if user, _ := init.Get("signal"); isObject(user) {
			// Follow the caller's signal too.
			if combined, ok := anySignal(user, signal); ok {
				signal = combined
			} else {
				signal = user // ctx cancellation then only stops the wait
			}
		}
	}
	_ = copied.Set("signal", signal)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_, _ = ctrl.Call("abort")
		case <-done:
		}
	}()
	return copied, func() { close(done) }, nil
}

// anySignal is AbortSignal.any([a, b]); ok is false where the runtime
// lacks it.
func anySignal(a, b safejs.Value) (safejs.Value, bool) {
	sigCtor, err := global.Get("AbortSignal")
	if err != nil {
		return safejs.Undefined(), false
	}
	anyFn, _ := sigCtor.Get("any")
	if !is(anyFn, safejs.TypeFunction) {
		return safejs.Undefined(), false
	}
	arr, _ := global.Get("Array")
	list, _ := arr.New()
	_, _ = list.Call("push", a, b)
	combined, err := sigCtor.Call("any", list)
	return combined, err == nil
}

var errNoAbort = &ArgError{Msg: "AbortController is not available"}

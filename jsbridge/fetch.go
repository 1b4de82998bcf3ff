//go:build js && wasm

package jsbridge

import (
	"context"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
)

// FetchTransport sends core requests through a JS function with fetch's
// signature: the browser's fetch, or the chain of JS middlewares the shim
// composed around it. Request.Init, when set, is the caller's RequestInit
// (signal, credentials, cache, …) and is passed on under our method,
// headers and body.
type FetchTransport struct {
	Fetch safejs.Value
}

// RoundTrip implements core.Transport.
func (t *FetchTransport) RoundTrip(ctx context.Context, req *core.Request) (*core.Response, error) {
	init := NewObject()
	if user, ok := req.Init.(safejs.Value); ok && isObject(user) {
		if _, err := jsObject.Call("assign", init, user); err != nil {
			return nil, err
		}
	}
	_ = init.Set("method", req.Method)
	_ = init.Set("headers", headersToJS(req.Header))
	if req.Body != nil {
		_ = init.Set("body", string(req.Body))
	} else {
		_ = init.Delete("body")
	}
	if req.Timeout > 0 {
		if signal, err := timeoutSignal(req.Timeout, init); err == nil {
			_ = init.Set("signal", signal)
		}
	}
	// Cancelling ctx aborts the fetch, together with the caller's own signal.
	if ctx.Done() != nil {
		if signal, stop, err := abortOnDone(ctx, init); err == nil {
			_ = init.Set("signal", signal)
			defer stop()
		}
	}
	res, err := Await(ctx, mustCall(t.Fetch.Invoke(req.URL, init)))
	if err != nil {
		return nil, err
	}
	if !isObject(res) {
		return nil, &ArgError{Msg: "fetch did not resolve to a Response"}
	}
	status, err := getInt(res, "status")
	if err != nil {
		return nil, err
	}
	headersJS, err := res.Get("headers")
	if err != nil {
		return nil, err
	}
	header, err := HeadersToGo(headersJS)
	if err != nil {
		return nil, err
	}
	var body []byte
	if req.Method != "HEAD" && status != 412 {
		text, err := Await(ctx, mustCall(res.Call("text")))
		if err != nil {
			return nil, err
		}
		s, err := text.String()
		if err != nil {
			return nil, err
		}
		body = []byte(s)
	}
	return &core.Response{Status: status, Header: header, Body: body, Raw: res}, nil
}

// mustCall turns a failed synchronous call into a rejected value for Await.
func mustCall(v safejs.Value, err error) safejs.Value {
	if err != nil {
		p, _ := jsPromise.Call("reject", NewError(err.Error()))
		return p
	}
	return v
}

func getInt(v safejs.Value, key string) (int, error) {
	x, err := v.Get(key)
	if err != nil {
		return 0, err
	}
	return x.Int()
}

// timeoutSignal is AbortSignal.timeout(d), combined with the caller's
// signal in init when there is one.
func timeoutSignal(d time.Duration, init safejs.Value) (safejs.Value, error) {
	sigCtor, err := global.Get("AbortSignal")
	if err != nil {
		return safejs.Undefined(), err
	}
	signal, err := sigCtor.Call("timeout", int(d/time.Millisecond))
	if err != nil {
		return safejs.Undefined(), err
	}
	if user, _ := init.Get("signal"); isObject(user) {
		if combined, ok := anySignal(user, signal); ok {
			return combined, nil
		}
		return user, nil
	}
	return signal, nil
}

// anySignal is AbortSignal.any([a, b]); ok is false where the browser
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

// abortOnDone returns a signal that aborts when ctx ends or when the
// caller's signal in init does; stop releases the watcher.
func abortOnDone(ctx context.Context, init safejs.Value) (safejs.Value, func(), error) {
	ctor, err := global.Get("AbortController")
	if err != nil || ctor.IsUndefined() {
		return safejs.Undefined(), nil, errNoAbort
	}
	ctrl, err := ctor.New()
	if err != nil {
		return safejs.Undefined(), nil, err
	}
	signal, _ := ctrl.Get("signal")
	if user, _ := init.Get("signal"); isObject(user) {
		// Follow the caller's signal too.
		if combined, ok := anySignal(user, signal); ok {
			signal = combined
		} else {
			signal = user // ctx cancellation then only stops the wait
		}
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_, _ = ctrl.Call("abort")
		case <-done:
		}
	}()
	return signal, func() { close(done) }, nil
}

var errNoAbort = &ArgError{Msg: "AbortController is not available"}

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
//	send(id, url, method, headers, body, init, timeoutMs)
//
// which answers with the API's settle(id, true, status, text, response)
// or settle(id, false, thrown): a request crosses into JS once and its
// answer comes back once. headers are core's own ("name\nvalue\n…"); init
// is the caller's RequestInit as the shim copied it (Request.Init), passed
// on untouched, with its headers above core's. The Response itself stays
// in JS: in auth.wasm the shim reads response headers from it, so core's
// Response.Header is empty and Response.Raw is the JS Response.
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
	// A ctx that ends stops the wait; the fetch itself ends with the
	// caller's own signal (the shim's calls use it) or its timeout.
	id, ch := newWait()
	if _, err := t.Send.Invoke(id, req.URL, req.Method, flatHeaders(req.Header), body, init, timeout); err != nil {
		dropWait(id)
		return nil, err
	}
	var got []safejs.Value
	select {
	case got = <-ch:
	case <-ctx.Done():
		dropWait(id)
		return nil, ctx.Err()
	}
	if ok, _ := arg(got, 0).Truthy(); !ok {
		return nil, NewJSError(arg(got, 1))
	}
	status, err := arg(got, 1).Int()
	if err != nil {
		return nil, err
	}
	text, err := arg(got, 2).String()
	if err != nil {
		return nil, err
	}
	var out []byte
	if text != "" {
		out = []byte(text)
	}
	res := arg(got, 3)
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

// responseHeaders is the Headers of the Response in a transport's Raw, or
// undefined.
func responseHeaders(raw any) safejs.Value {
	res, ok := raw.(safejs.Value)
	if !ok || !isObject(res) {
		return safejs.Undefined()
	}
	h, _ := res.Get("headers")
	return h
}

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
//	send(id, "METHOD\nURL\nname\nvalue\n…", body, init, timeoutMs, wantText, keep)
//
// which answers with the API's settle(id, true, status, text?) or
// settle(id, false, thrown): a request crosses into JS once and its
// answer comes back once. The headers are core's own; init is the
// caller's RequestInit as the shim copied it (Request.Init), passed on
// untouched, with its headers above core's. The Response and its text
// stay in JS (the shim hands them to the caller): the text comes into Go
// only when core reads it (Request.CoreReadsBody), core's Response.Header
// is empty, and Response.Raw is a sent: the send's id, which the reply
// names.
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
	head := req.Method + "\n" + req.URL + "\n" + flatHeaders(req.Header)
	// The shim keeps the Response (and its text) for the reply, unless it
	// is the session refresh's, which nobody else sees.
	id, got, err := await(ctx, t.Send, head, body, init, timeout, req.CoreReadsBody(), !req.SessionRefresh())
	if err != nil {
		return nil, err
	}
	status, err := arg(got, 0).Int()
	if err != nil {
		return nil, err
	}
	var out []byte
	if text := arg(got, 1); is(text, safejs.TypeString) {
		s, err := text.String()
		if err != nil {
			return nil, err
		}
		if s != "" {
			out = []byte(s)
		}
	}
	res := sent(id)
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

// sent is the id of a send whose Response the shim keeps: Response.Raw
// in auth.wasm.
type sent int

package core

import (
	"context"
	"time"
)

// Header holds HTTP headers the way fetch's Headers does: names are
// case-insensitive (stored lower-case) and repeated values are joined by ", ".
type Header map[string]string

// Get returns the value of name, or "".
func (h Header) Get(name string) string { return h[lowerASCII(name)] }

// Set replaces the value of name.
func (h Header) Set(name, value string) { h[lowerASCII(name)] = value }

// Add appends a value to name, joining with ", " as fetch does.
func (h Header) Add(name, value string) {
	k := lowerASCII(name)
	if old, ok := h[k]; ok {
		h[k] = old + ", " + value
		return
	}
	h[k] = value
}

// Del removes name.
func (h Header) Del(name string) { delete(h, lowerASCII(name)) }

// Has reports whether name is set.
func (h Header) Has(name string) bool {
	_, ok := h[lowerASCII(name)]
	return ok
}

// Clone returns a copy of h.
func (h Header) Clone() Header {
	out := make(Header, len(h))
	for k, v := range h {
		out[k] = v
	}
	return out
}

// Request is one HTTP request as the middleware chain sees it.
type Request struct {
	Method string
	URL    string
	Header Header
	Body   []byte // nil: no body
	// Init carries transport-specific options untouched by core, such as the
	// JavaScript RequestInit (signal, credentials, cache, ...) in the browser.
	Init any
	// Timeout, when set, makes the transport abort the request after it
	// (the refresh request has one, so that a /token that never answers
	// frees everyone waiting for it).
	Timeout time.Duration

	noRefresh bool       // the session refresh request itself (see AuthClient)
	readBody  bool       // the caller reads the body (ReadBody)
	op        *Operation // the operation it was made for, if any
}

// CoreReadsBody reports whether core itself reads the response's body: a
// response that may carry a session, the session refresh, or a request
// not made for an operation. A transport whose caller gets the response
// in its own form (auth.wasm's, where the body stays in JS) may leave the
// body out otherwise.
func (r *Request) CoreReadsBody() bool {
	return r.op == nil || r.op.Effect == SetsSession || r.noRefresh || r.readBody
}

// SessionRefresh reports whether this is the session refresh request,
// whose response core consumes and nobody else sees.
func (r *Request) SessionRefresh() bool { return r.noRefresh }

// Response is one HTTP response. Body is fully read.
type Response struct {
	Status int
	Header Header
	Body   []byte
	// Raw is the transport's own response object, untouched by core (the
	// JavaScript Response in the browser, so callers get its real Headers).
	Raw any
}

// FetchFunc performs a request; it is the Go form of nhost-js's FetchFunction.
type FetchFunc func(ctx context.Context, req *Request) (*Response, error)

// ChainFunc wraps a FetchFunc; it is the Go form of nhost-js's ChainFunction.
// It may change the request, the response, or both, and must call next to
// reach the network.
type ChainFunc func(next FetchFunc) FetchFunc

// Transport sends requests over the network: net/http natively (package
// core/nethttp), browser fetch in WebAssembly (package jsbridge). An error
// means no HTTP response was received.
type Transport interface {
	RoundTrip(ctx context.Context, req *Request) (*Response, error)
}

// TransportFunc adapts a function to Transport.
type TransportFunc func(ctx context.Context, req *Request) (*Response, error)

// RoundTrip calls f.
func (f TransportFunc) RoundTrip(ctx context.Context, req *Request) (*Response, error) {
	return f(ctx, req)
}

// RequestOption adjusts one request: the Go form of the seed's
// `options?: RequestInit`.
type RequestOption func(*Request)

// WithHeader sets a request header. A request that carries its own
// Authorization header is left alone by the token middleware.
func WithHeader(name, value string) RequestOption {
	return func(r *Request) { r.Header.Set(name, value) }
}

// WithBearer sets `Authorization: Bearer token`.
func WithBearer(token string) RequestOption {
	return WithHeader("Authorization", "Bearer "+token)
}

// ReadBody makes the transport hand the response's body to Go even where
// it would leave it to its caller (a ceremony reads the options it gets).
func ReadBody() RequestOption {
	return func(r *Request) { r.readBody = true }
}

// OperationNamed returns the operation of a member, or nil.
func OperationNamed(name string) *Operation {
	for i, n := range MethodNames {
		if n == name {
			return memberOps[i]
		}
	}
	return nil
}

// WithInit attaches transport-specific options (see Request.Init).
func WithInit(init any) RequestOption {
	return func(r *Request) { r.Init = init }
}

// lowerASCII lower-cases header names without the unicode tables that
// strings.ToLower would link in.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

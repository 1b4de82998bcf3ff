// Package core is the Nhost Auth client in pure Go: the wire types, every
// member of nhost-js's auth client (generated from spec/surface), errors, the
// session engine, the middleware chain and JWT decoding. It never imports
// syscall/js or net/http, so the same code runs natively (with
// core/nethttp) and in auth.wasm (with jsbridge's fetch).
package core

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// FetchResponse is a successful result: the decoded body, the status and
// the response headers (nhost-js's FetchResponse<T>).
type FetchResponse[T any] struct {
	Body    T
	Status  int
	Headers Header
}

// Client is the raw Auth API client (nhost-js's `Client` from
// createAPIClient). It holds no session; session handling is middleware.
// It is safe for concurrent use.
type Client struct {
	// BaseURL is the Auth service URL, e.g. https://<sub>.auth.<region>.nhost.run/v1.
	BaseURL string

	transport Transport
	mu        sync.RWMutex
	chain     []ChainFunc
	fetch     FetchFunc // transport wrapped by chain, rebuilt on push
}

// NewClient returns a client for baseURL (trailing slashes are dropped)
// that sends through transport, wrapped by the chain functions in order:
// the first is the outermost, as in nhost-js's createAPIClient.
func NewClient(baseURL string, transport Transport, chain ...ChainFunc) *Client {
	c := &Client{BaseURL: strings.TrimRight(baseURL, "/"), transport: transport}
	c.chain = append(c.chain, chain...)
	c.rebuild()
	return c
}

// PushChainFunction appends a middleware. It becomes the innermost one:
// it runs after those pushed before it and just before the network.
func (c *Client) PushChainFunction(fn ChainFunc) {
	c.mu.Lock()
	c.chain = append(c.chain, fn)
	c.mu.Unlock()
	c.rebuild()
}

func (c *Client) rebuild() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var f FetchFunc = c.roundTrip
	for i := len(c.chain) - 1; i >= 0; i-- {
		f = c.chain[i](f)
	}
	c.fetch = f
}

func (c *Client) roundTrip(ctx context.Context, req *Request) (*Response, error) {
	if c.transport == nil {
		return nil, errNoTransport
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res, err := c.transport.RoundTrip(ctx, req)
	if err == nil && res == nil {
		err = errNilResponse
	}
	return res, err
}

type constError string

func (e constError) Error() string { return string(e) }

const (
	errNoTransport = constError("core: client has no transport")
	errNilResponse = constError("core: transport returned no response")
)

// Do sends req through the middleware chain and the transport. It returns
// the raw response whatever its status; a non-nil error means no response.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if req.Header == nil {
		req.Header = Header{}
	}
	c.mu.RLock()
	f := c.fetch
	c.mu.RUnlock()
	return f(ctx, req)
}

// NewRequest builds the request for an operation: URL, method, body and
// Content-Type, then applies opts. body is the JSON of the body (nil for
// none), or of the query parameters of a Query operation; a Form
// operation's JSON becomes its form body.
func (c *Client) NewRequest(o *Operation, provider SignInProvider, body []byte, opts ...RequestOption) *Request {
	req := &Request{Method: o.Method, URL: c.BaseURL + pathFor(o, provider), Header: Header{}, Body: body, op: o}
	switch {
	case o.Query:
		if q := QueryFromJSON(body, o.Spread); q != "" {
			req.URL += "?" + q
		}
		req.Body = nil
	case o.Form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Body = FormFromJSON(body, o.Form)
	case o.Body != BodyNone:
		// nhost-js sets it even when an optional body is left out.
		req.Header.Set("Content-Type", "application/json")
	}
	for _, opt := range opts {
		opt(req)
	}
	return req
}

// Send runs an operation and returns the raw response when its status is
// below 300, or a *FetchError otherwise (and for network failures).
func (c *Client) Send(ctx context.Context, o *Operation, provider SignInProvider, body []byte, opts ...RequestOption) (*Response, error) {
	res, err := c.Do(ctx, c.NewRequest(o, provider, body, opts...))
	if se, ok := err.(*StorageError); ok {
		return nil, se // answered, and signed in, but not stored
	}
	if err != nil {
		return nil, networkError(err)
	}
	if res.Header == nil {
		res.Header = Header{}
	}
	if res.Status >= 300 {
		fe := NewFetchError(decodeErrorBody(res), res.Status, res.Header)
		fe.Raw = res.Raw
		return nil, fe
	}
	return res, nil
}

// hasBody reports whether a success response carries a body to decode
// (nhost-js reads none for 204, 205 and 304, and for HEAD).
func hasBody(res *Response) bool {
	switch res.Status {
	case 204, 205, 304:
		return false
	}
	return len(res.Body) > 0
}

func encodeBody(v codec.Marshaler) ([]byte, error) {
	b, err := codec.Marshal(v)
	if err != nil {
		return nil, &FetchError{Body: err.Error(), Err: err, Headers: Header{}, message: "invalid request body: " + err.Error()}
	}
	return b, nil
}

// call runs an operation whose success body decodes into T.
func call[T any, PT interface {
	*T
	codec.Unmarshaler
}](ctx context.Context, c *Client, o *Operation, provider SignInProvider, body codec.Marshaler, opts []RequestOption) (*FetchResponse[T], error) {
	res, err := sendWith(ctx, c, o, provider, body, opts)
	if err != nil {
		return nil, err
	}
	out := &FetchResponse[T]{Status: res.Status, Headers: res.Header}
	if hasBody(res) {
		if err := codec.Unmarshal(res.Body, PT(&out.Body)); err != nil {
			return nil, malformedBody(res, err)
		}
	}
	return out, nil
}

// callString runs an operation whose success body is a JSON string ("OK").
func callString(ctx context.Context, c *Client, o *Operation, provider SignInProvider, body codec.Marshaler, opts []RequestOption) (*FetchResponse[string], error) {
	res, err := sendWith(ctx, c, o, provider, body, opts)
	if err != nil {
		return nil, err
	}
	out := &FetchResponse[string]{Status: res.Status, Headers: res.Header}
	if hasBody(res) {
		d := codec.NewDecoder(res.Body)
		out.Body = d.String()
		if err := d.Finish(); err != nil {
			return nil, malformedBody(res, err)
		}
	}
	return out, nil
}

// callVoid runs an operation whose response has no body (HEAD, a revocation).
func callVoid(ctx context.Context, c *Client, o *Operation, provider SignInProvider, body codec.Marshaler, opts []RequestOption) (*FetchResponse[struct{}], error) {
	res, err := sendWith(ctx, c, o, provider, body, opts)
	if err != nil {
		return nil, err
	}
	return &FetchResponse[struct{}]{Status: res.Status, Headers: res.Header}, nil
}

func sendWith(ctx context.Context, c *Client, o *Operation, provider SignInProvider, body codec.Marshaler, opts []RequestOption) (*Response, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = encodeBody(body); err != nil {
			return nil, err
		}
	}
	return c.Send(ctx, o, provider, raw, opts...)
}

// optional is an optional body or parameters: a nil pointer is none.
func optional[T any, PT interface {
	*T
	codec.Marshaler
}](p PT) codec.Marshaler {
	if p == nil {
		return nil
	}
	return p
}

func itoa(n int) string { return strconv.Itoa(n) }

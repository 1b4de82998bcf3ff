// Package nethttp is the native transport of the core client: it sends
// requests with net/http. It lives apart from core so that the wasm build,
// which uses the browser's fetch, never links net/http.
package nethttp

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Transport sends core requests with an *http.Client.
type Transport struct {
	// Client is the HTTP client; nil means a client that does not follow
	// redirects (the Auth API answers some calls with a 302 to read).
	Client *http.Client
}

// New returns a Transport using client (see Transport.Client).
func New(client *http.Client) *Transport { return &Transport{Client: client} }

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// RoundTrip implements core.Transport.
func (t *Transport) RoundTrip(ctx context.Context, req *core.Request) (*core.Response, error) {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, err
	}
	for k, v := range req.Header {
		hreq.Header.Set(k, v)
	}
	client := t.Client
	if client == nil {
		client = noRedirects
	}
	hres, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer hres.Body.Close()
	data, err := io.ReadAll(hres.Body)
	if err != nil {
		return nil, err
	}
	h := core.Header{}
	for k, vs := range hres.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return &core.Response{Status: hres.StatusCode, Header: h, Body: data}, nil
}

// NewClient returns a core client for baseURL over net/http.
func NewClient(baseURL string, chain ...core.ChainFunc) *core.Client {
	return core.NewClient(baseURL, New(nil), chain...)
}

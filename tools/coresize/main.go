// Command coresize is a js/wasm program that calls the core client the way
// auth.wasm will, so `make size` can measure what core adds to a wasm binary.
// It is never run; it is only built and measured.
package main

import (
	"context"
	"os"

	"github.com/nhost-auth-wasm/sdk/core"
)

func main() {
	c := core.NewClient(os.Getenv("U"), core.TransportFunc(func(ctx context.Context, r *core.Request) (*core.Response, error) {
		return &core.Response{Status: 200, Body: r.Body}, nil
	}), core.AttachAccessToken("http://x", func(context.Context) string { return "t" }))
	ctx := context.Background()
	r, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: os.Args[0]})
	if err == nil && r.Body.Session != nil {
		os.Stdout.WriteString(r.Body.Session.AccessToken)
	}
	u, _ := c.GetUser(ctx)
	if u != nil {
		os.Stdout.WriteString(u.Body.DisplayName)
	}
	p, _ := c.VerifySignUpWebauthn(ctx, core.SignUpWebauthnVerifyRequest{})
	if p != nil {
		os.Stdout.WriteString(p.Body.Session.RefreshToken)
	}
	o, _ := c.SignUpWebauthn(ctx, core.SignUpWebauthnRequest{})
	if o != nil {
		os.Stdout.WriteString(o.Body.Challenge)
	}
	d, err := core.DecodeAccessToken(os.Args[0])
	if err == nil {
		s, _ := core.ParseStoredSession([]byte(d.Sub))
		_ = s
	}
	os.Stdout.WriteString(c.SignInProviderURL("github", &core.SignInProviderParams{Metadata: map[string]any{"a": 1}}))
}

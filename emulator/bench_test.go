package emulator_test

import (
	"testing"

	"github.com/nhost-auth-wasm/sdk/core"
)

// Throughput of the emulator process over loopback, with the real server's
// bcrypt cost (sign-in is bcrypt-bound by design).
func BenchmarkSignIn(b *testing.B) {
	e := start(b, dev)
	c := e.client()
	email := newEmail("bench")
	if _, err := c.SignUpEmailPassword(ctx, core.SignUpEmailPasswordRequest{Email: email, Password: "Passw0rd!"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{Email: email, Password: "Passw0rd!"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}

func BenchmarkRefresh(b *testing.B) {
	e := start(b, dev)
	c := e.client()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		res, err := c.SignInAnonymous(ctx, nil)
		if err != nil {
			b.Error(err)
			return
		}
		rt := res.Body.Session.RefreshToken
		for pb.Next() {
			next, err := c.RefreshToken(ctx, core.RefreshTokenRequest{RefreshToken: rt})
			if err != nil {
				b.Error(err)
				return
			}
			rt = next.Body.RefreshToken
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "refreshes/s")
}

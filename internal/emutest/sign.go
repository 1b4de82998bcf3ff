package emutest

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhost-auth-wasm/sdk/emulator"
)

// Sign signs claims with the process's own key, read from its database: a
// token it could have issued (an ID token of an identity provider, say),
// with any claims.
func (p *Process) Sign(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	store, err := emulator.OpenStore(p.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	kid, pemText, err := store.SigningKey(context.Background(), func() (string, string, error) { return "", "", errors.New("no key yet") })
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		t.Fatal("the stored key is not PEM")
	}
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

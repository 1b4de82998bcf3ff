// Package webauthn runs WebAuthn ceremonies in the browser for the Auth
// client: it turns the server's JSON options into what
// navigator.credentials.create/get take (base64url strings become
// ArrayBuffers) and the credentials they return back into the JSON the
// server verifies. This file is the pure-Go base64url codec under it.
package webauthn

import (
	"encoding/base64"
	"strings"
)

// EncodeURL is base64url without padding, as WebAuthn's JSON forms use.
func EncodeURL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// DecodeURL decodes base64url with or without padding; the standard
// alphabet (+ /) is accepted too, since some servers send it.
func DecodeURL(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}

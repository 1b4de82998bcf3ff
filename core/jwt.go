package core

import (
	"encoding/base64"
	"math"
	"strings"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// HasuraClaimsKey is the claim that holds Hasura's session variables.
const HasuraClaimsKey = "https://hasura.io/jwt/claims"

// DecodedToken is an access token's payload in the shape nhost-js stores
// as `decodedToken`: exp and iat in milliseconds, Hasura claims whose
// Postgres-array strings ("{a,b}") are turned into arrays.
type DecodedToken struct {
	Exp          *int64         // expiry, Unix milliseconds; nil when absent
	Iat          *int64         // issued at, Unix milliseconds; nil when absent
	Iss          string         // issuer
	Sub          string         // subject: the user id
	HasuraClaims map[string]any // nil when absent
	Other        map[string]any // every other claim, as decoded
}

// TokenError reports a malformed access token.
type TokenError struct{ Reason string }

func (e *TokenError) Error() string { return "invalid access token: " + e.Reason }

// DecodeAccessToken decodes a JWT's payload without checking its signature.
// It accepts base64url with or without padding (and the standard alphabet).
// A malformed token returns a *TokenError, never a panic.
func DecodeAccessToken(token string) (*DecodedToken, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[1] == "" {
		return nil, &TokenError{Reason: "expected three dot-separated parts"}
	}
	payload, err := decodeBase64URL(parts[1])
	if err != nil {
		return nil, &TokenError{Reason: "payload is not base64url"}
	}
	d := codec.NewDecoder(payload)
	raw := d.Map()
	if err := d.Finish(); err != nil || raw == nil {
		return nil, &TokenError{Reason: "payload is not a JSON object"}
	}
	out := &DecodedToken{Other: map[string]any{}}
	for k, v := range raw {
		switch k {
		case "exp":
			out.Exp = millis(v)
		case "iat":
			out.Iat = millis(v)
		case "iss":
			out.Iss, _ = v.(string)
			if _, ok := v.(string); !ok {
				out.Other[k] = v
			}
		case "sub":
			out.Sub, _ = v.(string)
			if _, ok := v.(string); !ok {
				out.Other[k] = v
			}
		case HasuraClaimsKey:
			if m, ok := v.(map[string]any); ok {
				out.HasuraClaims = convertPostgresArrays(m)
			}
		default:
			out.Other[k] = v
		}
	}
	return out, nil
}

func millis(v any) *int64 {
	f, ok := v.(float64)
	if !ok || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	ms := int64(math.Round(f * 1000))
	return &ms
}

func decodeBase64URL(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	b := []byte(s)
	for i, c := range b { // accept the standard alphabet too, as atob does
		switch c {
		case '+':
			b[i] = '-'
		case '/':
			b[i] = '_'
		}
	}
	out := make([]byte, base64.RawURLEncoding.DecodedLen(len(b)))
	n, err := base64.RawURLEncoding.Decode(out, b)
	return out[:n], err
}

// convertPostgresArrays turns string claims like "{a,b}" into []any{"a","b"}.
func convertPostgresArrays(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok && len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' {
			out[k] = parsePostgresArray(s)
			continue
		}
		out[k] = v
	}
	return out
}

func parsePostgresArray(s string) []any {
	if s == "{}" {
		return []any{}
	}
	items := strings.Split(s[1:len(s)-1], ",")
	out := make([]any, len(items))
	for i, it := range items {
		it = strings.TrimSpace(it)
		if len(it) >= 2 && it[0] == '"' && it[len(it)-1] == '"' {
			it = it[1 : len(it)-1]
		}
		out[i] = it
	}
	return out
}

// UserID returns x-hasura-user-id, or Sub.
func (t *DecodedToken) UserID() string {
	if s, ok := t.HasuraClaims["x-hasura-user-id"].(string); ok {
		return s
	}
	return t.Sub
}

// EncodeJSON writes the token as nhost-js stores it.
func (t *DecodedToken) EncodeJSON(e *codec.Encoder) {
	e.BeginObject()
	for _, k := range codec.SortedKeys(t.Other) {
		e.Key(k)
		e.Any(t.Other[k])
	}
	if t.Exp != nil {
		e.Key("exp")
		e.Int(*t.Exp)
	}
	if t.Iat != nil {
		e.Key("iat")
		e.Int(*t.Iat)
	}
	if t.Iss != "" {
		e.Key("iss")
		e.String(t.Iss)
	}
	if t.Sub != "" {
		e.Key("sub")
		e.String(t.Sub)
	}
	if t.HasuraClaims != nil {
		e.Key(HasuraClaimsKey)
		e.Map(t.HasuraClaims)
	}
	e.EndObject()
}

// StoredSession is a Session plus its decoded access token: the value kept
// under the storage key `nhostSession`, in nhost-js's shape, so a user who
// switches SDKs stays signed in.
type StoredSession struct {
	Session
	DecodedToken *DecodedToken
}

// NewStoredSession decodes s's access token and pairs it with s.
func NewStoredSession(s Session) (*StoredSession, error) {
	tok, err := DecodeAccessToken(s.AccessToken)
	if err != nil {
		return nil, err
	}
	return &StoredSession{Session: s, DecodedToken: tok}, nil
}

// EncodeJSON writes the session's fields followed by decodedToken.
func (s *StoredSession) EncodeJSON(e *codec.Encoder) {
	var inner codec.Encoder
	s.Session.EncodeJSON(&inner)
	b, err := inner.Bytes()
	if err != nil {
		e.Fail(err)
		return
	}
	e.Raw(b[:len(b)-1]) // the session object without its closing brace
	if s.DecodedToken != nil {
		e.Key("decodedToken")
		s.DecodedToken.EncodeJSON(e)
	}
	e.EndObject()
}

// ParseStoredSession reads a stored session. The access token is decoded
// again rather than trusting the stored decodedToken, and a value that is
// not a usable session is an error (the caller treats it as signed out).
func ParseStoredSession(data []byte) (*StoredSession, error) {
	var s Session
	if err := codec.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	if s.AccessToken == "" || s.RefreshToken == "" {
		return nil, &TokenError{Reason: "stored session has no tokens"}
	}
	return NewStoredSession(s)
}

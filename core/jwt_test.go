package core_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jwt builds an unsigned token around payload, base64url without padding.
func jwt(t *testing.T, payload any, enc *base64.Encoding) string {
	b, err := json.Marshal(payload)
	require.NoError(t, err)
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"k1","typ":"JWT"}`))
	return head + "." + enc.EncodeToString(b) + ".c2lnbmF0dXJl"
}

func TestDecodeAccessToken(t *testing.T) {
	payload := map[string]any{
		"exp": 1795603591, "iat": 1795602691, "iss": "hasura-auth", "sub": "8f2d",
		core.HasuraClaimsKey: map[string]any{
			"x-hasura-allowed-roles":     []string{"me", "user"},
			"x-hasura-default-role":      "user",
			"x-hasura-user-id":           "8f2d",
			"x-hasura-user-is-anonymous": "false",
			"x-hasura-org-ids":           `{"a b", c ,d}`,
			"x-hasura-empty":             "{}",
		},
		// Characters whose base64 needs - and _ in base64url.
		"nick": "ÿÿ>>??~~",
	}
	for name, enc := range map[string]*base64.Encoding{
		"base64url no padding":   base64.RawURLEncoding,
		"base64url with padding": base64.URLEncoding,
		"standard alphabet":      base64.StdEncoding,
	} {
		t.Run(name, func(t *testing.T) {
			tok := jwt(t, payload, enc)
			d, err := core.DecodeAccessToken(tok)
			require.NoError(t, err)
			require.NotNil(t, d.Exp)
			assert.Equal(t, int64(1795603591000), *d.Exp, "milliseconds")
			assert.Equal(t, int64(1795602691000), *d.Iat)
			assert.Equal(t, "hasura-auth", d.Iss)
			assert.Equal(t, "8f2d", d.Sub)
			assert.Equal(t, "8f2d", d.UserID())
			assert.Equal(t, []any{"me", "user"}, d.HasuraClaims["x-hasura-allowed-roles"])
			assert.Equal(t, "false", d.HasuraClaims["x-hasura-user-is-anonymous"])
			assert.Equal(t, []any{"a b", "c", "d"}, d.HasuraClaims["x-hasura-org-ids"])
			assert.Equal(t, []any{}, d.HasuraClaims["x-hasura-empty"])
			assert.Equal(t, "ÿÿ>>??~~", d.Other["nick"])
		})
	}
	// The payload really did contain - or _ in its base64url form.
	mid := strings.Split(jwt(t, payload, base64.RawURLEncoding), ".")[1]
	assert.True(t, strings.ContainsAny(mid, "-_"), mid)
}

func TestDecodeAccessTokenWithoutTimes(t *testing.T) {
	d, err := core.DecodeAccessToken(jwt(t, map[string]any{"sub": "x"}, base64.RawURLEncoding))
	require.NoError(t, err)
	assert.Nil(t, d.Exp)
	assert.Nil(t, d.Iat)
	assert.Nil(t, d.HasuraClaims)
}

func TestMalformedTokensAreErrors(t *testing.T) {
	good := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x"}`))
	for _, tok := range []string{
		"", "abc", "a.b", "a..c", "a.b.c.d",
		"h." + "!!!notbase64" + ".s",
		"h." + base64.RawURLEncoding.EncodeToString([]byte("not json")) + ".s",
		"h." + base64.RawURLEncoding.EncodeToString([]byte(`["array"]`)) + ".s",
		"h." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x"} trailing`)) + ".s",
		"h." + good[:len(good)-1] + "=.s",
	} {
		_, err := core.DecodeAccessToken(tok)
		var te *core.TokenError
		assert.ErrorAs(t, err, &te, "%q", tok)
	}
}

func FuzzDecodeAccessToken(f *testing.F) {
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEsImh0dHBzOi8vaGFzdXJhLmlvL2p3dC9jbGFpbXMiOnsieCI6Int9In19.c2ln")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		d, err := core.DecodeAccessToken(tok)
		if err == nil {
			var e codec.Encoder
			d.EncodeJSON(&e)
			_, _ = e.Bytes()
		}
	})
}

func TestStoredSessionMatchesNhostJSShape(t *testing.T) {
	tok := jwt(t, map[string]any{
		"exp": 1795603591, "iat": 1795602691, "iss": "hasura-auth", "sub": "u1",
		core.HasuraClaimsKey: map[string]any{"x-hasura-allowed-roles": "{me,user}", "x-hasura-default-role": "user"},
	}, base64.RawURLEncoding)
	s := core.Session{AccessToken: tok, AccessTokenExpiresIn: 900, RefreshToken: "rt", RefreshTokenID: "rtid",
		User: &core.User{ID: "u1", DefaultRole: "user", Roles: []string{"me", "user"}, Locale: "en"}}
	stored, err := core.NewStoredSession(s)
	require.NoError(t, err)
	b, err := codec.Marshal(stored)
	require.NoError(t, err)

	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, tok, got["accessToken"])
	assert.Equal(t, float64(900), got["accessTokenExpiresIn"])
	dt := got["decodedToken"].(map[string]any)
	assert.Equal(t, float64(1795603591000), dt["exp"])
	assert.Equal(t, float64(1795602691000), dt["iat"])
	assert.Equal(t, "u1", dt["sub"])
	assert.Equal(t, []any{"me", "user"}, dt[core.HasuraClaimsKey].(map[string]any)["x-hasura-allowed-roles"])
	assert.Equal(t, "u1", got["user"].(map[string]any)["id"])

	back, err := core.ParseStoredSession(b)
	require.NoError(t, err)
	assert.Equal(t, stored.Session, back.Session)
	assert.Equal(t, stored.DecodedToken, back.DecodedToken)

	for _, bad := range []string{``, `null`, `"str"`, `{}`, `{"accessToken":"x","refreshToken":"y"}`, `{"accessToken":5}`, `[1,2]`} {
		_, err := core.ParseStoredSession([]byte(bad))
		assert.Error(t, err, bad)
	}
}

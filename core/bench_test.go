package core_test

import (
	"encoding/json"
	"testing"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// A sign-in response as the real server sends it (probe.md).
var signInBody = []byte(`{"session":{"accessToken":"eyJhbGciOiJSUzI1NiIsImtpZCI6ImxvY2FsLWRldi1rZXkiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjE3OTU2MDM1OTEsImh0dHBzOi8vaGFzdXJhLmlvL2p3dC9jbGFpbXMiOnsieC1oYXN1cmEtYWxsb3dlZC1yb2xlcyI6WyJtZSIsInVzZXIiXSwieC1oYXN1cmEtZGVmYXVsdC1yb2xlIjoidXNlciIsIngtaGFzdXJhLXVzZXItaWQiOiIyYzM1YjZmMy1jNGI5LTQ4ZTMtOTc4YS1kNGQwZjFkNDJlMjQiLCJ4LWhhc3VyYS11c2VyLWlzLWFub255bW91cyI6ImZhbHNlIn0sImlhdCI6MTc5NTYwMjY5MSwiaXNzIjoiaGFzdXJhLWF1dGgiLCJzdWIiOiIyYzM1YjZmMy1jNGI5LTQ4ZTMtOTc4YS1kNGQwZjFkNDJlMjQifQ.c2ln","accessTokenExpiresIn":900,"refreshToken":"5e8a0f2c-1b7d-4c1e-9a55-0c8f3b6e2d11","refreshTokenId":"9b1f6c2e-7a3d-4e8b-b1c4-2f5d8e9a0b3c","user":{"activeMfaType":null,"avatarUrl":"https://www.gravatar.com/avatar/5f4dcc3b5aa765d61d8327deb882cf99?d=blank\u0026r=g","createdAt":"2026-11-25T10:31:31.729996765Z","defaultRole":"user","displayName":"jane@example.com","email":"jane@example.com","emailVerified":false,"id":"2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24","isAnonymous":false,"locale":"en","metadata":{"plan":"pro"},"phoneNumberVerified":false,"roles":["me","user"]}}}` + "\n")

func BenchmarkDecodeSignInResponse(b *testing.B) {
	b.Run("codec", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var r core.SignInEmailPasswordResponse
			if err := codec.Unmarshal(signInBody, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	// encoding/json goes through the same generated methods, so compare
	// with a plain struct decoded by reflection.
	type plainSession struct {
		AccessToken          string         `json:"accessToken"`
		AccessTokenExpiresIn int64          `json:"accessTokenExpiresIn"`
		RefreshToken         string         `json:"refreshToken"`
		RefreshTokenID       string         `json:"refreshTokenId"`
		User                 map[string]any `json:"user"`
	}
	b.Run("encoding-json-reflection", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var r struct {
				Session *plainSession `json:"session"`
			}
			if err := json.Unmarshal(signInBody, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncodeSignUpRequest(b *testing.B) {
	req := &core.SignUpEmailPasswordRequest{Email: "jane@example.com", Password: "Str0ngPassw#ord-94|%",
		Options: &core.SignUpOptions{AllowedRoles: []string{"me", "user"}, DefaultRole: "user", DisplayName: "Jane", Locale: "en",
			Metadata: map[string]any{"plan": "pro", "seats": 3}, RedirectTo: "https://app.example/after"}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := codec.Marshal(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAccessToken(b *testing.B) {
	var r core.SignInEmailPasswordResponse
	if err := codec.Unmarshal(signInBody, &r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := core.DecodeAccessToken(r.Session.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}

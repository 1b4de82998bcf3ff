package core_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
	"github.com/nhost-auth-wasm/sdk/spec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

type schema struct {
	Ref                  string             `yaml:"$ref"`
	Type                 string             `yaml:"type"`
	Properties           map[string]*schema `yaml:"properties"`
	Required             []string           `yaml:"required"`
	Items                *schema            `yaml:"items"`
	Enum                 []any              `yaml:"enum"`
	Example              any                `yaml:"example"`
	Nullable             bool               `yaml:"nullable"`
	AdditionalProperties any                `yaml:"additionalProperties"`
}

func loadSchemas(t *testing.T) map[string]*schema {
	var doc struct {
		Components struct {
			Schemas map[string]*schema `yaml:"schemas"`
		} `yaml:"components"`
	}
	data, err := spec.Document()
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, &doc))
	return doc.Components.Schemas
}

// wireTypes are the seed's interfaces that have a schema of the same name.
var wireTypes = []any{
	core.AuthenticationExtensionsClientOutputs{}, core.AuthenticatorAssertionResponse{},
	core.AuthenticatorAttestationResponse{}, core.AuthenticatorSelection{},
	core.CreatePATRequest{}, core.CreatePATResponse{}, core.CredentialAssertionResponse{},
	core.CredentialCreationResponse{}, core.CredentialParameter{},
	core.CredentialPropertiesOutput{}, core.ErrorResponse{}, core.JWK{}, core.JWKSet{},
	core.LinkIdTokenRequest{}, core.MFAChallengePayload{}, core.OptionsRedirectTo{},
	core.ProviderSession{}, core.ProviderSpecificParams{},
	core.PublicKeyCredentialCreationOptions{}, core.PublicKeyCredentialDescriptor{},
	core.PublicKeyCredentialRequestOptions{}, core.RefreshProviderTokenRequest{},
	core.RefreshTokenRequest{}, core.RelyingPartyEntity{}, core.Session{},
	core.SessionPayload{}, core.SignInAnonymousRequest{}, core.SignInEmailPasswordRequest{},
	core.SignInEmailPasswordResponse{}, core.SignInIdTokenRequest{},
	core.SignInMfaTotpRequest{}, core.SignInOTPEmailRequest{},
	core.SignInOTPEmailVerifyRequest{}, core.SignInOTPEmailVerifyResponse{},
	core.SignInPasswordlessEmailRequest{}, core.SignInPasswordlessSmsOtpRequest{},
	core.SignInPasswordlessSmsOtpResponse{}, core.SignInPasswordlessSmsRequest{},
	core.SignInPATRequest{}, core.SignInWebauthnRequest{},
	core.SignInWebauthnVerifyRequest{}, core.SignOutRequest{},
	core.SignUpEmailPasswordRequest{}, core.SignUpOptions{}, core.SignUpWebauthnRequest{},
	core.SignUpWebauthnVerifyRequest{}, core.TotpGenerateResponse{}, core.User{},
	core.UserDeanonymizeRequest{}, core.UserEmailChangeRequest{},
	core.UserEmailSendVerificationEmailRequest{}, core.UserEntity{}, core.UserMfaRequest{},
	core.UserPasswordRequest{}, core.UserPasswordResetRequest{},
	core.VerifyAddSecurityKeyRequest{}, core.VerifyAddSecurityKeyResponse{},
	core.VerifyTokenRequest{},
	core.OAuth2ErrorResponse{}, core.OAuth2DiscoveryResponse{}, core.OAuth2TokenRequest{},
	core.OAuth2TokenResponse{}, core.OAuth2UserinfoResponse{}, core.OAuth2JWKSResponse{},
	core.OAuth2RevokeRequest{}, core.OAuth2IntrospectRequest{}, core.OAuth2IntrospectResponse{},
	core.OAuth2LoginResponse{}, core.OAuth2LoginRequest{}, core.OAuth2LoginCompleteResponse{},
	core.SignUpPasswordlessEmailRequest{}, core.SignUpOTPEmailRequest{},
	core.SignUpPasswordlessSmsRequest{}, core.SignUpIdTokenRequest{}, core.TokenExchangeRequest{},
}

func jsonFields(t reflect.Type) (names, always []string) {
	for i := 0; i < t.NumField(); i++ {
		parts := strings.Split(t.Field(i).Tag.Get("json"), ",")
		names = append(names, parts[0])
		if len(parts) == 1 {
			always = append(always, parts[0])
		}
	}
	sort.Strings(names)
	sort.Strings(always)
	return
}

func TestTypesMatchTheOpenAPISchemas(t *testing.T) {
	schemas := loadSchemas(t)
	for _, v := range wireTypes {
		rt := reflect.TypeOf(v)
		t.Run(rt.Name(), func(t *testing.T) {
			s := schemas[rt.Name()]
			require.NotNil(t, s, "no schema named %s", rt.Name())
			var props []string
			for k := range s.Properties {
				props = append(props, k)
			}
			sort.Strings(props)
			names, always := jsonFields(rt)
			assert.Equal(t, props, names, "JSON field names")

			// Required fields are always written; optional ones may be left
			// out. The one exception is a nullable field the server always
			// sends as null (User.activeMfaType), which we write back the same.
			required := append([]string{}, s.Required...)
			for k, p := range s.Properties {
				if p.Nullable && contains(always, k) && !contains(required, k) {
					required = append(required, k)
				}
			}
			sort.Strings(required)
			assert.ElementsMatch(t, required, always, "required fields")
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// example builds a value for s from the spec: its example when it has one,
// otherwise a value of its type, recursing into refs, arrays and objects.
func example(schemas map[string]*schema, s *schema, depth int) any {
	if s.Ref != "" {
		return example(schemas, schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")], depth)
	}
	if s.Example != nil && s.Type != "object" && s.Type != "array" {
		return normalize(s.Example)
	}
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if e != "" {
				return e
			}
		}
	}
	switch s.Type {
	case "string":
		return "text"
	case "integer", "number":
		return float64(7)
	case "boolean":
		return true
	case "array":
		return []any{example(schemas, s.Items, depth+1)}
	default:
		out := map[string]any{}
		if len(s.Properties) == 0 {
			return map[string]any{"free": "form", "n": float64(1)}
		}
		for k, p := range s.Properties {
			out[k] = example(schemas, p, depth+1)
		}
		return out
	}
}

// normalize turns YAML-decoded values into JSON-decoded ones.
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func TestTypesRoundTripSpecExamples(t *testing.T) {
	schemas := loadSchemas(t)
	for _, v := range wireTypes {
		rt := reflect.TypeOf(v)
		t.Run(rt.Name(), func(t *testing.T) {
			want := example(schemas, schemas[rt.Name()], 0)
			in, err := json.Marshal(want)
			require.NoError(t, err)

			ptr := reflect.New(rt).Interface()
			require.NoError(t, codec.Unmarshal(in, ptr.(codec.Unmarshaler)), string(in))
			out, err := codec.Marshal(ptr.(codec.Marshaler))
			require.NoError(t, err)

			var got any
			require.NoError(t, json.Unmarshal(out, &got))
			assert.Equal(t, want, got)

			// encoding/json goes through the generated methods too.
			viaStd, err := json.Marshal(ptr)
			require.NoError(t, err)
			assert.JSONEq(t, string(out), string(viaStd))
		})
	}
}

func TestOptionalFieldsStayAbsent(t *testing.T) {
	b, err := codec.Marshal(&core.SignUpEmailPasswordRequest{Email: "a@example.com", Password: "pw"})
	require.NoError(t, err)
	assert.Equal(t, `{"email":"a@example.com","password":"pw"}`, string(b))

	b, err = codec.Marshal(&core.SignUpOptions{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))

	// An explicitly empty list is still sent: the server treats [] differently.
	b, err = codec.Marshal(&core.SignUpOptions{AllowedRoles: []string{}})
	require.NoError(t, err)
	assert.Equal(t, `{"allowedRoles":[]}`, string(b))

	// "" is meaningful for activeMfaType (deactivate), so it is a pointer.
	none := core.MfaTypeNone
	b, err = codec.Marshal(&core.UserMfaRequest{Code: "123456", ActiveMfaType: &none})
	require.NoError(t, err)
	assert.Equal(t, `{"activeMfaType":"","code":"123456"}`, string(b))
}

func TestServerNullsDecode(t *testing.T) {
	// Shapes the real server sends (probe.md): null session, null metadata,
	// null activeMfaType, no email key for phone users.
	var p core.SessionPayload
	require.NoError(t, codec.Unmarshal([]byte(`{"session":null}`), &p))
	assert.Nil(t, p.Session)

	var u core.User
	require.NoError(t, codec.Unmarshal([]byte(`{"activeMfaType":null,"avatarUrl":"","createdAt":"2026-11-25T10:31:31.729996765Z","defaultRole":"user","displayName":"+15552233238","emailVerified":false,"id":"u1","isAnonymous":false,"locale":"en","metadata":null,"phoneNumber":"+15552233238","phoneNumberVerified":true,"roles":["me","user"]}`), &u))
	assert.Nil(t, u.ActiveMfaType)
	assert.Nil(t, u.Metadata)
	assert.Empty(t, u.Email)
	out, err := codec.Marshal(&u)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"activeMfaType":null`)
	assert.Contains(t, string(out), `"metadata":null`)
	assert.NotContains(t, string(out), `"email"`)
}

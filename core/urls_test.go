package core_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/nhost-auth-wasm/sdk/core/codec"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const base = "https://sub.auth.eu-central-1.nhost.run/v1"

func TestSignInProviderURL(t *testing.T) {
	c := core.NewClient(base, nil)
	for _, tc := range []struct {
		name   string
		prov   core.SignInProvider
		params *core.SignInProviderParams
		want   string
	}{
		{"no params", core.ProviderGitHub, nil, base + "/signin/provider/github"},
		{"empty params", core.ProviderGoogle, &core.SignInProviderParams{}, base + "/signin/provider/google"},
		{"nhost-js example", core.ProviderGitHub, &core.SignInProviderParams{
			AllowedRoles: []string{"user", "me"}, DisplayName: "Test User", Metadata: map[string]any{"a": 1},
		}, base + "/signin/provider/github?allowedRoles=user%2Cme&displayName=Test%20User&metadata=%7B%22a%22%3A1%7D"},
		{"every parameter", core.ProviderWorkOS, &core.SignInProviderParams{
			AllowedRoles:           []string{"me"},
			Connect:                "eyJ.tok.en",
			DefaultRole:            "me",
			DisplayName:            "Jöhn O'Brien (Jr.)",
			Locale:                 "fil",
			Metadata:               map[string]any{"z": true, "a": []any{"x y", 2.5}},
			ProviderSpecificParams: &core.ProviderSpecificParams{Connection: "conn_1", Organization: "org 2"},
			RedirectTo:             "http://localhost:3000/cb?x=1&y=2#frag",
			State:                  "st-~!*",
		}, base + "/signin/provider/workos?allowedRoles=me&connect=eyJ.tok.en&defaultRole=me" +
			"&displayName=J%C3%B6hn%20O'Brien%20(Jr.)&locale=fil" +
			"&metadata=%7B%22a%22%3A%5B%22x%20y%22%2C2.5%5D%2C%22z%22%3Atrue%7D" +
			"&connection=conn_1&organization=org%202" +
			"&redirectTo=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1%26y%3D2%23frag&state=st-~!*"},
		{"empty role list is kept", core.ProviderApple, &core.SignInProviderParams{AllowedRoles: []string{}},
			base + "/signin/provider/apple?allowedRoles="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, c.SignInProviderURL(tc.prov, tc.params))
		})
	}
}

func TestVerifyTicketURL(t *testing.T) {
	c := core.NewClient(base, nil)
	assert.Equal(t, base+"/verify", c.VerifyTicketURL(nil))
	assert.Equal(t,
		base+"/verify?redirectTo=http%3A%2F%2Flocalhost%3A3000%2Fverified%3Fx%3D1&ticket=verifyEmail%3A2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24&type=emailVerify",
		c.VerifyTicketURL(&core.VerifyTicketParams{
			Ticket: "verifyEmail:2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24", Type: core.TicketTypeEmailVerify,
			RedirectTo: "http://localhost:3000/verified?x=1",
		}))
	assert.Equal(t, base+"/verify?redirectTo=https%3A%2F%2Fapp.example&ticket=passwordReset%3Aabc",
		c.VerifyTicketURL(&core.VerifyTicketParams{Ticket: "passwordReset:abc", RedirectTo: "https://app.example"}))
}

func TestEncodeURIComponent(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"AZaz09-_.!~*'()":        "AZaz09-_.!~*'()",
		" ":                      "%20",
		"+/?#&=%,;:@$[]{}\"<>\\": "%2B%2F%3F%23%26%3D%25%2C%3B%3A%40%24%5B%5D%7B%7D%22%3C%3E%5C",
		"é名🚀":                    "%C3%A9%E5%90%8D%F0%9F%9A%80",
		"bad\xffbyte":            "bad%EF%BF%BDbyte",
	} {
		assert.Equal(t, want, core.EncodeURIComponent(in), "%q", in)
	}
}

// The query that the builder makes is read back by a real HTTP server the
// way the spec says: metadata as JSON, allowedRoles comma-joined,
// providerSpecificParams as top-level keys.
func TestProviderURLIsReadableByAServer(t *testing.T) {
	rec := newRecorder(t)
	rec.answer(302, ``, map[string]string{"Location": "https://github.com/login/oauth/authorize"})
	c := nethttp.NewClient(rec.srv.URL)
	u := c.SignInProviderURL(core.ProviderGitHub, &core.SignInProviderParams{
		AllowedRoles: []string{"me", "user"}, Metadata: map[string]any{"k": "v & w"},
		ProviderSpecificParams: &core.ProviderSpecificParams{Organization: "org_1"},
		RedirectTo:             "http://localhost:3000/?a=b",
	})
	res, err := c.Do(context.Background(), &core.Request{Method: "GET", URL: u})
	require.NoError(t, err)
	assert.Equal(t, 302, res.Status)
	q := rec.last.URL.Query()
	assert.Equal(t, "me,user", q.Get("allowedRoles"))
	assert.Equal(t, `{"k":"v & w"}`, q.Get("metadata"))
	assert.Equal(t, "org_1", q.Get("organization"))
	assert.Equal(t, "http://localhost:3000/?a=b", q.Get("redirectTo"))
	assert.Empty(t, q.Get("providerSpecificParams"))
}

// urlCase is one entry of testdata/urls.json, the corpus of URLs that
// the shim's URL builders (js/auth.js) are held to as well (e2e's
// TestURLRuleIsShared): params are given in the order they are written.
type urlCase struct {
	Member   string          `json:"member"`
	Provider string          `json:"provider"`
	Params   json.RawMessage `json:"params"`
	URL      string          `json:"url"`
}

func TestURLCorpus(t *testing.T) {
	b, err := os.ReadFile("testdata/urls.json")
	require.NoError(t, err)
	var cases []urlCase
	require.NoError(t, json.Unmarshal(b, &cases))
	c := core.NewClient("http://auth.test/v1", nil)
	for _, tc := range cases {
		o := core.OperationByName(tc.Member)
		require.NotNil(t, o, tc.Member)
		var buf bytes.Buffer
		require.NoError(t, json.Compact(&buf, tc.Params))
		tc.Params = buf.Bytes()
		var params codec.Marshaler
		if string(tc.Params) != "null" {
			params = rawJSON(tc.Params)
		}
		if o.Query {
			req := c.NewRequest(o, "", tc.Params)
			assert.Equal(t, "http://auth.test/v1"+tc.URL, req.URL, tc.Member)
			continue
		}
		assert.Equal(t, "http://auth.test/v1"+tc.URL, c.URL(o, core.SignInProvider(tc.Provider), params), "%s %s", tc.Member, tc.Params)
	}
}

type rawJSON []byte

func (r rawJSON) EncodeJSON(e *codec.Encoder) { e.Raw(r) }

package emulator_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/emulator"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// The settings of this features, read as the real server's names say.
func TestFeatureSettings(t *testing.T) {
	c, err := emulator.Load(nil, env("AUTH_WEBAUTHN_ENABLED", "true", "AUTH_CLIENT_URL", "https://app.example.com/x",
		"AUTH_WEBAUTHN_ATTESTATION_TIMEOUT", "60000", "AUTH_OAUTH2_PROVIDER_ENABLED", "true",
		"AUTH_EMULATOR_OAUTH2_CLIENTS", "a:s@http://127.0.0.1:1/cb http://127.0.0.1:2/cb,pub@http://127.0.0.1:3/cb",
		"AUTH_PROVIDER_GITHUB_ENABLED", "true", "AUTH_PROVIDER_GITHUB_CLIENT_ID", "id", "AUTH_PROVIDER_GITHUB_SCOPE", "read:user,user:email"))
	require.NoError(t, err)
	assert.Equal(t, "app.example.com", c.WebAuthnRPID, "the client URL's host by default")
	assert.Equal(t, []string{"https://app.example.com"}, c.WebAuthnOrigins)
	assert.Equal(t, time.Minute, c.WebAuthnTimeout)
	require.Len(t, c.OAuth2Clients, 2)
	assert.Equal(t, emulator.SeedClient{ID: "a", Secret: "s", RedirectURIs: []string{"http://127.0.0.1:1/cb", "http://127.0.0.1:2/cb"}}, c.OAuth2Clients[0])
	assert.Equal(t, "", c.OAuth2Clients[1].Secret, "a public client")
	require.NotNil(t, c.Providers["github"])
	assert.Equal(t, "read:user,user:email", c.Providers["github"].Scope)

	for _, bad := range [][]string{
		{"AUTH_WEBAUTHN_ENABLED", "true", "AUTH_WEBAUTHN_ATTESTATION_TIMEOUT", "soon", "AUTH_CLIENT_URL", "http://localhost:3000"},
		{"AUTH_WEBAUTHN_ENABLED", "true"}, // no RP id, no origin, no client URL to derive them
		{"AUTH_EMULATOR_OAUTH2_CLIENTS", "no-at-sign"},
		{"AUTH_PROVIDER_GITLAB_ENABLED", "true", "AUTH_PROVIDER_GITLAB_CLIENT_ID", "x"}, // no endpoints known for it
		{"AUTH_PROVIDER_GITHUB_ENABLED", "true"},                                        // no client id
	} {
		_, err := emulator.Load(nil, env(bad...))
		assert.Error(t, err, "%v", bad)
	}
	c, err = emulator.Load([]string{"--dev"}, env())
	require.NoError(t, err)
	assert.True(t, c.WebAuthnOn)
	assert.Equal(t, "localhost", c.WebAuthnRPID)
	assert.True(t, c.OAuth2On)
	assert.Equal(t, "builtin", c.OAuth2LoginURL)
}

// New checks a configuration made in Go as Load checks the environment.
func TestNewValidates(t *testing.T) {
	cfg := emulator.Defaults()
	cfg.DB = ":memory:"
	cfg.Elevation = "sometimes"
	_, err := emulator.New(cfg)
	assert.ErrorContains(t, err, "AUTH_REQUIRE_ELEVATED_CLAIM")
	cfg = emulator.Defaults()
	cfg.DB = ":memory:"
	cfg.WebAuthnOn = true
	_, err = emulator.New(cfg)
	assert.ErrorContains(t, err, "AUTH_WEBAUTHN_RP_ID")
	cfg.ClientURL = "http://localhost:3000"
	s, err := emulator.New(cfg)
	require.NoError(t, err)
	assert.Equal(t, "localhost", s.Config().WebAuthnRPID, "derived as Load derives it")
	s.Close()
}

// The README's table is the settings table; UPDATE_README=1 rewrites it.
func TestREADMEConfigTable(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(raw)
	open := strings.Index(readme, "<!-- config table")
	end := strings.Index(readme, "<!-- /config table -->")
	require.True(t, open >= 0 && end > open, "README has the config table markers")
	open += strings.Index(readme[open:], "-->") + len("-->\n")
	want := emulator.ConfigMarkdown()
	if os.Getenv("UPDATE_README") != "" {
		require.NoError(t, os.WriteFile("../README.md", []byte(readme[:open]+want+readme[end:]), 0o644))
		return
	}
	assert.Equal(t, want, readme[open:end], "README's table is stale: UPDATE_README=1 go test ./emulator -run TestREADMEConfigTable")
}

// Every row's variable reaches its field: set through the environment, the
// value reads back from the table over the loaded Config.
func TestEverySettingLoads(t *testing.T) {
	probe := emulator.Defaults()
	probe.OAuth2Clients = []emulator.SeedClient{{ID: "a", RedirectURIs: []string{"http://127.0.0.1:1/cb"}}}
	for _, r := range emulator.SettingRows(&probe) {
		t.Run(r.Env, func(t *testing.T) {
			v := sample(r.Current)
			if r.Env == "AUTH_EMAIL_TEMPLATES_PATH" {
				v = t.TempDir()
			}
			c, err := emulator.Load(nil, env("AUTH_CLIENT_URL", "http://localhost:3000", "AUTH_SMS_PROVIDER", "dev", r.Env, v))
			if r.Env == "AUTH_SMS_PROVIDER" || r.Env == "AUTH_REQUIRE_ELEVATED_CLAIM" {
				return // checked by value in their own tests
			}
			require.NoError(t, err)
			for _, got := range emulator.SettingRows(&c) {
				if got.Env == r.Env {
					// Validate adds the default role and locale to their lists.
					assert.Contains(t, got.Current, v)
				}
			}
		})
	}
}

// sample is a valid value of a row's kind that differs from its default.
func sample(current string) string {
	switch {
	case current == "true" || current == "false":
		return map[string]string{"true": "false", "false": "true"}[current]
	case strings.HasSuffix(current, "m0s") || strings.HasSuffix(current, "h0m0s"):
		return "7m0s"
	}
	if _, err := strconv.Atoi(current); err == nil {
		return "7"
	}
	if strings.Contains(current, "@") {
		return "seven:s@http://127.0.0.1:7/cb"
	}
	return "x7,y7"
}

package emulator_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rate limits per bucket with the server's settings: 429 with no body
// once a bucket is spent, the other buckets unaffected (the real server's
// shared sign-up/brute-force key is a bug not copied), CORS still answered.
func TestRateLimitsPerBucket(t *testing.T) {
	e := start(t, with(dev, "AUTH_RATE_LIMIT_ENABLE", "true", "AUTH_RATE_LIMIT_BRUTE_FORCE_BURST", "3",
		"AUTH_RATE_LIMIT_BRUTE_FORCE_INTERVAL", "5m", "AUTH_RATE_LIMIT_EMAIL_BURST", "2", "AUTH_RATE_LIMIT_EMAIL_INTERVAL", "1h",
		"AUTH_RATE_LIMIT_SIGNUPS_BURST", "2", "AUTH_RATE_LIMIT_SIGNUPS_INTERVAL", "5m", "AUTH_RATE_LIMIT_GLOBAL_BURST", "30",
		"AUTH_RATE_LIMIT_GLOBAL_INTERVAL", "15m", "AUTH_EMAIL_PASSWORDLESS_ENABLED", "true"))
	wrong := `{"email":"nobody@example.com","password":"wrong-password"}`
	for i := 0; i < 3; i++ {
		r := raw(t, "POST", e.URL+"/signin/email-password", "application/json", wrong)
		assert.Equal(t, 401, r.status, "attempt %d", i+1)
	}
	r := raw(t, "POST", e.URL+"/signin/email-password", "application/json", wrong, "Origin", "http://127.0.0.1:3000")
	assert.Equal(t, 429, r.status, "the brute-force bucket is spent")
	assert.Empty(t, r.body)
	assert.Empty(t, r.ctype)
	assert.Equal(t, "http://127.0.0.1:3000", r.headers.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, 429, raw(t, "POST", e.URL+"/v1/signin/anonymous", "application/json", `{}`).status, "under /v1 too")

	// Sign-ups have their own bucket.
	for i := 0; i < 2; i++ {
		r = raw(t, "POST", e.URL+"/signup/email-password", "application/json",
			`{"email":"`+newEmail("limit")+`","password":"Passw0rd!"}`)
		require.Equal(t, 200, r.status, r.body)
	}
	assert.Equal(t, 429, raw(t, "POST", e.URL+"/signup/email-password", "application/json",
		`{"email":"`+newEmail("limit")+`","password":"Passw0rd!"}`).status)

	// The email bucket: two magic links, then 429.
	link := `{"email":"limit-mail@example.com"}`
	assert.Equal(t, 429, raw(t, "POST", e.URL+"/signin/passwordless/email", "application/json", link).status,
		"a sign-in path: the brute-force bucket, spent above, counts too")
	assert.Equal(t, 200, raw(t, "POST", e.URL+"/user/password/reset", "application/json", link).status)
	assert.Equal(t, 200, raw(t, "POST", e.URL+"/user/password/reset", "application/json", link).status)
	assert.Equal(t, 429, raw(t, "POST", e.URL+"/user/password/reset", "application/json", link).status)

	// Paths in no special bucket go on until the global one is spent.
	n := 0
	for ; n < 40; n++ {
		if raw(t, "GET", e.URL+"/version", "", "").status == 429 {
			break
		}
	}
	assert.Less(t, n, 30, "the global bucket (30 per window) counts every request")

	// Off by default.
	off := start(t, dev)
	for i := 0; i < 15; i++ {
		assert.Equal(t, 401, raw(t, "POST", off.URL+"/signin/email-password", "application/json", wrong).status)
	}
}

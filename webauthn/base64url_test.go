package webauthn_test

import (
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/webauthn"
)

func TestBase64URLRoundTrip(t *testing.T) {
	for n := 0; n < 70; n++ {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		s := webauthn.EncodeURL(b)
		assert.NotContains(t, s, "=")
		got, err := webauthn.DecodeURL(s)
		require.NoError(t, err)
		assert.Equal(t, b, got)
		for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
			got, err = webauthn.DecodeURL(enc.EncodeToString(b))
			require.NoError(t, err)
			assert.Equal(t, b, got)
		}
	}
	// The server sends user.id as the user's UUID text, which browsers read as base64url.
	id, err := webauthn.DecodeURL("2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24")
	require.NoError(t, err)
	assert.Len(t, id, 27)
	assert.Equal(t, "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24", webauthn.EncodeURL(id))
	_, err = webauthn.DecodeURL("not base64!")
	assert.Error(t, err)
}

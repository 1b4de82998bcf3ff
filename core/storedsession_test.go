package core_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
)

// storedSessionCase is one entry of testdata/stored-sessions.json, the
// corpus that the shim's SessionStorage (js/session.js) is held to as well
// (e2e's TestStoredSessionRuleIsShared): both sides read the same values
// as signed in.
type storedSessionCase struct {
	Name  string          `json:"name"`
	Valid bool            `json:"valid"`
	Value json.RawMessage `json:"value"`
}

func TestStoredSessionCorpus(t *testing.T) {
	b, err := os.ReadFile("testdata/stored-sessions.json")
	require.NoError(t, err)
	var cases []storedSessionCase
	require.NoError(t, json.Unmarshal(b, &cases))
	require.NotEmpty(t, cases)
	for _, c := range cases {
		_, err := core.ParseStoredSession(c.Value)
		assert.Equal(t, c.Valid, err == nil, "%s: %v", c.Name, err)
		// The session store agrees, and removes what it cannot use.
		mem := &core.MemoryStorage{}
		require.NoError(t, mem.Set(c.Value))
		assert.Equal(t, c.Valid, core.NewSessionStore(mem).Get() != nil, c.Name)
		left, _ := mem.Get()
		assert.Equal(t, c.Valid, left != nil, "%s: an unusable value is removed", c.Name)
	}
}

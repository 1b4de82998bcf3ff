package spec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The copy is older than the server nhost-js 4.7.0 talks to: newer.yaml
// holds the difference, and only adds to the copy.
func TestNewerOnlyAdds(t *testing.T) {
	doc, err := Document()
	require.NoError(t, err)
	var merged, base map[string]any
	require.NoError(t, yaml.Unmarshal(doc, &merged))
	require.NoError(t, yaml.Unmarshal(OpenAPI, &base))
	assert.Nil(t, base["paths"].(map[string]any)["/token/exchange"], "the copy predates /token/exchange")
	assert.NotNil(t, merged["paths"].(map[string]any)["/token/exchange"])

	// Everything of the copy is still there, unchanged.
	var walk func(b, m any, at string)
	walk = func(b, m any, at string) {
		switch bv := b.(type) {
		case map[string]any:
			mv, ok := m.(map[string]any)
			require.True(t, ok, at)
			for k, v := range bv {
				walk(v, mv[k], at+"/"+k)
			}
		case []any:
			mv, ok := m.([]any)
			require.True(t, ok, at)
			require.GreaterOrEqual(t, len(mv), len(bv), at)
			for i := range bv {
				walk(bv[i], mv[i], at)
			}
		default:
			assert.Equal(t, b, m, at)
		}
	}
	walk(base, merged, "")

	err = merge(map[string]any{"a": map[string]any{"b": "x"}}, map[string]any{"a": map[string]any{"b": "y"}}, "")
	assert.EqualError(t, err, "newer.yaml changes /a/b")
}

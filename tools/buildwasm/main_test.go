package main

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// package.json owns the version; the loader's copy is what it checks
// auth.wasm's against, so they must agree.
func TestLoaderVersionIsPackageVersion(t *testing.T) {
	want, err := packageVersion("../..")
	require.NoError(t, err)
	loader, err := os.ReadFile("../../js/runtime.js")
	require.NoError(t, err)
	m := regexp.MustCompile(`export const VERSION = '([^']+)';`).FindSubmatch(loader)
	require.NotNil(t, m, "js/runtime.js declares VERSION")
	assert.Equal(t, want, string(m[1]))
}

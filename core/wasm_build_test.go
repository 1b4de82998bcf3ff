package core_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func goCmd(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Run(), "go %s: %s", strings.Join(args, " "), errb.String())
	return out.String()
}

// core must build for the browser and must not link what would blow the
// size budget of auth.wasm: net/http, reflection-based encoding/json, fmt.
func TestCoreBuildsForWasmWithoutHeavyPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go tool")
	}
	wasm := []string{"GOOS=js", "GOARCH=wasm"}
	goCmd(t, wasm, "build", "./...")
	deps := strings.Fields(goCmd(t, wasm, "list", "-deps", ".", "./codec"))
	for _, banned := range []string{"net/http", "encoding/json", "fmt", "reflect", "net/url", "syscall/js"} {
		if banned == "syscall/js" {
			// The runtime's syscall package uses it on js/wasm; core must not import it directly.
			imports := goCmd(t, wasm, "list", "-f", "{{join .Imports \"\\n\"}}", ".", "./codec")
			assert.NotContains(t, strings.Fields(imports), banned)
			continue
		}
		assert.NotContains(t, deps, banned, "core's wasm build links %s", banned)
	}
}

// The generated codec must match the types it was generated from.
func TestGeneratedCodecIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go tool")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "types_codec.go")
	goCmd(t, nil, "run", "../tools/gencodec", "-out", out, "types.go")
	want, err := os.ReadFile(out)
	require.NoError(t, err)
	got, err := os.ReadFile("types_codec.go")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "run go generate ./core")
}

// The TypeScript declarations of the wire types must match the Go types.
func TestGeneratedDeclarationsAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go tool")
	}
	out := filepath.Join(t.TempDir(), "types.d.ts")
	goCmd(t, nil, "run", "../tools/gendts", "-out", out, "types.go", "enums.go")
	want, err := os.ReadFile(out)
	require.NoError(t, err)
	got, err := os.ReadFile("../js/types.d.ts")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(want)), strings.TrimSpace(string(got)), "run make generate")
}

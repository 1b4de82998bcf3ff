// Command buildwasm builds the browser artefacts into a directory (js/ by
// default): auth.wasm, and Go's wasm_exec.js with one added line that
// exports the Go class, so that bundlers keep the module (the package is
// sideEffects: false). `make build` and the browser tests both use it, so
// the flags live in one place. The version auth.wasm reports comes from
// package.json, which owns it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Flags explains itself in BENCHMARKS.md: without inlining (-l) Go's wasm
// code is much smaller, which keeps auth.wasm under its 0.9 MB gzip budget.
var Flags = []string{"-trimpath", "-gcflags=all=-l"}

func main() {
	out := flag.String("out", "js", "directory to write auth.wasm and wasm_exec.js into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "buildwasm:", err)
		os.Exit(1)
	}
}

// packageVersion is the "version" of package.json in dir.
func packageVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(b, &pkg); err != nil || pkg.Version == "" {
		return "", fmt.Errorf("package.json: no version (%v)", err)
	}
	return pkg.Version, nil
}

func run(out string) error {
	version, err := packageVersion(".")
	if err != nil {
		return err
	}
	args := append([]string{"build"}, Flags...)
	args = append(args, "-ldflags=-s -w -X github.com/nhost-auth-wasm/sdk/jsbridge.Version="+version)
	args = append(args, "-o", filepath.Join(out, "auth.wasm"), "./wasm")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	src = append(src, "\nexport default globalThis.Go;\n"...)
	return os.WriteFile(filepath.Join(out, "wasm_exec.js"), src, 0o644)
}

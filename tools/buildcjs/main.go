// Command buildcjs writes the CommonJS twin of the ESM shim beside it
// (js/*.cjs and js/*.d.cts), for require() and for tools that load
// packages as CommonJS (Jest's default setup). Each module is converted
// on its own, so both formats keep one instance of each module's state;
// import.meta.url becomes the .cjs file's own URL.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// The shim's modules; wasm_exec.js is written by tools/buildwasm.
var modules = []string{"index", "auth", "fetch", "session", "engine", "loader", "wasm_exec"}

// Declarations with a CommonJS twin.
var declarations = []string{"index", "auth", "fetch", "session", "loader", "types"}

const banner = `var __importMetaURL = require("node:url").pathToFileURL(__filename).href;`

var relImport = regexp.MustCompile(`(require\(|from |import\()(["'])(\./[A-Za-z_]+)\.js(["'])`)

func main() {
	dir := flag.String("dir", "js", "directory of the ESM shim; the .cjs files are written there")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "buildcjs:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for _, name := range modules {
		src, err := os.ReadFile(filepath.Join(dir, name+".js"))
		if err != nil {
			return err
		}
		opts := api.TransformOptions{
			Loader:     api.LoaderJS,
			Format:     api.FormatCommonJS,
			Platform:   api.PlatformNeutral,
			Target:     api.ES2022,
			Sourcefile: name + ".js",
			Define:     map[string]string{"import.meta.url": "__importMetaURL"},
			LogLevel:   api.LogLevelWarning,
		}
		if strings.Contains(string(src), "import.meta.url") {
			opts.Banner = banner
		}
		res := api.Transform(string(src), opts)
		if len(res.Errors) > 0 {
			return fmt.Errorf("%s.js: %s", name, res.Errors[0].Text)
		}
		if len(res.Warnings) > 0 {
			return fmt.Errorf("%s.js: %s", name, res.Warnings[0].Text)
		}
		out := relImport.ReplaceAllString(string(res.Code), "$1$2$3.cjs$4")
		if err := os.WriteFile(filepath.Join(dir, name+".cjs"), []byte(out), 0o644); err != nil {
			return err
		}
	}
	for _, name := range declarations {
		src, err := os.ReadFile(filepath.Join(dir, name+".d.ts"))
		if err != nil {
			return err
		}
		out := relImport.ReplaceAllString(string(src), "$1$2$3.cjs$4")
		if err := os.WriteFile(filepath.Join(dir, name+".d.cts"), []byte(out), 0o644); err != nil {
			return err
		}
	}
	return nil
}

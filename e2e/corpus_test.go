package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nodeEval runs an ES module in Node, with the shim and the auth.wasm
// built for this run importable under JS and the repository at REPO, and
// decodes the JSON it prints.
func nodeEval(t *testing.T, script string, out any) {
	t.Helper()
	consts := "const JS = " + jsonString(t, "file://"+filepath.Join(siteDir, "js")) + ";\n" +
		"const REPO = " + jsonString(t, "file://"+repoRoot) + ";\n"
	cmd := exec.Command("node", "--input-type=module", "-e", consts+script)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	require.NoError(t, json.Unmarshal(b, out), string(b))
}

func jsonString(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// The shim reads a stored session as signed in exactly when auth.wasm
// does: both are held to core/testdata/stored-sessions.json (the Go side
// in core's TestStoredSessionCorpus).
func TestStoredSessionRuleIsShared(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "core", "testdata", "stored-sessions.json"))
	require.NoError(t, err)
	var cases []any
	require.NoError(t, json.Unmarshal(b, &cases))
	script := `
const { SessionStorage, MemoryStorage } = await import(INDEX.replace('index.js', 'session.js'));
const out = [];
for (const c of CASES) {
  const mem = new MemoryStorage();
  mem.set(c.value);
  const read = new SessionStorage(mem).get() !== null;
  out.push({ name: c.name, valid: c.valid, read, removed: mem.get() === null });
}
return out;`
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			var out []struct {
				Name    string `json:"name"`
				Valid   bool   `json:"valid"`
				Read    bool   `json:"read"`
				Removed bool   `json:"removed"`
			}
			inPageOrNode(t, where, map[string]any{"CASES": cases}, script, &out)
			require.Len(t, out, len(cases))
			for _, c := range out {
				assert.Equal(t, c.Valid, c.Read, "%s: read as signed in", c.Name)
				assert.Equal(t, !c.Valid, c.Removed, "%s: an unusable value is removed", c.Name)
			}
		})
	}
}

// The shim's URL builders write the URLs that core writes: both are held
// to core/testdata/urls.json (the Go side in core's TestURLCorpus). The
// one member there that sends a request (oauth2LoginGet) is checked at
// the fetch the shim's auth.wasm makes.
func TestURLRuleIsShared(t *testing.T) {
	var out []struct {
		Member string `json:"member"`
		Want   string `json:"want"`
		Got    string `json:"got"`
	}
	nodeEval(t, `
import { readFileSync } from 'node:fs';
const { createAPIClient } = await import(JS + '/auth.js');
const cases = JSON.parse(readFileSync(new URL(REPO + '/core/testdata/urls.json'), 'utf8'));
const base = 'http://auth.test/v1';
let seen;
const c = createAPIClient(base, [() => async (url) => { seen = url; return new Response('{}', { status: 200 }); }]);
const out = [];
for (const tc of cases) {
  let got;
  if (tc.member === 'oauth2LoginGet') {
    await c.oauth2LoginGet(tc.params);
    got = seen;
  } else if (tc.provider) {
    got = c[tc.member](tc.provider, tc.params);
  } else {
    got = c[tc.member](tc.params);
  }
  out.push({ member: tc.member, want: base + tc.url, got });
}
console.log(JSON.stringify(out));
process.exit(0);`, &out)
	require.NotEmpty(t, out)
	for _, c := range out {
		assert.Equal(t, c.Want, c.Got, c.Member)
	}
}

// inPageOrNode runs the body of an async function (as run does) in a
// fresh page or in Node, with consts defined and INDEX naming the SDK's
// entry module, and decodes what it returns.
func inPageOrNode(t *testing.T, where string, consts map[string]any, body string, out any) {
	t.Helper()
	if where == "browser" {
		c := map[string]any{"INDEX": "/js/index.js"}
		for k, v := range consts {
			c[k] = v
		}
		run(t, tab(t), c, body, out)
		return
	}
	var decl strings.Builder
	for k, v := range consts {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		fmt.Fprintf(&decl, "const %s = %s;\n", k, b)
	}
	nodeEval(t, decl.String()+"const INDEX = JS + '/index.js';\nconst result = await (async () => {\n"+body+"\n})();\nconsole.log(JSON.stringify(result ?? null));\nprocess.exit(0);", out)
}

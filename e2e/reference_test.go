package e2e_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// The rules that both the shim and core implement, held to @nhost/nhost-js
// 4.7.0 itself: for each input, nhost-js's answer, the shim's and core's
// must agree. Inputs only: no expected value is written here.

// referenceTokens are access tokens with payloads that exercise the
// decoding rule: times as integers, fractions and strings, Hasura claims
// with Postgres arrays, unicode, absent claims.
func referenceTokens(t *testing.T) []string {
	payloads := []string{
		`{"sub":"u1","iat":1764590000,"exp":1764590900,"iss":"hasura-auth","https://hasura.io/jwt/claims":{"x-hasura-user-id":"u1","x-hasura-allowed-roles":"{user,me}","x-hasura-default-role":"user","x-hasura-user-is-anonymous":"false"}}`,
		`{"sub":"u2","exp":1764590900.5}`,
		`{"exp":"soon","iat":null}`,
		`{}`,
		`{"https://hasura.io/jwt/claims":{"x-hasura-allowed-roles":"{}","x-hasura-groups":"{\"a b\",c}","n":3,"nested":{"k":"{x}"}}}`,
		`{"name":"Jöhn ✓","roles":["a","b"]}`,
		// Left out on purpose: Hasura claims that are not an object, which
		// nhost-js spreads into one claim per character; ours leave them out.
		`{"sub":"u3","iat":1764590000,"exp":1764590900,"aud":["a","b"],"nbf":1764590000}`,
	}
	var tokens []string
	for _, p := range payloads {
		require.True(t, json.Valid([]byte(p)), p)
		tokens = append(tokens, "eyJhbGciOiJSUzI1NiJ9."+base64.RawURLEncoding.EncodeToString([]byte(p))+".c2ln")
	}
	return tokens
}

// referenceErrorBodies are error bodies for the message rule.
var referenceErrorBodies = []any{
	map[string]any{"status": 401, "error": "invalid-email-password", "message": "Incorrect email or password"},
	map[string]any{"error": "invalid-request"},
	map[string]any{"error": map[string]any{"message": "nested"}},
	map[string]any{"errors": []any{map[string]any{"message": "a"}, "x", map[string]any{"message": "b"}}},
	map[string]any{"errors": []any{}},
	map[string]any{"message": 5, "error": "code"},
	"<html>502 Bad Gateway</html>",
	"",
	map[string]any{},
	[]any{"a"},
	float64(42),
	nil,
}

func TestRulesMatchNhostJS(t *testing.T) {
	setupToolchains(t)
	tokens := referenceTokens(t)
	var out struct {
		Decoded []struct{ Theirs, Ours json.RawMessage }
		Message []struct{ Theirs, Ours string }
	}
	theirs := nhostJSModules()
	nodeEval(t, `
const THEIRS = `+jsonString(t, theirs)+`;
const TOKENS = `+mustJSON(t, tokens)+`;
const BODIES = `+mustJSON(t, referenceErrorBodies)+`;
const ours = await import(JS + '/session.js');
const oursFetch = await import(JS + '/fetch.js');
const them = await import(THEIRS + '/session.js');
const themFetch = await import(THEIRS + '/fetch.js');
const decoded = (m, token) => {
  const s = new m.SessionStorage(new m.MemoryStorage());
  s.set({ accessToken: token, refreshToken: 'r', accessTokenExpiresIn: 900, refreshTokenId: 'i', user: null });
  return s.get()?.decodedToken ?? null;
};
const result = {
  Decoded: TOKENS.map((tok) => ({ Theirs: decoded(them, tok), Ours: decoded(ours, tok) })),
  Message: BODIES.map((b) => ({ Theirs: new themFetch.FetchError(b, 400, new Headers()).message, Ours: new oursFetch.FetchError(b, 400, new Headers()).message })),
};
console.log(JSON.stringify(result));`, &out)

	require.Len(t, out.Decoded, len(tokens))
	for i, tok := range tokens {
		d := out.Decoded[i]
		assert.JSONEq(t, string(d.Theirs), string(d.Ours), "the shim decodes %s as nhost-js does", tok)
		dec, err := core.DecodeAccessToken(tok)
		require.NoError(t, err, tok)
		goJSON, err := codec.Marshal(dec)
		require.NoError(t, err)
		assert.JSONEq(t, string(d.Theirs), string(goJSON), "core decodes %s as nhost-js does", tok)
	}
	require.Len(t, out.Message, len(referenceErrorBodies))
	for i, body := range referenceErrorBodies {
		m := out.Message[i]
		assert.Equal(t, m.Theirs, m.Ours, "the shim's message for %#v", body)
		assert.Equal(t, m.Theirs, core.ErrorMessage(body), "core's message for %#v", body)
	}
}

// nhostJSModules is the file URL of @nhost/nhost-js 4.7.0's ES modules
// (auth.js, session.js, fetch.js) in the toolchain projects.
func nhostJSModules() string {
	return "file://" + filepath.Join(toolchainDir(), "node_modules", "@nhost", "nhost-js", "dist", "nhost-js")
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// The PKCE helpers: the same challenge as nhost-js's for any verifier,
// verifiers of 43 base64url characters that differ each time; in a page
// and in Node.
func TestPKCEHelpersMatchNhostJS(t *testing.T) {
	setupToolchains(t)
	verifiers := []string{"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "a", "", "ünïcödé-verifier", strings.Repeat("x", 128)}
	script := `
const ours = await import(INDEX.replace('index.js', 'auth.js'));
const theirs = THEIRS ? await import(THEIRS + '/auth.js') : null;
const out = { ours: [], theirs: [] };
for (const v of VERIFIERS) {
  out.ours.push(await ours.generateCodeChallenge(v));
  if (theirs) out.theirs.push(await theirs.generateCodeChallenge(v));
}
const a = ours.generateCodeVerifier(), b = ours.generateCodeVerifier();
const pair = await ours.generatePKCEPair();
out.verifiers = [a, b, pair.verifier];
out.pairOK = pair.challenge === await ours.generateCodeChallenge(pair.verifier);
out.typeError = await ours.generateCodeChallenge(5).then(() => 'resolved', (e) => e.constructor.name);
return out;`
	theirsDir := nhostJSModules()
	for _, where := range []string{"browser", "node"} {
		t.Run(where, func(t *testing.T) {
			var out struct {
				Ours, Theirs, Verifiers []string
				PairOK                  bool
				TypeError               string
			}
			theirs := ""
			if where == "node" {
				theirs = theirsDir // the page cannot import from the file system
			}
			inPageOrNode(t, where, map[string]any{"VERIFIERS": verifiers, "THEIRS": theirs}, script, &out)
			if where == "node" {
				assert.Equal(t, out.Theirs, out.Ours, "the challenges nhost-js computes")
			}
			require.Len(t, out.Ours, len(verifiers))
			for _, v := range out.Verifiers {
				assert.Regexp(t, `^[A-Za-z0-9_-]{43}$`, v)
			}
			assert.NotEqual(t, out.Verifiers[0], out.Verifiers[1])
			assert.True(t, out.PairOK)
			assert.Equal(t, "TypeError", out.TypeError)
		})
	}
}

// signInProviderURL and signUpProviderURL, for every provider and a range
// of parameters (the URL corpus's, plus PKCE and unset values), build the
// very strings nhost-js builds. One difference is on purpose: a parameter
// set to null or undefined is left out, where nhost-js sends "null" or
// "undefined", which the server reads as values (connect=null fails the
// sign-in); for those, ours equals nhost-js's for the params without them.
func TestProviderURLsMatchNhostJS(t *testing.T) {
	setupToolchains(t)
	b, err := os.ReadFile(filepath.Join(repoRoot, "core", "testdata", "urls.json"))
	require.NoError(t, err)
	var corpus []struct {
		Member string `json:"member"`
		Params any    `json:"params"`
	}
	require.NoError(t, json.Unmarshal(b, &corpus))
	var params []any
	for _, c := range corpus {
		if strings.HasSuffix(c.Member, "ProviderURL") {
			params = append(params, c.Params)
		}
	}
	params = append(params,
		map[string]any{"codeChallenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "redirectTo": "https://app.example/cb#frag"},
		map[string]any{"allowedRoles": []any{}, "displayName": "", "state": "x y"},
		map[string]any{"providerSpecificParams": map[string]any{"login_hint": "a@b.c", "prompt": "consent"}, "connect": "tok.en"},
	)
	var out []struct{ Member, Provider, Theirs, Ours string }
	nodeEval(t, `
const THEIRS = `+jsonString(t, nhostJSModules())+`;
const PROVIDERS = `+mustJSON(t, surfaceProviders())+`;
const PARAMS = `+mustJSON(t, params)+`;
const ours = (await import(JS + '/auth.js')).createAPIClient('https://p.auth.eu-central-1.nhost.run/v1');
const theirs = (await import(THEIRS + '/auth.js')).createAPIClient('https://p.auth.eu-central-1.nhost.run/v1');
const out = [];
for (const member of ['signInProviderURL', 'signUpProviderURL']) {
  for (const provider of PROVIDERS) {
    for (const p of [...PARAMS, { locale: 'en', connect: undefined, state: undefined }]) {
      const params = p === null ? undefined : p;
      const set = params && Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null && v !== undefined));
      out.push({ Member: member, Provider: provider, Theirs: theirs[member](provider, set), Ours: ours[member](provider, params) });
    }
  }
}
console.log(JSON.stringify(out));`, &out)
	require.Len(t, out, 2*len(surfaceProviders())*(len(params)+1))
	for _, o := range out {
		assert.Equal(t, o.Theirs, o.Ours, "%s(%s, …)", o.Member, o.Provider)
	}
}

// surfaceProviders are the providers of the API's {provider} enum.
func surfaceProviders() []string {
	return []string{"apple", "github", "google", "linkedin", "discord", "spotify", "twitch", "gitlab",
		"bitbucket", "workos", "azuread", "entraid", "strava", "facebook", "windowslive", "twitter"}
}

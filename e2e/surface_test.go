package e2e_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/spec/surface"
)

// wireOnly are the members of nhost-js 4.7.0 whose server side the
// emulator does not have yet: they are checked at the wire (verb, path,
// body, token) in the emulator's request log, not for their answers.
var wireOnly = map[string]bool{
	"signUpPasswordlessEmail": true, "signUpOTPEmail": true, "signUpPasswordlessSms": true, "signUpIdToken": true,
	"tokenExchange": true, "getOpenIDConfiguration": true, "getOAuthAuthorizationServer": true, "oauth2Token": true,
	"oauth2UserinfoGet": true, "oauth2UserinfoPost": true, "oauth2Jwks": true, "oauth2Revoke": true,
	"oauth2Introspect": true, "oauth2LoginGet": true, "oauth2LoginPost": true,
}

var shapeLine = regexp.MustCompile(`msg=request method=(\S+) path=(\S+) status=(\d+) auth=(\S+) content_type=(\S+) fields=(\S+) query=(\S+)`)

// shapes is the logged requests' shapes (preflights aside) that keep
// says to keep, waiting up to 5 s for want of them: a request's log line
// is written once it is answered, so the last ones may reach us a moment
// after the page's last call returned.
func shapes(t *testing.T, emu *server, want int, keep func(m []string) bool) [][]string {
	t.Helper()
	var out [][]string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out = nil
		for _, l := range emu.logs(t) {
			if m := shapeLine.FindStringSubmatch(l); m != nil && m[1] != "OPTIONS" && keep(m) {
				out = append(out, m[1:])
			}
		}
		if len(out) >= want || time.Now().After(deadline) {
			return out
		}
	}
}

// The members the emulator does not serve yet leave the page exactly as
// nhost-js sends them: verb, path, the body's encoding and fields, the
// query, and the session's token when signed in (none from the raw client).
func TestNewMembersAtTheWire(t *testing.T) {
	emu := emulator(t)
	ctx := tab(t)
	// The argument of each call, by member.
	args := map[string]map[string]any{
		"signUpPasswordlessEmail":     {"email": "a@example.com", "codeChallenge": strings.Repeat("c", 43), "options": map[string]any{"locale": "fr"}},
		"signUpOTPEmail":              {"email": "a@example.com"},
		"signUpPasswordlessSms":       {"phoneNumber": "+15551234567"},
		"signUpIdToken":               {"provider": "google", "idToken": "id.tok.en", "nonce": "n"},
		"tokenExchange":               {"code": "code-1", "codeVerifier": strings.Repeat("v", 43)},
		"getOpenIDConfiguration":      nil,
		"getOAuthAuthorizationServer": nil,
		"oauth2Token":                 {"grant_type": "authorization_code", "code": "c", "redirect_uri": "http://localhost:3000/cb", "client_id": "app", "code_verifier": "v"},
		"oauth2UserinfoGet":           nil,
		"oauth2UserinfoPost":          nil,
		"oauth2Jwks":                  nil,
		"oauth2Revoke":                {"token": "t", "token_type_hint": "refresh_token"},
		"oauth2Introspect":            {"token": "t", "client_id": "app", "client_secret": "s"},
		"oauth2LoginGet":              {"request_id": "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"},
		"oauth2LoginPost":             {"requestId": "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"},
	}
	var out struct {
		Names []string `json:"names"`
		URLs  map[string]string
	}
	run(t, ctx, map[string]any{"AUTH": emu.URL, "ARGS": args}, `
const { createClient } = await import('/js/index.js');
const { createAPIClient } = await import('/js/auth.js');
localStorage.clear();
const nhost = createClient({ authUrl: AUTH });
await nhost.auth.signInAnonymous();
const raw = createAPIClient(AUTH);
const names = Object.keys(ARGS);
for (const client of [nhost.auth, raw]) {
  for (const name of names) {
    try {
      await (ARGS[name] === null ? client[name]() : client[name](ARGS[name]));
    } catch (e) {
      if (e?.constructor?.name !== 'FetchError') throw e;
    }
  }
}
const cc = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
return { names, URLs: {
  signUpProviderURL: nhost.auth.signUpProviderURL('github', { redirectTo: 'http://localhost:3000/a b', codeChallenge: cc, providerSpecificParams: { connection: 'c1' } }),
  oauth2AuthorizeURL: nhost.auth.oauth2AuthorizeURL({ client_id: 'app', redirect_uri: 'http://localhost:3000/cb', response_type: 'code', code_challenge: cc, code_challenge_method: 'S256' }),
  oauth2AuthorizePostURL: nhost.auth.oauth2AuthorizePostURL(),
  verifyTicketURL: nhost.auth.verifyTicketURL({ ticket: 't', redirectTo: 'http://localhost:3000/', codeChallenge: cc }),
} };`, &out)

	logged := shapes(t, emu, 2*len(out.Names), func(m []string) bool { return wireOnly[memberAt(m[1], m[2])] })
	require.Len(t, logged, 2*len(out.Names), "each call reached the server once")
	for i, name := range append(append([]string{}, out.Names...), out.Names...) {
		m, ok := surface.Find(name)
		require.True(t, ok, name)
		got := logged[i]
		assert.Equal(t, m.Method, got[0], name)
		assert.Equal(t, m.Path, got[1], name)
		wantAuth := "bearer"
		if i >= len(out.Names) {
			wantAuth = "none" // the raw client has no session
		}
		assert.Equal(t, wantAuth, got[3], "%s: token", name)
		keys := []string{"-"}
		if len(args[name]) > 0 {
			keys = nil
			for k := range args[name] {
				keys = append(keys, k)
			}
			sort.Strings(keys)
		}
		switch {
		case m.Args == surface.ArgsParams:
			assert.Equal(t, "-", got[4], name)
			assert.Equal(t, strings.Join(keys, ","), got[6], "%s: query", name)
		case m.Encoding == surface.Form:
			assert.Equal(t, "application/x-www-form-urlencoded", got[4], name)
			assert.Equal(t, strings.Join(keys, ","), got[5], "%s: form fields", name)
		case m.HasBody():
			assert.Equal(t, "application/json", got[4], name)
			assert.Equal(t, strings.Join(keys, ","), got[5], "%s: body fields", name)
		default:
			assert.Equal(t, "-", got[5], name)
		}
	}
	// The URL builders, exactly as nhost-js writes them.
	cc := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	assert.Equal(t, emu.URL+"/signup/provider/github?redirectTo=http%3A%2F%2Flocalhost%3A3000%2Fa%20b&codeChallenge="+cc+"&connection=c1", out.URLs["signUpProviderURL"])
	assert.Equal(t, emu.URL+"/oauth2/authorize?client_id=app&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb&response_type=code&code_challenge="+cc+"&code_challenge_method=S256", out.URLs["oauth2AuthorizeURL"])
	assert.Equal(t, emu.URL+"/oauth2/authorize", out.URLs["oauth2AuthorizePostURL"])
	assert.Equal(t, emu.URL+"/verify?ticket=t&redirectTo=http%3A%2F%2Flocalhost%3A3000%2F&codeChallenge="+cc, out.URLs["verifyTicketURL"])
}

// memberAt names the member that sends method to path, or "".
func memberAt(method, path string) string {
	for _, m := range surface.Members {
		if m.Request() && m.Method == method && m.Path == path {
			return m.Name
		}
	}
	return ""
}

// Every request member, called by the unchanged @nhost/nhost-js 4.7.0 and
// by this SDK (both raw clients, in Node, with the same arguments),
// reaches the emulator in the same shape: verb, path, token, content
// type, body fields and query names.
func TestRequestsLeaveAsNhostJSSendsThem(t *testing.T) {
	setupToolchains(t)
	emu := emulator(t)
	theirs := nhostJSModules()
	// One argument list per member: a body or params object where it takes one.
	calls := map[string][]any{}
	for _, m := range surface.Members {
		if !m.Request() {
			continue
		}
		var a []any
		if m.HasProvider() {
			a = append(a, "github")
		}
		switch {
		case m.Args == surface.ArgsParams:
			a = append(a, map[string]any{"request_id": "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24"})
		case m.HasBody():
			a = append(a, map[string]any{"email": "a@example.com", "token": "t", "refreshToken": "r", "grant_type": "refresh_token"})
		}
		a = append(a, map[string]any{"headers": map[string]string{"Authorization": "Bearer abc.def.ghi", "X-Trace": "t1"}})
		calls[m.Name] = a
	}
	var names []string
	nodeEval(t, `
const THEIRS = `+jsonString(t, theirs)+`;
const AUTH = `+jsonString(t, emu.URL)+`;
const CALLS = `+mustJSON(t, calls)+`;
const ours = (await import(JS + '/auth.js')).createAPIClient(AUTH);
const them = (await import(THEIRS + '/auth.js')).createAPIClient(AUTH);
const names = Object.keys(CALLS);
for (const client of [them, ours]) {
  for (const name of names) {
    await client[name](...CALLS[name]).catch(() => {});
  }
}
console.log(JSON.stringify(names));
process.exit(0);`, &names)
	logged := shapes(t, emu, 2*len(names), func([]string) bool { return true })
	require.Len(t, logged, 2*len(names))
	for i, name := range names {
		theirsRow, oursRow := logged[i], logged[len(names)+i]
		theirsRow[2], oursRow[2] = "", "" // the status may differ only where bodies differ
		assert.Equal(t, theirsRow, oursRow, "%s: the same request as nhost-js's", name)
	}
}

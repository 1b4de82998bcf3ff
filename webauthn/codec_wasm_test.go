//go:build js && wasm

package webauthn_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/webauthn"
)

// eval runs a JS function body and returns its result.
func eval(t *testing.T, body string, args ...any) safejs.Value {
	t.Helper()
	fnCtor, err := safejs.Global().Get("Function")
	require.NoError(t, err)
	fn, err := fnCtor.New("a", "b", body)
	require.NoError(t, err)
	v, err := fn.Invoke(args...)
	require.NoError(t, err)
	return v
}

func bytesFromJS(t *testing.T, v safejs.Value) []byte {
	t.Helper()
	isBuf := eval(t, "return a instanceof ArrayBuffer", v)
	ok, _ := isBuf.Bool()
	require.True(t, ok, "an ArrayBuffer")
	arr := eval(t, "return new Uint8Array(a)", v)
	n, _ := arr.Length()
	out := make([]byte, n)
	_, err := safejs.CopyBytesToGo(out, arr)
	require.NoError(t, err)
	return out
}

func TestCreationOptionsBecomeBuffers(t *testing.T) {
	challenge := []byte("0123456789abcdef0123456789abcdef")
	excluded := []byte{0xfb, 0xff, 0x00, 0x10}
	o := core.PublicKeyCredentialCreationOptions{
		Challenge:        webauthn.EncodeURL(challenge),
		Rp:               core.RelyingPartyEntity{ID: "localhost", Name: "demo"},
		User:             core.UserEntity{ID: "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24", Name: "a@example.com", DisplayName: "A"},
		PubKeyCredParams: []core.CredentialParameter{{Alg: -7, Type: core.CredentialTypePublicKey}, {Alg: -257, Type: core.CredentialTypePublicKey}},
		Timeout:          300000,
		Attestation:      core.ConveyanceIndirect,
		ExcludeCredentials: []core.PublicKeyCredentialDescriptor{{ID: webauthn.EncodeURL(excluded), Type: core.CredentialTypePublicKey,
			Transports: []core.AuthenticatorTransport{core.TransportInternal}}},
	}
	v, err := webauthn.CreationOptions(o)
	require.NoError(t, err)
	assert.Equal(t, challenge, bytesFromJS(t, eval(t, "return a.challenge", v)))
	userID := bytesFromJS(t, eval(t, "return a.user.id", v))
	assert.Equal(t, "2c35b6f3-c4b9-48e3-978a-d4d0f1d42e24", webauthn.EncodeURL(userID), "user.id read as base64url, as browsers do")
	assert.Equal(t, excluded, bytesFromJS(t, eval(t, "return a.excludeCredentials[0].id", v)))
	s, _ := eval(t, "return a.rp.id + ' ' + a.user.name + ' ' + a.pubKeyCredParams[1].alg + ' ' + a.timeout + ' ' + a.excludeCredentials[0].transports[0]", v).String()
	assert.Equal(t, "localhost a@example.com -257 300000 internal", s)

	o.Challenge = "***"
	_, err = webauthn.CreationOptions(o)
	assert.Error(t, err)
}

func TestRequestOptionsBecomeBuffers(t *testing.T) {
	o := core.PublicKeyCredentialRequestOptions{Challenge: webauthn.EncodeURL([]byte{1, 2, 3}), RpID: "localhost",
		AllowCredentials: []core.PublicKeyCredentialDescriptor{{ID: webauthn.EncodeURL([]byte{9}), Type: core.CredentialTypePublicKey}}}
	v, err := webauthn.RequestOptions(o)
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3}, bytesFromJS(t, eval(t, "return a.challenge", v)))
	assert.Equal(t, []byte{9}, bytesFromJS(t, eval(t, "return a.allowCredentials[0].id", v)))
}

// A stand-in for what navigator.credentials.create returns.
const fakeAttestation = `
const buf = (s) => new TextEncoder().encode(s).buffer;
return {
  id: 'Y3JlZA', type: 'public-key', authenticatorAttachment: 'platform', rawId: buf('cred'),
  response: {
    clientDataJSON: buf('{"type":"webauthn.create"}'), attestationObject: new Uint8Array([0xa3, 0x63]).buffer,
    getAuthenticatorData: () => buf('authdata'), getPublicKey: () => buf('pk'), getPublicKeyAlgorithm: () => -7,
    getTransports: () => ['internal', 'hybrid'],
  },
  getClientExtensionResults: () => ({ credProps: { rk: true } }),
};`

func TestCreationCredentialToJSON(t *testing.T) {
	c, err := webauthn.CreationCredential(eval(t, fakeAttestation))
	require.NoError(t, err)
	assert.Equal(t, "Y3JlZA", c.ID)
	assert.Equal(t, webauthn.EncodeURL([]byte("cred")), c.RawID)
	assert.Equal(t, "public-key", c.Type)
	assert.Equal(t, "platform", c.AuthenticatorAttachment)
	assert.Equal(t, webauthn.EncodeURL([]byte(`{"type":"webauthn.create"}`)), c.Response.ClientDataJSON)
	assert.Equal(t, webauthn.EncodeURL([]byte{0xa3, 0x63}), c.Response.AttestationObject)
	assert.Equal(t, webauthn.EncodeURL([]byte("authdata")), c.Response.AuthenticatorData)
	assert.Equal(t, webauthn.EncodeURL([]byte("pk")), c.Response.PublicKey)
	require.NotNil(t, c.Response.PublicKeyAlgorithm)
	assert.Equal(t, int64(-7), *c.Response.PublicKeyAlgorithm)
	assert.Equal(t, []string{"internal", "hybrid"}, c.Response.Transports)
	require.NotNil(t, c.ClientExtensionResults)
	assert.True(t, *c.ClientExtensionResults.CredProps.Rk)

	_, err = webauthn.CreationCredential(safejs.Null())
	assert.Error(t, err)
}

func TestAssertionCredentialToJSON(t *testing.T) {
	cred := eval(t, `
const buf = (s) => new TextEncoder().encode(s);
return { id: 'x', type: 'public-key', rawId: buf('raw').buffer,
  response: { clientDataJSON: buf('cd').buffer, authenticatorData: buf('ad').buffer,
    signature: buf('sig').subarray(1), userHandle: null },
  getClientExtensionResults: () => ({}) };`)
	c, err := webauthn.AssertionCredential(cred)
	require.NoError(t, err)
	assert.Equal(t, webauthn.EncodeURL([]byte("raw")), c.RawID)
	assert.Equal(t, webauthn.EncodeURL([]byte("ad")), c.Response.AuthenticatorData)
	assert.Equal(t, webauthn.EncodeURL([]byte("ig")), c.Response.Signature, "a view reads only its bytes")
	assert.Nil(t, c.Response.UserHandle)
	assert.True(t, bytes.Equal([]byte("cd"), mustDecode(t, c.Response.ClientDataJSON)))
}

func mustDecode(t *testing.T, s string) []byte {
	b, err := webauthn.DecodeURL(s)
	require.NoError(t, err)
	return b
}

// The server's options are checked before any ceremony, in every browser:
// clear errors for what cannot work.
func TestPublicKeyRefusesBadOptions(t *testing.T) {
	good := `{"challenge":"AQID","rp":{"id":"localhost","name":"x"},"user":{"id":"dXNlcg","name":"a","displayName":"a"},` +
		`"pubKeyCredParams":[{"type":"public-key","alg":-7}]}`
	v, info, err := webauthn.PublicKey(webauthn.Create, []byte(good))
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3}, bytesFromJS(t, eval(t, "return a.challenge", v)))
	assert.Equal(t, []byte("user"), bytesFromJS(t, eval(t, "return a.user.id", v)))
	assert.Equal(t, "localhost", info.RPID)

	many := `{"challenge":"AQID","allowCredentials":[` + strings.Repeat(`{"type":"public-key","id":"AQ"},`, 300) + `{"type":"public-key","id":"AQ"}]}`
	for _, tc := range []struct{ kind, options, want string }{
		{webauthn.Create, `not json`, "webauthn: the server's options are not valid"},
		{webauthn.Create, `{"rp":{"id":"localhost","name":"x"},"user":{"id":"dXNlcg","name":"a","displayName":"a"},"pubKeyCredParams":[{"type":"public-key","alg":-7}]}`, "have no challenge"},
		{webauthn.Create, `{"challenge":"AQID","rp":{"id":"l","name":"x"},"user":{"name":"a","displayName":"a"},"pubKeyCredParams":[{"type":"public-key","alg":-7}]}`, "have no user id"},
		{webauthn.Create, `{"challenge":5,"rp":{"id":"l","name":"x"},"user":{"id":"dXNlcg","name":"a","displayName":"a"},"pubKeyCredParams":[]}`, "are not valid"},
		{webauthn.Create, `{"challenge":"AQID","rp":{"id":"l","name":"x"},"user":{"id":"dXNlcg","name":"a","displayName":"a"},"pubKeyCredParams":[]}`, "list no algorithm"},
		{webauthn.Get, `{"timeout":1000}`, "have no challenge"},
		{webauthn.Get, `{"challenge":"AQID","allowCredentials":"all"}`, "are not valid"},
		{webauthn.Get, many, "list more than 256 credentials"},
	} {
		_, _, err := webauthn.PublicKey(tc.kind, []byte(tc.options))
		require.Error(t, err, tc.options)
		assert.Contains(t, err.Error(), tc.want, tc.options)
	}
	v, info, err = webauthn.PublicKey(webauthn.Get, []byte(`{"challenge":"AQID","rpId":"localhost","allowCredentials":[{"type":"public-key","id":"CQ"}]}`))
	require.NoError(t, err)
	assert.Equal(t, webauthn.Info{RPID: "localhost", Known: []string{"CQ"}}, info)
	assert.Equal(t, []byte{9}, bytesFromJS(t, eval(t, "return a.allowCredentials[0].id", v)))
}

// Credential serializes with this package's reader, every binary field
// base64url, whatever the credential's own toJSON would say.
func TestCredentialSerializesEveryField(t *testing.T) {
	raw, err := webauthn.Credential(webauthn.Create, eval(t, fakeAttestation+"\n"))
	require.NoError(t, err)
	s := string(raw)
	for _, want := range []string{`"rawId":"` + webauthn.EncodeURL([]byte("cred")) + `"`,
		`"attestationObject":"` + webauthn.EncodeURL([]byte{0xa3, 0x63}) + `"`,
		`"authenticatorData":"` + webauthn.EncodeURL([]byte("authdata")) + `"`,
		`"publicKey":"` + webauthn.EncodeURL([]byte("pk")) + `"`, `"publicKeyAlgorithm":-7`, `"transports":["internal","hybrid"]`} {
		assert.Contains(t, s, want)
	}
	cred := eval(t, `
const buf = (s) => new TextEncoder().encode(s).buffer;
return { id: 'x', type: 'public-key', rawId: buf('raw'), toJSON: () => { throw new Error('broken by an extension'); },
  response: { clientDataJSON: buf('cd'), authenticatorData: buf('ad'), signature: buf('sig'), userHandle: buf('uh') } };`)
	raw, err = webauthn.Credential(webauthn.Get, cred)
	require.NoError(t, err, "toJSON is never called")
	s = string(raw)
	for _, want := range []string{`"signature":"` + webauthn.EncodeURL([]byte("sig")) + `"`,
		`"userHandle":"` + webauthn.EncodeURL([]byte("uh")) + `"`, `"clientDataJSON":"` + webauthn.EncodeURL([]byte("cd")) + `"`} {
		assert.Contains(t, s, want)
	}
}

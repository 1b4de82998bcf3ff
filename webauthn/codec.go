//go:build js && wasm

package webauthn

import (
	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
)

var (
	global       = safejs.Global()
	uint8Array   = mustGlobal("Uint8Array")
	jsJSON       = mustGlobal("JSON")
	arrayBufferC = mustGlobal("ArrayBuffer")
)

func mustGlobal(name string) safejs.Value {
	v, err := global.Get(name)
	if err != nil {
		panic("webauthn: global " + name + " is missing")
	}
	return v
}

// Error is a malformed option or credential.
type Error struct{ Msg string }

func (e *Error) Error() string { return "webauthn: " + e.Msg }

// buffer makes an ArrayBuffer from a base64url string.
func buffer(b64 string) (safejs.Value, error) {
	raw, err := DecodeURL(b64)
	if err != nil {
		return safejs.Undefined(), &Error{Msg: "not base64url: " + b64}
	}
	arr, err := uint8Array.New(len(raw))
	if err != nil {
		return safejs.Undefined(), err
	}
	if _, err := safejs.CopyBytesToJS(arr, raw); err != nil {
		return safejs.Undefined(), err
	}
	return arr.Get("buffer")
}

// bytesOf reads an ArrayBuffer or a view of one.
func bytesOf(v safejs.Value) ([]byte, error) {
	if v.IsNull() || v.IsUndefined() {
		return nil, nil
	}
	isBuf, err := v.InstanceOf(arrayBufferC)
	if err != nil {
		return nil, err
	}
	src := v
	if isBuf {
		if src, err = uint8Array.New(v); err != nil {
			return nil, err
		}
	} else {
		buf, err := v.Get("buffer")
		if err != nil || buf.IsUndefined() {
			return nil, &Error{Msg: "expected an ArrayBuffer"}
		}
		off, _ := get(v, "byteOffset").Int()
		n, _ := get(v, "byteLength").Int()
		if src, err = uint8Array.New(buf, off, n); err != nil {
			return nil, err
		}
	}
	n, err := get(src, "length").Int()
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	_, err = safejs.CopyBytesToGo(out, src)
	return out, err
}

func get(v safejs.Value, key string) safejs.Value {
	x, err := v.Get(key)
	if err != nil {
		return safejs.Undefined()
	}
	return x
}

func parse(data []byte) (safejs.Value, error) {
	return jsJSON.Call("parse", string(data))
}

// setBuffer replaces obj[key] (a base64url string) by an ArrayBuffer.
func setBuffer(obj safejs.Value, key, b64 string) error {
	buf, err := buffer(b64)
	if err != nil {
		return err
	}
	return obj.Set(key, buf)
}

func descriptorIDs(list safejs.Value, ids []core.PublicKeyCredentialDescriptor) error {
	for i, d := range ids {
		el, err := list.Index(i)
		if err != nil {
			return err
		}
		if err := setBuffer(el, "id", d.ID); err != nil {
			return err
		}
	}
	return nil
}

// CreationOptions turns the server's creation options into the
// publicKey argument of navigator.credentials.create.
func CreationOptions(o core.PublicKeyCredentialCreationOptions) (safejs.Value, error) {
	data, err := codec.Marshal(&o)
	if err != nil {
		return safejs.Undefined(), err
	}
	v, err := parse(data)
	if err != nil {
		return safejs.Undefined(), err
	}
	if err := setBuffer(v, "challenge", o.Challenge); err != nil {
		return safejs.Undefined(), err
	}
	if err := setBuffer(get(v, "user"), "id", o.User.ID); err != nil {
		return safejs.Undefined(), err
	}
	if len(o.ExcludeCredentials) > 0 {
		if err := descriptorIDs(get(v, "excludeCredentials"), o.ExcludeCredentials); err != nil {
			return safejs.Undefined(), err
		}
	}
	return v, nil
}

// RequestOptions turns the server's request options into the publicKey
// argument of navigator.credentials.get.
func RequestOptions(o core.PublicKeyCredentialRequestOptions) (safejs.Value, error) {
	data, err := codec.Marshal(&o)
	if err != nil {
		return safejs.Undefined(), err
	}
	v, err := parse(data)
	if err != nil {
		return safejs.Undefined(), err
	}
	if err := setBuffer(v, "challenge", o.Challenge); err != nil {
		return safejs.Undefined(), err
	}
	if len(o.AllowCredentials) > 0 {
		if err := descriptorIDs(get(v, "allowCredentials"), o.AllowCredentials); err != nil {
			return safejs.Undefined(), err
		}
	}
	return v, nil
}

// call invokes an optional method of v; a missing one gives undefined.
func call(v safejs.Value, name string) safejs.Value {
	if get(v, name).Type() != safejs.TypeFunction {
		return safejs.Undefined()
	}
	out, err := v.Call(name)
	if err != nil {
		return safejs.Undefined()
	}
	return out
}

func str(v safejs.Value) string {
	if v.Type() != safejs.TypeString {
		return ""
	}
	s, _ := v.String()
	return s
}

func b64Field(v safejs.Value) (string, error) {
	b, err := bytesOf(v)
	if err != nil {
		return "", err
	}
	return EncodeURL(b), nil
}

func extensions(cred safejs.Value) *core.AuthenticationExtensionsClientOutputs {
	ext := call(cred, "getClientExtensionResults")
	if ext.Type() != safejs.TypeObject || ext.IsNull() {
		return nil
	}
	out := &core.AuthenticationExtensionsClientOutputs{}
	if a := get(ext, "appid"); a.Type() == safejs.TypeBoolean {
		b, _ := a.Bool()
		out.Appid = &b
	}
	if cp := get(ext, "credProps"); cp.Type() == safejs.TypeObject && !cp.IsNull() {
		out.CredProps = &core.CredentialPropertiesOutput{}
		if rk := get(cp, "rk"); rk.Type() == safejs.TypeBoolean {
			b, _ := rk.Bool()
			out.CredProps.Rk = &b
		}
	}
	if h := get(ext, "hmacCreateSecret"); h.Type() == safejs.TypeBoolean {
		b, _ := h.Bool()
		out.HmacCreateSecret = &b
	}
	return out
}

// head is what both kinds of credential have.
type head struct {
	id, typ, attachment, rawID, clientData string
}

// readHead reads the common fields of a credential and returns its response.
func readHead(cred safejs.Value) (head, safejs.Value, error) {
	var h head
	if cred.Type() != safejs.TypeObject || cred.IsNull() {
		return h, safejs.Undefined(), &Error{Msg: "no credential"}
	}
	var err error
	h.id = str(get(cred, "id"))
	h.typ = str(get(cred, "type"))
	h.attachment = str(get(cred, "authenticatorAttachment"))
	if h.rawID, err = b64Field(get(cred, "rawId")); err != nil {
		return h, safejs.Undefined(), err
	}
	res := get(cred, "response")
	if h.clientData, err = b64Field(get(res, "clientDataJSON")); err != nil {
		return h, safejs.Undefined(), err
	}
	return h, res, nil
}

// CreationCredential reads what navigator.credentials.create resolved to.
func CreationCredential(cred safejs.Value) (core.CredentialCreationResponse, error) {
	var out core.CredentialCreationResponse
	h, res, err := readHead(cred)
	if err != nil {
		return out, err
	}
	out.ID, out.Type, out.AuthenticatorAttachment, out.RawID = h.id, h.typ, h.attachment, h.rawID
	r := &out.Response
	r.ClientDataJSON = h.clientData
	if r.AttestationObject, err = b64Field(get(res, "attestationObject")); err != nil {
		return out, err
	}
	if ad := call(res, "getAuthenticatorData"); !ad.IsUndefined() {
		if r.AuthenticatorData, err = b64Field(ad); err != nil {
			return out, err
		}
	}
	if pk := call(res, "getPublicKey"); !pk.IsUndefined() && !pk.IsNull() {
		if r.PublicKey, err = b64Field(pk); err != nil {
			return out, err
		}
	}
	if alg := call(res, "getPublicKeyAlgorithm"); alg.Type() == safejs.TypeNumber {
		n, _ := alg.Int()
		a := int64(n)
		r.PublicKeyAlgorithm = &a
	}
	if tr := call(res, "getTransports"); tr.Type() == safejs.TypeObject && !tr.IsNull() {
		n, _ := get(tr, "length").Int()
		r.Transports = []string{}
		for i := 0; i < n; i++ {
			el, _ := tr.Index(i)
			r.Transports = append(r.Transports, str(el))
		}
	}
	out.ClientExtensionResults = extensions(cred)
	return out, nil
}

// AssertionCredential reads what navigator.credentials.get resolved to.
func AssertionCredential(cred safejs.Value) (core.CredentialAssertionResponse, error) {
	var out core.CredentialAssertionResponse
	h, res, err := readHead(cred)
	if err != nil {
		return out, err
	}
	out.ID, out.Type, out.AuthenticatorAttachment, out.RawID = h.id, h.typ, h.attachment, h.rawID
	r := &out.Response
	r.ClientDataJSON = h.clientData
	if r.AuthenticatorData, err = b64Field(get(res, "authenticatorData")); err != nil {
		return out, err
	}
	if r.Signature, err = b64Field(get(res, "signature")); err != nil {
		return out, err
	}
	if uh := get(res, "userHandle"); !uh.IsNull() && !uh.IsUndefined() {
		s, err := b64Field(uh)
		if err != nil {
			return out, err
		}
		r.UserHandle = &s
	}
	out.ClientExtensionResults = extensions(cred)
	return out, nil
}

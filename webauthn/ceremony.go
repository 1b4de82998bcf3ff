//go:build js && wasm

package webauthn

import (
	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// Kinds of ceremony: what the server's options are for.
const (
	Create = "create" // navigator.credentials.create: sign-up, a new key
	Get    = "get"    // navigator.credentials.get: sign-in, elevation
)

// PublicKey turns the server's options (JSON) for a ceremony of kind into
// the publicKey argument of navigator.credentials: the browser's own
// PublicKeyCredential.parse*OptionsFromJSON where it has them, this
// package's codec otherwise (and where the browser's refuses them).
func PublicKey(kind string, options []byte) (safejs.Value, error) {
	if native, ok := nativeParse(kind, options); ok {
		return native, nil
	}
	if kind == Create {
		var o core.PublicKeyCredentialCreationOptions
		if err := codec.Unmarshal(options, &o); err != nil {
			return safejs.Undefined(), &Error{Msg: "the server's creation options are not valid: " + err.Error()}
		}
		if o.Challenge == "" || o.User.ID == "" {
			return safejs.Undefined(), &Error{Msg: "the server's creation options have no challenge or user id"}
		}
		return CreationOptions(o)
	}
	var o core.PublicKeyCredentialRequestOptions
	if err := codec.Unmarshal(options, &o); err != nil {
		return safejs.Undefined(), &Error{Msg: "the server's request options are not valid: " + err.Error()}
	}
	if o.Challenge == "" {
		return safejs.Undefined(), &Error{Msg: "the server's request options have no challenge"}
	}
	return RequestOptions(o)
}

func nativeParse(kind string, options []byte) (safejs.Value, bool) {
	pkc, err := global.Get("PublicKeyCredential")
	if err != nil || pkc.Type() != safejs.TypeFunction {
		return safejs.Undefined(), false
	}
	name := "parseRequestOptionsFromJSON"
	if kind == Create {
		name = "parseCreationOptionsFromJSON"
	}
	if get(pkc, name).Type() != safejs.TypeFunction {
		return safejs.Undefined(), false
	}
	obj, err := parse(options)
	if err != nil {
		return safejs.Undefined(), false
	}
	out, err := pkc.Call(name, obj)
	if err != nil {
		return safejs.Undefined(), false
	}
	return out, true
}

// Credential serializes what navigator.credentials resolved to as the
// JSON the server verifies, with this package's reader (never the
// credential's own toJSON, which password-manager extensions replace).
func Credential(kind string, cred safejs.Value) ([]byte, error) {
	if kind == Create {
		c, err := CreationCredential(cred)
		if err != nil {
			return nil, err
		}
		return codec.Marshal(&c)
	}
	c, err := AssertionCredential(cred)
	if err != nil {
		return nil, err
	}
	return codec.Marshal(&c)
}

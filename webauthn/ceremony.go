//go:build js && wasm

package webauthn

import (
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// Kinds of ceremony: what the server's options are for.
const (
	Create = "create" // navigator.credentials.create: sign-up, a new key
	Get    = "get"    // navigator.credentials.get: sign-in, elevation
)

// maxCredentials bounds the credential lists of options: an account has a
// handful of keys; thousands are a broken or hostile server.
const maxCredentials = 256

// PublicKey turns the server's options (JSON) for a ceremony of kind into
// the publicKey argument of navigator.credentials. The options are checked
// here first, whatever the browser (types, challenge, user id, list sizes),
// then handed to the browser's own PublicKeyCredential.parse*OptionsFromJSON
// where it has them, or converted by this package's codec.
func PublicKey(kind string, options []byte) (safejs.Value, Info, error) {
	var info Info
	bad := func(msg string) (safejs.Value, Info, error) {
		return safejs.Undefined(), info, &Error{Msg: "the server's options " + msg}
	}
	var creation core.PublicKeyCredentialCreationOptions
	var request core.PublicKeyCredentialRequestOptions
	if kind == Create {
		if err := codec.Unmarshal(options, &creation); err != nil {
			return bad("are not valid: " + err.Error())
		}
		switch {
		case creation.Challenge == "":
			return bad("have no challenge")
		case creation.User.ID == "":
			return bad("have no user id")
		case len(creation.PubKeyCredParams) == 0:
			return bad("list no algorithm")
		case len(creation.ExcludeCredentials) > maxCredentials || len(creation.PubKeyCredParams) > maxCredentials:
			return bad("list more than " + strconv.Itoa(maxCredentials) + " credentials or algorithms")
		}
		info.RPID = creation.Rp.ID
		for _, c := range creation.ExcludeCredentials {
			info.Known = append(info.Known, c.ID)
		}
	} else {
		if err := codec.Unmarshal(options, &request); err != nil {
			return bad("are not valid: " + err.Error())
		}
		switch {
		case request.Challenge == "":
			return bad("have no challenge")
		case len(request.AllowCredentials) > maxCredentials:
			return bad("list more than " + strconv.Itoa(maxCredentials) + " credentials")
		}
		info.RPID = request.RpID
		for _, c := range request.AllowCredentials {
			info.Known = append(info.Known, c.ID)
		}
	}
	if native, ok := nativeParse(kind, options); ok {
		return native, info, nil
	}
	var v safejs.Value
	var err error
	if kind == Create {
		v, err = CreationOptions(creation)
	} else {
		v, err = RequestOptions(request)
	}
	return v, info, err
}

// Info is what a ceremony's options say that the Signal API needs: the
// relying party, and the credentials the server listed (the account's
// keys: allowed for a sign-in, excluded for a new key).
type Info struct {
	RPID  string
	Known []string
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

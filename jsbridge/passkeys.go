//go:build js && wasm

package jsbridge

import (
	"context"
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/webauthn"
)

// passkeyFlows are the WebAuthn ceremonies: the request for options, the
// verification, and which navigator.credentials call sits between them.
var passkeyFlows = map[string]struct{ begin, verify, kind string }{
	"signUp":  {"signUpWebauthn", "verifySignUpWebauthn", webauthn.Create},
	"signIn":  {"signInWebauthn", "verifySignInWebauthn", webauthn.Get},
	"add":     {"addSecurityKey", "verifyAddSecurityKey", webauthn.Create},
	"elevate": {"elevateWebauthn", "verifyElevateWebauthn", webauthn.Get},
}

// passkey(handle, id, flow, body, extra, signal, mediation) runs a whole
// ceremony in one call: the options request (body: its JSON text), the
// config's credentials(id, kind, publicKey, signal, mediation), which
// answers through settle, and the verification (extra: the JSON object
// text of its other fields, the credential is added). The reply is as
// request's, naming the send of the response that ends the flow (the
// options' when the server refused them) and then the options' send;
// after a verification, also the relying party id, the credential's id,
// the ids the options listed and an assertion's user handle.
func passkey(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil {
		return ErrorValue(err)
	}
	id, _ := arg(args, 1).Int()
	r := replier{fn: e.reply, id: id}
	name, _ := arg(args, 2).String()
	flow, ok := passkeyFlows[name]
	if !ok || !is(e.credentials, safejs.TypeFunction) {
		r.fail(&ArgError{Msg: "nhost-auth-wasm: unknown passkey flow"})
		return nil
	}
	var body []byte
	if b := arg(args, 3); is(b, safejs.TypeString) {
		s, _ := b.String()
		body = []byte(s)
	}
	extra := "{}"
	if x := arg(args, 4); is(x, safejs.TypeString) {
		extra, _ = x.String()
	}
	signal, mediation := arg(args, 5), arg(args, 6)
	spawn(func() {
		defer func() {
			if p := recover(); p != nil {
				r.fail(&ArgError{Msg: panicMessage(p)})
			}
		}()
		ctx := context.Background()
		res, err := e.client.Do(ctx, e.client.NewRequest(core.OperationNamed(flow.begin), "", body, core.ReadBody()))
		first := sentID(res)
		if err != nil {
			r.failWith(transportError(err), first)
			return
		}
		if res.Status >= 300 {
			r.ok(first, first)
			return
		}
		publicKey, info, err := webauthn.PublicKey(flow.kind, res.Body)
		if err != nil {
			r.failWith(err, first)
			return
		}
		_, got, err := await(ctx, e.credentials, flow.kind, publicKey, signal, mediation)
		if err != nil {
			r.failWith(err, first)
			return
		}
		credential := arg(got, 0)
		cred, err := webauthn.Credential(flow.kind, credential)
		if err != nil {
			r.failWith(err, first)
			return
		}
		res, err = e.client.Do(ctx, e.client.NewRequest(core.OperationNamed(flow.verify), "", withCredential(extra, cred)))
		last := sentID(res)
		if err != nil {
			r.failWith(transportError(err), first)
			return
		}
		// For the Signal API: the relying party, the new or used
		// credential's id, the account's other keys (base64url ids,
		// comma-separated) and an assertion's user handle (bytes).
		credID, _ := credential.Get("id")
		var handle any = safejs.Undefined()
		if resp, err := credential.Get("response"); err == nil && flow.kind == webauthn.Get {
			if h, err := resp.Get("userHandle"); err == nil {
				handle = h
			}
		}
		r.ok(last, first, info.RPID, credID, strings.Join(info.Known, ","), handle)
	})
	return nil
}

// sentID is the send of a response, for the shim (undefined without one).
func sentID(res *core.Response) any {
	if res != nil {
		if s, ok := res.Raw.(sent); ok {
			return int(s)
		}
	}
	return safejs.Undefined()
}

// withCredential adds "credential" to a JSON object's text.
func withCredential(obj string, cred []byte) []byte {
	if len(obj) < 2 {
		obj = "{}"
	}
	out := append([]byte(`{"credential":`), cred...)
	rest := obj[1:] // after "{"
	for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\n' || rest[0] == '\t' || rest[0] == '\r') {
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

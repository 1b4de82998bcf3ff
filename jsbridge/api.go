//go:build js && wasm

package jsbridge

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// The API that auth.wasm hands to the JS shim (js/loader.js). The shim
// owns the JS-facing semantics (argument checks, JSON of bodies,
// FetchError, FetchResponse, the chain of JS middlewares, storage
// classes); this side owns the client: the session (core's session step
// and store) and the transport. Calls cross as described in calls.go.

type entry struct {
	reply  safejs.Value // the shim's reply(id, error, status, text, response)
	client *core.Client
	auth   *core.AuthClient // nil for a raw client (the /auth subpath)
	unsub  func()
	// credentials(id, kind, publicKey, signal, mediation) is the shim's
	// navigator.credentials.create/get, answered through settle.
	credentials safejs.Value
}

type registry struct {
	mu      sync.Mutex
	next    int
	clients map[int]*entry
}

var reg = &registry{clients: map[int]*entry{}}

func (r *registry) get(h safejs.Value) (*entry, error) {
	if !is(h, safejs.TypeNumber) {
		return nil, &ArgError{Msg: "nhost-auth-wasm: invalid client handle"}
	}
	id, _ := h.Int()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.clients[id]
	if e == nil {
		return nil, &ArgError{Msg: "nhost-auth-wasm: client was released"}
	}
	return e, nil
}

// NewAPI builds the API object. Its functions live as long as the program.
func NewAPI() (safejs.Value, error) {
	api := NewObject()
	for name, fn := range map[string]func([]safejs.Value) any{
		"createClient":   createClient,
		"request":        request,
		"passkey":        passkey,
		"settle":         settle,
		"getSession":     getSession,
		"refreshSession": refreshSession,
		"tick":           tick,
		"clearSession":   clearSession,
		"reload":         reload,
		"releaseClient":  releaseClient,
		"version":        func([]safejs.Value) any { return Version },
	} {
		f, err := Func(fn)
		if err != nil {
			return safejs.Undefined(), err
		}
		if err := api.Set(name, f.Value()); err != nil {
			return safejs.Undefined(), err
		}
	}
	return api, nil
}

// Version is the SDK's version, set by tools/buildwasm from package.json;
// the JS loader refuses an auth.wasm whose version is not its own.
var Version = "0.0.0-dev"

func field(obj safejs.Value, key string) safejs.Value {
	if !isObject(obj) {
		return safejs.Undefined()
	}
	v, err := obj.Get(key)
	if err != nil {
		return safejs.Undefined()
	}
	return v
}

// createClient(config) → handle, or an Error value to throw.
// config: {baseURL, fetch, session?, storage?, onSessionChange?, lock?,
// refreshMargin?, refreshTimeout?, server?} — lock(ms) is the cross-tab lock (see JSLocker),
// refreshMargin the seconds before expiry at which tokens are renewed,
// refreshTimeout the seconds after which a refresh request is given up,
// server that requests never refresh the session first.
func createClient(args []safejs.Value) any {
	cfg := arg(args, 0)
	base := field(cfg, "baseURL")
	send := field(cfg, "send")
	reply := field(cfg, "reply")
	if !is(base, safejs.TypeString) || !is(send, safejs.TypeFunction) || !is(reply, safejs.TypeFunction) {
		return NewTypeError("createClient: baseURL must be a string, send and reply functions")
	}
	baseURL, _ := base.String()
	transport := &FetchTransport{Send: send}
	e := &entry{reply: reply, credentials: field(cfg, "credentials")}
	if withSession, _ := field(cfg, "session").Truthy(); withSession {
		var storage core.Storage
		if b := field(cfg, "storage"); isObject(b) {
			storage = JSStorage{Backend: b}
		}
		e.auth = core.NewAuthClient(baseURL, transport, storage)
		e.client = e.auth.Client
		if lock := field(cfg, "lock"); is(lock, safejs.TypeFunction) {
			e.auth.Locker = JSLocker{Fn: lock}
		}
		if m := field(cfg, "refreshMargin"); is(m, safejs.TypeNumber) && !m.IsNaN() {
			f, _ := m.Float()
			if f >= 0 {
				e.auth.Margin = time.Duration(f * float64(time.Second))
			}
		}
		if m := field(cfg, "refreshTimeout"); is(m, safejs.TypeNumber) && !m.IsNaN() {
			if f, _ := m.Float(); f > 0 {
				e.auth.RefreshTimeout = time.Duration(f * float64(time.Second))
			}
		}
		if off, _ := field(cfg, "server").Truthy(); off {
			e.auth.NoRefreshBeforeRequests = true
		}
		if cb := field(cfg, "onSessionChange"); is(cb, safejs.TypeFunction) {
			sessions := e.auth.Sessions
			e.unsub = sessions.OnChange(func(s *core.StoredSession) {
				_, _ = cb.Invoke(sessionText(s), !sessions.Unsaved())
			})
		}
	} else {
		e.client = core.NewClient(baseURL, transport)
	}
	reg.mu.Lock()
	reg.next++
	id := reg.next
	reg.clients[id] = e
	reg.mu.Unlock()
	return id
}

func releaseClient(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil {
		return nil
	}
	id, _ := arg(args, 0).Int()
	reg.mu.Lock()
	delete(reg.clients, id)
	reg.mu.Unlock()
	if e.unsub != nil {
		e.unsub()
	}
	return nil
}

// sessionText is a stored session as JSON text, or null.
func sessionText(s *core.StoredSession) any {
	if s == nil {
		return nil
	}
	b, err := codec.Marshal(s)
	if err != nil {
		return nil
	}
	return string(b)
}

// request(handle, id, member, provider, body, options, authorization)
// sends a request; its outcome goes to the client's reply(id, error,
// status, text, response): error is a TypeError for bad arguments and
// {status: 0, message, cause} when no response arrived. It returns an
// Error value, and replies nothing, only for an unknown handle.
func request(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil {
		return ErrorValue(err)
	}
	id, _ := arg(args, 1).Int()
	r := replier{fn: e.reply, id: id}
	// The member's index in core.MethodNames (a number crosses for free).
	member, err := arg(args, 2).Int()
	op := core.OperationAt(member)
	if err != nil || op == nil || op.Redirect {
		r.fail(&ArgError{Msg: "nhost-auth-wasm: unknown method"})
		return nil
	}
	name := op.Name
	provider, err := providerArg(name, op, arg(args, 3))
	if err != nil {
		r.fail(err)
		return nil
	}
	body, err := bodyArg(name, op, arg(args, 4))
	if err != nil {
		r.fail(err)
		return nil
	}
	opts, err := optionsArg(name, arg(args, 5), arg(args, 6))
	if err != nil {
		r.fail(err)
		return nil
	}
	req := e.client.NewRequest(op, provider, body, opts...)
	spawn(func() {
		defer func() {
			if p := recover(); p != nil {
				r.fail(&ArgError{Msg: panicMessage(p)})
			}
		}()
		res, err := e.client.Do(context.Background(), req)
		id := sentID(res) // the send whose Response the shim keeps
		if err != nil {
			r.failWith(transportError(err), id)
			return
		}
		r.ok(id)
	})
	return nil
}

func providerArg(name string, op *core.Operation, v safejs.Value) (core.SignInProvider, error) {
	if op.Path == "" || !containsProvider(op.Path) {
		return "", nil
	}
	if !is(v, safejs.TypeString) {
		return "", &ArgError{Msg: name + ": provider must be a string such as \"github\""}
	}
	s, _ := v.String()
	if s == "" {
		return "", &ArgError{Msg: name + ": provider must not be empty"}
	}
	return core.SignInProvider(s), nil
}

func containsProvider(path string) bool {
	for i := 0; i+len("{provider}") <= len(path); i++ {
		if path[i:i+len("{provider}")] == "{provider}" {
			return true
		}
	}
	return false
}

// bodyArg is the JSON text of a body (or a Query operation's
// parameters), which the shim has type-checked and serialized.
func bodyArg(name string, op *core.Operation, v safejs.Value) ([]byte, error) {
	if (op.Body == core.BodyNone && !op.Query) || v.IsUndefined() || v.IsNull() {
		if op.Body == core.BodyRequired {
			return nil, &ArgError{Msg: name + ": body must be an object, got " + typeName(v)}
		}
		return nil, nil
	}
	if !is(v, safejs.TypeString) {
		return nil, &ArgError{Msg: name + ": body must be JSON text"}
	}
	s, err := v.String()
	return []byte(s), err
}

func typeName(v safejs.Value) string {
	if v.IsNull() {
		return "null"
	}
	if t, ok := typeOf(v); ok {
		return t.String()
	}
	s, err := callString(global, "String", v)
	if err == nil && len(s) > 0 && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' {
		return "bigint"
	}
	return "an unsupported value"
}

// optionsArg takes a call's RequestInit (the shim's plain copy), passed
// to fetch as it is, and the caller's own Authorization header, if any,
// so that the session's token does not replace it.
func optionsArg(name string, v, auth safejs.Value) ([]core.RequestOption, error) {
	if v.IsUndefined() || v.IsNull() {
		return nil, nil
	}
	if !isObject(v) {
		return nil, &ArgError{Msg: name + ": options must be a RequestInit object, got " + typeName(v)}
	}
	opts := []core.RequestOption{core.WithInit(v)}
	if is(auth, safejs.TypeString) {
		a, _ := auth.String()
		opts = append(opts, core.WithHeader("Authorization", a))
	}
	return opts, nil
}

// transportFailure is a request that got no response.
type transportFailure struct{ err error }

func (t *transportFailure) Error() string { return t.err.Error() }

func (t *transportFailure) JSValue() safejs.Value {
	o := NewObject()
	_ = o.Set("status", 0)
	_ = o.Set("message", t.err.Error())
	var je *JSError
	if errors.As(t.err, &je) {
		_ = o.Set("cause", je.Value)
	}
	_ = o.Set("networkError", true)
	return o
}

func transportError(err error) error {
	var ae *ArgError
	if errors.As(err, &ae) {
		return ae
	}
	var se *core.StorageError
	if errors.As(err, &se) {
		return &storageFailure{se: se}
	}
	return &transportFailure{err: err}
}

// storageFailure is a session the storage backend refused: an Error named
// StorageError whose cause is what the backend threw.
type storageFailure struct{ se *core.StorageError }

func (f *storageFailure) Error() string { return f.se.Error() }

func (f *storageFailure) JSValue() safejs.Value {
	v := NewError(f.se.Error())
	_ = v.Set("name", "StorageError")
	var je *JSError
	if errors.As(f.se.Err, &je) {
		_ = v.Set("cause", je.Value)
	}
	return v
}

// fetchFailure carries a FetchError from core to the shim.
type fetchFailure struct{ fe *core.FetchError }

func (f *fetchFailure) Error() string { return f.fe.Error() }

func (f *fetchFailure) JSValue() safejs.Value {
	if f.fe.Status == 0 {
		return (&transportFailure{err: f.fe.Err}).JSValue()
	}
	o := NewObject()
	_ = o.Set("status", f.fe.Status)
	text, _ := codec.EncodeAny(f.fe.Body)
	_ = o.Set("text", string(text))
	return o
}

func getSession(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil || e.auth == nil {
		return nil
	}
	return sessionText(e.auth.GetUserSession())
}

// reload(handle): the stored session may have changed (another tab, the
// page's own SessionStorage); the next request reads it again.
func reload(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err == nil && e.auth != nil {
		e.auth.Sessions.MarkStale()
	}
	return nil
}

func clearSession(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil || e.auth == nil {
		return nil
	}
	_ = e.auth.ClearSession()
	return nil
}

// refreshSession(handle, id, marginSeconds) replies (id, error, session
// JSON or null).
func refreshSession(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil {
		return ErrorValue(err)
	}
	id, _ := arg(args, 1).Int()
	r := replier{fn: e.reply, id: id}
	if e.auth == nil {
		r.fail(&ArgError{Msg: "refreshSession: this client has no session"})
		return nil
	}
	margin := core.DefaultRefreshMargin
	if m := arg(args, 2); !m.IsUndefined() {
		if !is(m, safejs.TypeNumber) || m.IsNaN() {
			r.fail(&ArgError{Msg: "refreshSession: marginSeconds must be a number"})
			return nil
		}
		f, _ := m.Float()
		if f < 0 {
			f = 0
		}
		margin = time.Duration(f * float64(time.Second))
	}
	goReply(r, func() (any, error) {
		s, err := e.auth.RefreshSession(context.Background(), margin)
		if err != nil {
			var fe *core.FetchError
			if errors.As(err, &fe) {
				return nil, &fetchFailure{fe: fe}
			}
			return nil, transportError(err)
		}
		return sessionText(s), nil
	})
	return nil
}

// tick(handle, id, reason) replies (id, error, the time in ms since the
// epoch at which the shim's timer should call again, or null when signed
// out). It refreshes the session when it is due; reason "online" first
// ends any backoff, so a page back online refreshes at once.
func tick(args []safejs.Value) any {
	e, err := reg.get(arg(args, 0))
	if err != nil {
		return ErrorValue(err)
	}
	id, _ := arg(args, 1).Int()
	r := replier{fn: e.reply, id: id}
	if e.auth == nil {
		r.fail(&ArgError{Msg: "tick: this client has no session"})
		return nil
	}
	if reason, _ := arg(args, 2).String(); reason == "online" {
		e.auth.ResetBackoff()
	}
	goReply(r, func() (any, error) {
		next, _ := e.auth.AutoRefresh(context.Background())
		if next.IsZero() {
			return nil, nil
		}
		return float64(next.UnixMilli()), nil
	})
	return nil
}

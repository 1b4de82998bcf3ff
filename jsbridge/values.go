//go:build js && wasm

package jsbridge

import (
	"github.com/hack-pad/safejs"
)

var (
	global      = safejs.Global()
	jsJSON, _   = global.Get("JSON")
	jsObject, _ = global.Get("Object")
	jsTypeError = mustGet("TypeError")
	jsError     = mustGet("Error")
)

func mustGet(name string) safejs.Value {
	v, err := global.Get(name)
	if err != nil || v.IsUndefined() {
		panic("jsbridge: global " + name + " is missing")
	}
	return v
}

// JSError is an error thrown or rejected by JavaScript; Value is what was thrown.
type JSError struct {
	Value   safejs.Value
	message string
}

func (e *JSError) Error() string { return e.message }

// NewJSError wraps a thrown JS value, taking its message when it has one.
func NewJSError(v safejs.Value) *JSError {
	msg := ""
	if isObject(v) {
		if m, err := v.Get("message"); err == nil && is(m, safejs.TypeString) {
			msg, _ = m.String()
		}
	}
	if msg == "" {
		if s, err := callString(global, "String", v); err == nil {
			msg = s
		}
	}
	return &JSError{Value: v, message: msg}
}

func callString(this safejs.Value, fn string, args ...any) (string, error) {
	v, err := this.Call(fn, args...)
	if err != nil {
		return "", err
	}
	return v.String()
}

// Stringify is JSON.stringify(v); undefined gives "" (no body).
func Stringify(v safejs.Value) (string, error) {
	if v.IsUndefined() {
		return "", nil
	}
	out, err := jsJSON.Call("stringify", v)
	if err != nil {
		return "", err
	}
	if out.IsUndefined() { // functions, symbols
		return "", nil
	}
	return out.String()
}

// Parse is JSON.parse(s).
func Parse(s string) (safejs.Value, error) { return jsJSON.Call("parse", s) }

// NewTypeError makes a JS TypeError.
func NewTypeError(msg string) safejs.Value {
	v, err := jsTypeError.New(msg)
	if err != nil {
		return safejs.Null()
	}
	return v
}

// NewError makes a JS Error.
func NewError(msg string) safejs.Value {
	v, err := jsError.New(msg)
	if err != nil {
		return safejs.Null()
	}
	return v
}

// NewObject returns {}.
func NewObject() safejs.Value {
	v, _ := jsObject.New()
	return v
}

// typeOf is v.Type() without its panic: syscall/js panics ("bad type
// flag") for values it has no Type for, such as a BigInt. ok is false then.
func typeOf(v safejs.Value) (t safejs.Type, ok bool) {
	defer func() {
		if recover() != nil {
			t, ok = safejs.TypeUndefined, false
		}
	}()
	return v.Type(), true
}

// is reports whether v has type t (false for types Go cannot name).
func is(v safejs.Value, t safejs.Type) bool {
	got, ok := typeOf(v)
	return ok && got == t
}

// isObject reports whether v is a non-null object (functions excluded).
func isObject(v safejs.Value) bool { return is(v, safejs.TypeObject) && !v.IsNull() }

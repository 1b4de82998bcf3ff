//go:build js && wasm

package jsbridge

import (
	"runtime"

	"github.com/hack-pad/safejs"
)

func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// ArgError is a wrong argument from JS: it becomes a TypeError.
type ArgError struct{ Msg string }

func (e *ArgError) Error() string { return e.Msg }

// ErrorValue turns a Go error into the JS value a Promise rejects with:
// a JS error passes through, an ArgError becomes a TypeError, a value that
// implements JSValuer gives its own, anything else becomes an Error.
func ErrorValue(err error) any {
	switch e := err.(type) {
	case *JSError:
		return e.Value
	case *ArgError:
		return NewTypeError(e.Msg)
	case JSValuer:
		return e.JSValue()
	}
	return NewError(err.Error())
}

// JSValuer is an error that knows its JS form.
type JSValuer interface{ JSValue() safejs.Value }

func panicMessage(r any) string {
	msg := "nhost-auth-wasm: internal error"
	switch v := r.(type) {
	case error:
		msg += ": " + v.Error()
	case string:
		msg += ": " + v
	}
	// The stack goes to the console, never to the caller.
	buf := make([]byte, 8<<10)
	println(msg + "\n" + string(buf[:runtime.Stack(buf, false)]))
	return msg
}

// Func wraps a Go function for JS with panic recovery: a panic makes the
// call return a TypeError value instead of killing the runtime.
func Func(fn func(args []safejs.Value) any) (safejs.Func, error) {
	return safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = NewTypeError(panicMessage(r))
			}
		}()
		return fn(args)
	})
}

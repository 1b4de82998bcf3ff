//go:build js && wasm

package jsbridge

import (
	"context"
	"runtime"

	"github.com/hack-pad/safejs"
)

type settled struct {
	v   safejs.Value
	err error
}

// Await waits for a JS promise (or plain value) to settle. It must run on
// a goroutine of its own, never inside a callback that JS calls
// synchronously. If ctx ends first it returns ctx.Err(); the callbacks are
// then released once the promise settles, so nothing leaks.
func Await(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	if !isObject(p) {
		return p, nil
	}
	then, err := p.Get("then")
	if err != nil || !is(then, safejs.TypeFunction) {
		return p, nil // not a thenable
	}
	ch := make(chan settled, 1)
	onOK, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- settled{v: arg(args, 0)}
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	onErr, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- settled{err: newJSError(arg(args, 0))}
		return nil
	})
	if err != nil {
		onOK.Release()
		return safejs.Undefined(), err
	}
	release := func() { onOK.Release(); onErr.Release() }
	if _, err := p.Call("then", onOK.Value(), onErr.Value()); err != nil {
		release()
		return safejs.Undefined(), err
	}
	select {
	case s := <-ch:
		release()
		return s.v, s.err
	case <-ctx.Done():
		go func() { <-ch; release() }()
		return safejs.Undefined(), ctx.Err()
	}
}

func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// NewPromise returns a JS Promise settled by fn, which runs on a new
// goroutine. fn's error rejects the promise with ErrorValue(err); a panic
// rejects it with a TypeError and leaves the runtime running.
func NewPromise(fn func() (any, error)) safejs.Value {
	var resolve, reject safejs.Value
	executor, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject = arg(args, 0), arg(args, 1)
		return nil
	})
	if err != nil {
		return safejs.Undefined()
	}
	p, err := jsPromise.New(executor.Value())
	executor.Release() // the executor runs synchronously inside New
	if err != nil {
		return safejs.Undefined()
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				_, _ = reject.Invoke(NewTypeError(panicMessage(r)))
			}
		}()
		v, err := fn()
		if err != nil {
			_, _ = reject.Invoke(ErrorValue(err))
			return
		}
		_, _ = resolve.Invoke(v)
	}()
	return p
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

// AsyncFunc is Func for functions that return a Promise: a panic makes the
// call return a Promise rejected with a TypeError, so callers that await
// it see an error, not a value.
func AsyncFunc(fn func(args []safejs.Value) any) (safejs.Func, error) {
	return safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = rejected(&ArgError{Msg: panicMessage(r)})
			}
		}()
		return fn(args)
	})
}

//go:build js && wasm

// Command exiting is a stand-in for auth.wasm whose Go runtime stops on
// request: it hands the loader an API whose request() never replies, and
// exits when the page calls exit(). The tests use it to check that
// pending calls reject when the runtime stops and that the next call
// starts a new runtime.
package main

import (
	"os"
	"syscall/js"
)

func main() {
	global := js.Global()
	global.Set("exitingStarts", global.Get("exitingStarts").Int()+1)
	quit := make(chan struct{})
	api := map[string]any{
		"version":      js.FuncOf(func(js.Value, []js.Value) any { return global.Get("exitingVersion") }),
		"createClient": js.FuncOf(func(js.Value, []js.Value) any { return 1 }),
		// Never replies: the call waits until the runtime exits.
		"request": js.FuncOf(func(js.Value, []js.Value) any { return nil }),
		"exit":    js.FuncOf(func(js.Value, []js.Value) any { close(quit); return nil }),
	}
	// The loader's callback, as auth.wasm finds it (wasm/main.go).
	global.Get("__nhostAuthWasmReady").Invoke(js.ValueOf(api))
	<-quit
	os.Exit(3)
}

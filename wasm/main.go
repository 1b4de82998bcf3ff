//go:build js && wasm

// Command wasm is auth.wasm: it builds the bridge's API and hands it to the
// JS loader, whose callback name arrives as the first argument, then keeps
// the Go runtime alive for the page's lifetime.
package main

import (
	"os"

	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/jsbridge"
)

func main() {
	if len(os.Args) < 2 {
		println("auth.wasm: start me with the loader (js/loader.js)")
		return
	}
	api, err := jsbridge.NewAPI()
	if err != nil {
		println("auth.wasm: " + err.Error())
		return
	}
	ready, err := safejs.Global().Get(os.Args[1])
	if err != nil || ready.Type() != safejs.TypeFunction {
		println("auth.wasm: loader callback " + os.Args[1] + " is missing")
		return
	}
	if _, err := ready.Invoke(api); err != nil {
		println("auth.wasm: " + err.Error())
		return
	}
	select {} // serve calls from JS until the page goes away
}

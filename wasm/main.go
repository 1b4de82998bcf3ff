//go:build js && wasm

// Command wasm is auth.wasm: it builds the bridge's API and hands it to the
// JS loader's callback, then keeps the Go runtime alive for the page's
// lifetime.
package main

import (
	"github.com/hack-pad/safejs"

	"github.com/nhost-auth-wasm/sdk/jsbridge"
)

// readyName is the global the loader sets, just before it starts the
// runtime, to the function that receives the API. A fixed name, not an
// argument: reading arguments would link package os (~20 KB gzip), and
// main runs synchronously inside the loader's go.run, so two runtimes
// starting at once never see each other's callback.
const readyName = "__nhostAuthWasmReady"

func main() {
	api, err := jsbridge.NewAPI()
	if err != nil {
		println("auth.wasm: " + err.Error())
		return
	}
	ready, err := safejs.Global().Get(readyName)
	if err != nil || ready.Type() != safejs.TypeFunction {
		println("auth.wasm: start me with the loader (js/loader.js): " + readyName + " is missing")
		return
	}
	if _, err := ready.Invoke(api); err != nil {
		println("auth.wasm: " + err.Error())
		return
	}
	select {} // serve calls from JS until the page goes away
}

// Package jsbridge is the only Go package that touches JavaScript, always
// through github.com/hack-pad/safejs: it awaits and creates Promises,
// converts values, sends requests with the browser's fetch, adapts JS
// session storage backends, and exposes the core client to the JS shim.
//
// Rules kept everywhere here: never block inside a callback that JS calls
// synchronously (work moves to a goroutine that settles a Promise); every
// callback recovers from panics; every js.Func made per call is released.
package jsbridge

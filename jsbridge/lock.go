//go:build js && wasm

package jsbridge

import (
	"context"
	"errors"
	"time"

	"github.com/hack-pad/safejs"
)

// JSLocker adapts a JS lock function to core.Locker. The shim's function
// lock(id, ms) answers through the API's settle(id, true, release) once it
// holds the Web Lock (named per storage key, so every tab using the same
// session shares it), with release null when it could not get it in time
// or the browser has no Web Locks.
type JSLocker struct {
	Fn safejs.Value
}

var errNoLock = errors.New("cross-tab lock unavailable")

// Lock implements core.Locker.
func (l JSLocker) Lock(ctx context.Context, timeout time.Duration) (func(), error) {
	_, got, err := await(ctx, l.Fn, timeout.Milliseconds())
	if err != nil {
		return nil, err
	}
	release := arg(got, 0)
	if !is(release, safejs.TypeFunction) {
		return nil, errNoLock
	}
	return func() { _, _ = release.Invoke() }, nil
}

//go:build js && wasm

package jsbridge

import (
	"context"
	"sync"

	"github.com/hack-pad/safejs"
)

// A request crosses the boundary four times and creates no function or
// Promise on the Go side: the shim calls request(…, id), Go calls the
// shim's send(id, …), the shim calls settle(id, …) with the response, and
// Go calls the shim's reply(id, …) with the result. settle and reply are
// long-lived functions; ids pair the calls.

// waits are the sends waiting for their settle, by id.
var waits = struct {
	mu   sync.Mutex // guards next and m
	next int
	m    map[int]chan []safejs.Value
}{m: map[int]chan []safejs.Value{}}

// newWait registers a send and returns its id and where its settle arrives.
func newWait() (int, chan []safejs.Value) {
	ch := make(chan []safejs.Value, 1)
	waits.mu.Lock()
	waits.next++
	id := waits.next
	waits.m[id] = ch
	waits.mu.Unlock()
	return id, ch
}

// dropWait forgets a send nobody waits for any more (its context ended);
// a settle that comes later is ignored.
func dropWait(id int) {
	waits.mu.Lock()
	delete(waits.m, id)
	waits.mu.Unlock()
}

// settle(id, ok, ...values) is the shim's answer to a send: ok true with
// (status, text, response), or false with what the fetch threw.
func settle(args []safejs.Value) any {
	id, err := arg(args, 0).Int()
	if err != nil {
		return nil
	}
	waits.mu.Lock()
	ch := waits.m[id]
	delete(waits.m, id)
	waits.mu.Unlock()
	if ch != nil {
		ch <- append([]safejs.Value(nil), args[1:]...)
	}
	return nil
}

// replier sends a call's outcome to the shim's reply(id, error, ...values):
// error undefined on success.
type replier struct {
	fn safejs.Value
	id int
}

func (r replier) fail(err error) {
	_, _ = r.fn.Invoke(r.id, ErrorValue(err))
}

// failWith fails naming the send whose Response the shim may drop.
func (r replier) failWith(err error, sent any) {
	_, _ = r.fn.Invoke(r.id, ErrorValue(err), sent)
}

func (r replier) ok(values ...any) {
	_, _ = r.fn.Invoke(append([]any{r.id, safejs.Undefined()}, values...)...)
}

// goReply runs fn on a goroutine and replies with its value (as reply's
// first value) or its error; a panic replies a TypeError and leaves the
// runtime running.
func goReply(r replier, fn func() (any, error)) {
	spawn(func() {
		defer func() {
			if p := recover(); p != nil {
				r.fail(&ArgError{Msg: panicMessage(p)})
			}
		}()
		v, err := fn()
		if err != nil {
			r.fail(err)
			return
		}
		_, _ = r.fn.Invoke(r.id, safejs.Undefined(), v)
	})
}

// await calls fn(id, ...args), a JS function that answers through the
// API's settle(id, ok, ...values), and returns the id and the values; it
// stops waiting when ctx ends.
func await(ctx context.Context, fn safejs.Value, args ...any) (int, []safejs.Value, error) {
	id, ch := newWait()
	if _, err := fn.Invoke(append([]any{id}, args...)...); err != nil {
		dropWait(id)
		return id, nil, err
	}
	select {
	case got := <-ch:
		if ok, _ := arg(got, 0).Truthy(); !ok {
			return id, nil, NewJSError(arg(got, 1))
		}
		return id, got[1:], nil
	case <-ctx.Done():
		dropWait(id)
		return id, nil, ctx.Err()
	}
}

// work hands a call to an idle worker goroutine. A request blocks (on its
// fetch), so it needs a goroutine of its own; reusing them spares the
// runtime a goroutine's creation, stack growth and teardown per call.
var work = make(chan func())

// spawn runs fn on an idle worker, or on a new one that stays for later
// calls (as many as ever ran at once).
func spawn(fn func()) {
	select {
	case work <- fn:
	default:
		go func() {
			for ; fn != nil; fn = <-work {
				fn()
			}
		}()
	}
}

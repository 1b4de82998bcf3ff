//go:build js && wasm

package jsbridge

import (
	"github.com/hack-pad/safejs"
)

// JSStorage adapts a JS session storage backend — any object with
// get(), set(session) and remove(), as in nhost-js: LocalStorage,
// CookieStorage, MemoryStorage or the user's own — to core.Storage.
type JSStorage struct {
	Backend safejs.Value
}

// Get implements core.Storage: backend.get(), as JSON.
func (s JSStorage) Get() ([]byte, error) {
	v, err := s.Backend.Call("get")
	if err != nil {
		return nil, err
	}
	if v.IsNull() || v.IsUndefined() {
		return nil, nil
	}
	if is(v, safejs.TypeString) { // a backend that stores text
		str, err := v.String()
		return []byte(str), err
	}
	text, err := Stringify(v)
	return []byte(text), err
}

// Set implements core.Storage: backend.set(JSON.parse(data)). A backend
// with trySet (the shim's wrapper) returns what set threw instead of
// throwing it, so the error keeps the thrown value as its cause.
func (s JSStorage) Set(data []byte) error {
	v, err := Parse(string(data))
	if err != nil {
		return err
	}
	if try := field(s.Backend, "trySet"); is(try, safejs.TypeFunction) {
		thrown, err := s.Backend.Call("trySet", v)
		if err != nil {
			return err
		}
		if !thrown.IsUndefined() && !thrown.IsNull() {
			return NewJSError(thrown)
		}
		return nil
	}
	_, err = s.Backend.Call("set", v)
	return err
}

// Remove implements core.Storage: backend.remove().
func (s JSStorage) Remove() error {
	_, err := s.Backend.Call("remove")
	return err
}

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

// Set implements core.Storage: backend.set(JSON.parse(data)).
func (s JSStorage) Set(data []byte) error {
	v, err := Parse(string(data))
	if err != nil {
		return err
	}
	_, err = s.Backend.Call("set", v)
	return err
}

// Remove implements core.Storage: backend.remove().
func (s JSStorage) Remove() error {
	_, err := s.Backend.Call("remove")
	return err
}

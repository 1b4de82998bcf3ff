// Package codec is the reflection-free JSON codec used for every wire type.
//
// It exists because reflection-based encoding/json (and fmt) would cost about
// half of auth.wasm's size budget. The wire types implement Marshaler and
// Unmarshaler through generated code (see tools/gencodec); this package holds
// the small encoder and decoder those methods call.
//
// Output follows JavaScript's JSON.stringify: the same string escaping and the
// same number formatting, so a request body built here is byte-identical to
// the one nhost-js would send for the same fields in the same order.
package codec

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Marshaler is implemented by every wire type.
type Marshaler interface {
	EncodeJSON(e *Encoder)
}

// Encoder appends JSON to a byte slice. The first error is kept and later
// writes are ignored.
type Encoder struct {
	buf []byte
	err error
}

// Marshal encodes v into a new byte slice.
func Marshal(v Marshaler) ([]byte, error) {
	var e Encoder
	v.EncodeJSON(&e)
	return e.Bytes()
}

// Bytes returns the encoded JSON, or the first error met while encoding.
func (e *Encoder) Bytes() ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	return e.buf, nil
}

// Fail records err unless an earlier error is already recorded.
func (e *Encoder) Fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// sep writes a comma when the previous token ends a value.
func (e *Encoder) sep() {
	if n := len(e.buf); n > 0 {
		switch e.buf[n-1] {
		case '{', '[', ':':
		default:
			e.buf = append(e.buf, ',')
		}
	}
}

// BeginObject starts an object.
//
//go:noinline
func (e *Encoder) BeginObject() { e.sep(); e.buf = append(e.buf, '{') }

// EndObject ends an object.
//
//go:noinline
func (e *Encoder) EndObject() { e.buf = append(e.buf, '}') }

// BeginArray starts an array.
//
//go:noinline
func (e *Encoder) BeginArray() { e.sep(); e.buf = append(e.buf, '[') }

// EndArray ends an array.
//
//go:noinline
func (e *Encoder) EndArray() { e.buf = append(e.buf, ']') }

// Key writes an object key and its colon.
//
//go:noinline
func (e *Encoder) Key(k string) {
	e.sep()
	e.buf = appendString(e.buf, k)
	e.buf = append(e.buf, ':')
}

// String writes a JSON string.
//
//go:noinline
func (e *Encoder) String(s string) { e.sep(); e.buf = appendString(e.buf, s) }

// Bool writes true or false.
//
//go:noinline
func (e *Encoder) Bool(b bool) {
	e.sep()
	if b {
		e.buf = append(e.buf, "true"...)
	} else {
		e.buf = append(e.buf, "false"...)
	}
}

// Null writes null.
//
//go:noinline
func (e *Encoder) Null() { e.sep(); e.buf = append(e.buf, "null"...) }

// Int writes an integer.
//
//go:noinline
func (e *Encoder) Int(n int64) { e.sep(); e.buf = strconv.AppendInt(e.buf, n, 10) }

// Float writes a number the way JavaScript's Number#toString does.
// NaN and infinities become null, as in JSON.stringify.
//
//go:noinline
func (e *Encoder) Float(f float64) {
	e.sep()
	e.buf = AppendFloat(e.buf, f)
}

// Raw writes already-encoded JSON. The caller guarantees it is valid.
//
//go:noinline
func (e *Encoder) Raw(b []byte) { e.sep(); e.buf = append(e.buf, b...) }

// Strings writes an array of strings; nil writes null.
func (e *Encoder) Strings(ss []string) {
	if ss == nil {
		e.Null()
		return
	}
	e.BeginArray()
	for _, s := range ss {
		e.String(s)
	}
	e.EndArray()
}

// Any writes a JSON-like Go value: nil, bool, string, numbers, []any,
// map[string]any, []string, map[string]string, Marshaler and RawMessage.
// Map keys are written in sorted order so output is deterministic.
func (e *Encoder) Any(v any) {
	switch x := v.(type) {
	case nil:
		e.Null()
	case string:
		e.String(x)
	case bool:
		e.Bool(x)
	case float64:
		e.Float(x)
	case float32:
		e.Float(float64(x))
	case int:
		e.Int(int64(x))
	case int8:
		e.Int(int64(x))
	case int16:
		e.Int(int64(x))
	case int32:
		e.Int(int64(x))
	case int64:
		e.Int(x)
	case uint:
		e.Float(float64(x))
	case uint8:
		e.Int(int64(x))
	case uint16:
		e.Int(int64(x))
	case uint32:
		e.Int(int64(x))
	case uint64:
		e.Float(float64(x))
	case RawMessage:
		if len(x) == 0 {
			e.Null()
		} else {
			e.Raw(x)
		}
	case Marshaler:
		x.EncodeJSON(e)
	case []any:
		if x == nil {
			e.Null()
			return
		}
		e.BeginArray()
		for _, el := range x {
			e.Any(el)
		}
		e.EndArray()
	case []string:
		e.Strings(x)
	case map[string]any:
		e.Map(x)
	case map[string]string:
		if x == nil {
			e.Null()
			return
		}
		e.BeginObject()
		for _, k := range SortedKeys(x) {
			e.Key(k)
			e.String(x[k])
		}
		e.EndObject()
	default:
		e.Fail(&UnsupportedTypeError{})
		e.Null()
	}
}

// Map writes a map[string]any with sorted keys; nil writes null.
func (e *Encoder) Map(m map[string]any) {
	if m == nil {
		e.Null()
		return
	}
	e.BeginObject()
	for _, k := range SortedKeys(m) {
		e.Key(k)
		e.Any(m[k])
	}
	e.EndObject()
}

// SortedKeys returns m's keys in byte order. It is an insertion sort on
// purpose: maps here are small, and package sort would add its generic
// sorting code to auth.wasm.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		i := len(keys)
		keys = append(keys, k)
		for i > 0 && keys[i-1] > k {
			keys[i] = keys[i-1]
			i--
		}
		keys[i] = k
	}
	return keys
}

// UnsupportedTypeError reports a Go value that has no JSON form here
// (a channel, a function, a struct without generated methods, ...).
type UnsupportedTypeError struct{}

func (*UnsupportedTypeError) Error() string {
	return "codec: value of unsupported type (use JSON-like values: string, number, bool, nil, []any, map[string]any)"
}

// RawMessage is already-encoded JSON, written verbatim.
type RawMessage []byte

const hexDigits = "0123456789abcdef"

// appendString escapes s like JSON.stringify: quote, backslash and control
// characters are escaped; everything else, including <, > and &, is kept.
// Invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendFloat formats f as ECMAScript's Number::toString does (the format
// JSON.stringify uses): plain notation for 1e-6 <= |f| < 1e21, otherwise
// exponent notation such as 1e+21 or 1.5e-7. NaN and ±Inf become null.
func AppendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		return append(b, '0') // also for -0, as JavaScript prints it
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	n := len(b)
	b = strconv.AppendFloat(b, f, 'e', -1, 64)
	// Go writes e-07 / e+21; JavaScript writes e-7 / e+21.
	for i := n; i < len(b); i++ {
		if b[i] == 'e' {
			j := i + 2 // after the sign
			k := j
			for k < len(b)-1 && b[k] == '0' {
				k++
			}
			b = append(b[:j], b[k:]...)
			break
		}
	}
	return b
}

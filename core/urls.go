package core

import (
	"strings"
	"unicode/utf8"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// URL builds the URL of an operation with its parameters in the query,
// as nhost-js does for its URL builders: in the order of the parameters'
// JSON (a struct's field order), arrays joined with ",", objects as JSON,
// the Spread field's properties as top-level keys, every value
// encodeURIComponent-ed. The browser navigates to it; no request is made.
func (c *Client) URL(o *Operation, provider SignInProvider, params codec.Marshaler) string {
	u := c.BaseURL + pathFor(o, provider)
	if params == nil {
		return u
	}
	b, err := codec.Marshal(params)
	if err != nil {
		return u
	}
	if q := QueryFromJSON(b, o.Spread); q != "" {
		u += "?" + q
	}
	return u
}

func pathFor(o *Operation, provider SignInProvider) string {
	if i := strings.Index(o.Path, "{provider}"); i >= 0 {
		return o.Path[:i] + EncodeURIComponent(string(provider)) + o.Path[i+len("{provider}"):]
	}
	return o.Path
}

// QueryFromJSON is the query string of a JSON object's entries, by
// nhost-js's rule (see URL); null values are left out. Anything but an
// object gives "". obj is compact JSON (as JSON.stringify and codec write
// it): nested objects are copied as they are.
func QueryFromJSON(obj []byte, spread string) string {
	var q []string
	add := func(k, v string) { q = append(q, k+"="+EncodeURIComponent(v)) }
	d := codec.NewDecoder(obj)
	if d.Kind() != '{' {
		return ""
	}
	d.Object(func(key string) {
		switch d.Kind() {
		case 'n':
			d.Skip()
		case '{':
			if key == spread {
				d.Object(func(k string) { add(k, stringOf(d)) })
				return
			}
			add(key, string(d.Raw())) // as JSON.stringify wrote it
		case '[':
			var parts []string
			d.Array(func() { parts = append(parts, stringOf(d)) })
			add(key, strings.Join(parts, ","))
		default:
			add(key, stringOf(d))
		}
	})
	if d.Finish() != nil {
		return ""
	}
	return strings.Join(q, "&")
}

// stringOf reads one JSON value as JavaScript's String(value) writes it
// for the values JSON can carry (null in an array joins as "").
func stringOf(d *codec.Decoder) string {
	switch d.Kind() {
	case '"':
		return d.String()
	case 'n':
		d.Skip()
		return ""
	case '{':
		d.Skip()
		return "[object Object]"
	}
	return string(d.Raw())
}

// FormFromJSON is the application/x-www-form-urlencoded body of a JSON
// object: the given fields, in that order, when present (as nhost-js
// writes its form bodies with URLSearchParams).
func FormFromJSON(obj []byte, fields []string) []byte {
	vals := map[string]string{}
	d := codec.NewDecoder(obj)
	if d.Kind() == '{' {
		d.Object(func(key string) {
			if d.Kind() == 'n' {
				d.Skip()
				vals[key] = "null"
				return
			}
			vals[key] = stringOf(d)
		})
	}
	var b []byte
	for _, f := range fields {
		v, ok := vals[f]
		if !ok {
			continue
		}
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(appendForm(b, f), '=')
		b = appendForm(b, v)
	}
	return b
}

// appendForm escapes s as the URL standard's form serializer does:
// A-Z a-z 0-9 * - . _ kept, space as "+", every other byte %XX.
func appendForm(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// EncodeURIComponent escapes s as JavaScript's encodeURIComponent does:
// everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) is percent-encoded as UTF-8
// with upper-case hex. Invalid UTF-8 is encoded as U+FFFD.
func EncodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if isURIUnreserved(c) {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		var buf [4]byte
		enc := buf[:utf8.EncodeRune(buf[:], r)] // RuneError encodes as U+FFFD
		for _, x := range enc {
			b.WriteByte('%')
			b.WriteByte(hex[x>>4])
			b.WriteByte(hex[x&15])
		}
		i += size
	}
	return b.String()
}

func isURIUnreserved(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', '!', '~', '*', '\'', '(', ')':
		return true
	}
	return false
}

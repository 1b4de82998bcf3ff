package codec

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Unmarshaler is implemented by every wire type.
type Unmarshaler interface {
	DecodeJSON(d *Decoder)
}

// SyntaxError is returned for input that is not JSON.
type SyntaxError struct {
	Msg    string
	Offset int
}

func (e *SyntaxError) Error() string {
	return "codec: invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// TypeError is returned when a JSON value does not have the type a field needs.
type TypeError struct {
	Field  string // JSON key of the field, when known
	Want   string
	Got    string
	Offset int
}

func (e *TypeError) Error() string {
	where := ""
	if e.Field != "" {
		where = " for \"" + e.Field + "\""
	}
	return "codec: expected " + e.Want + where + ", got " + e.Got + " at offset " + strconv.Itoa(e.Offset)
}

// Decoder reads one JSON document. The first error is kept; after it every
// read returns a zero value, so generated code needs no error checks.
type Decoder struct {
	data  []byte
	pos   int
	err   error
	field string // key being decoded, for error messages
	depth int
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

// Unmarshal decodes data into v. Trailing non-space bytes are an error.
func Unmarshal(data []byte, v Unmarshaler) error {
	d := NewDecoder(data)
	v.DecodeJSON(d)
	return d.Finish()
}

// NewDecoder returns a decoder over data.
func NewDecoder(data []byte) *Decoder { return &Decoder{data: data} }

// Finish checks that only white space follows the value and returns the
// first error.
func (d *Decoder) Finish() error {
	if d.err == nil {
		d.skipSpace()
		if d.pos < len(d.data) {
			d.syntax("unexpected data after the top-level value")
		}
	}
	return d.err
}

// Err returns the first error met so far.
func (d *Decoder) Err() error { return d.err }

// Fail records err unless an earlier error is already recorded.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *Decoder) syntax(msg string) {
	d.Fail(&SyntaxError{Msg: msg, Offset: d.pos})
	d.pos = len(d.data)
}

func (d *Decoder) typeErr(want string) {
	got := d.kindName()
	off := d.pos
	d.skipValue()
	d.Fail(&TypeError{Field: d.field, Want: want, Got: got, Offset: off})
}

func (d *Decoder) kindName() string {
	switch d.peek() {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case 0:
		return "end of input"
	default:
		return "number"
	}
}

func (d *Decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end or after an error.
func (d *Decoder) peek() byte {
	if d.err != nil {
		return 0
	}
	d.skipSpace()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// Kind reports the type of the next value: one of
// '{' '[' '"' 't' (boolean) 'n' (null) '0' (number), or 0 at the end.
func (d *Decoder) Kind() byte {
	switch c := d.peek(); c {
	case '{', '[', '"', 'n', 0:
		return c
	case 't', 'f':
		return 't'
	default:
		return '0'
	}
}

// Null consumes a null and reports whether there was one.
//
//go:noinline
func (d *Decoder) Null() bool {
	if d.peek() == 'n' {
		d.literal("null")
		return true
	}
	return false
}

func (d *Decoder) literal(lit string) {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return
	}
	d.syntax("invalid literal")
}

// Object calls fn for each key of an object; fn should consume the value
// (with a typed read or Skip); a value fn leaves alone is skipped.
// A null is accepted as an absent object.
func (d *Decoder) Object(fn func(key string)) {
	switch d.peek() {
	case 'n':
		d.literal("null")
		return
	case '{':
	default:
		if d.err == nil {
			d.typeErr("object")
		}
		return
	}
	if d.depth++; d.depth > maxDepth {
		d.syntax("nesting too deep")
		return
	}
	defer func() { d.depth-- }()
	d.pos++
	if d.peek() == '}' {
		d.pos++
		return
	}
	outer := d.field
	defer func() { d.field = outer }()
	for d.err == nil {
		if d.peek() != '"' {
			d.syntax("expected object key")
			return
		}
		key := d.readString()
		if d.peek() != ':' {
			d.syntax("expected ':' after object key")
			return
		}
		d.pos++
		d.field = key
		d.skipSpace()
		start := d.pos
		fn(key)
		if d.err == nil && d.pos == start {
			d.skipValue() // fn ignored the value
		}
		d.field = outer
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return
		default:
			if d.err == nil {
				d.syntax("expected ',' or '}' in object")
			}
			return
		}
	}
}

// Array calls fn for each element of an array; fn should consume the
// element. A null is accepted as an absent array.
func (d *Decoder) Array(fn func()) {
	switch d.peek() {
	case 'n':
		d.literal("null")
		return
	case '[':
	default:
		if d.err == nil {
			d.typeErr("array")
		}
		return
	}
	if d.depth++; d.depth > maxDepth {
		d.syntax("nesting too deep")
		return
	}
	defer func() { d.depth-- }()
	d.pos++
	if d.peek() == ']' {
		d.pos++
		return
	}
	for d.err == nil {
		d.skipSpace()
		start := d.pos
		fn()
		if d.err == nil && d.pos == start {
			d.skipValue()
		}
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return
		default:
			if d.err == nil {
				d.syntax("expected ',' or ']' in array")
			}
			return
		}
	}
}

// String reads a string; null reads as "".
//
//go:noinline
func (d *Decoder) String() string {
	switch d.peek() {
	case '"':
		return d.readString()
	case 'n':
		d.literal("null")
		return ""
	default:
		if d.err == nil {
			d.typeErr("string")
		}
		return ""
	}
}

// StringPtr reads a string; null reads as nil.
//
//go:noinline
func (d *Decoder) StringPtr() *string {
	if d.Null() {
		return nil
	}
	s := d.String()
	if d.err != nil {
		return nil
	}
	return &s
}

// Strings reads an array of strings; null reads as nil.
//
//go:noinline
func (d *Decoder) Strings() []string {
	if d.Null() {
		return nil
	}
	out := []string{}
	d.Array(func() { out = append(out, d.String()) })
	return out
}

// Bool reads a boolean; null reads as false.
//
//go:noinline
func (d *Decoder) Bool() bool {
	switch d.peek() {
	case 't':
		d.literal("true")
		return true
	case 'f':
		d.literal("false")
		return false
	case 'n':
		d.literal("null")
		return false
	default:
		if d.err == nil {
			d.typeErr("boolean")
		}
		return false
	}
}

// BoolPtr reads a boolean; null reads as nil.
//
//go:noinline
func (d *Decoder) BoolPtr() *bool {
	if d.Null() {
		return nil
	}
	b := d.Bool()
	return &b
}

// Float reads a number; null reads as 0.
//
//go:noinline
func (d *Decoder) Float() float64 {
	switch c := d.peek(); {
	case c == 'n':
		d.literal("null")
		return 0
	case c == '-' || (c >= '0' && c <= '9'):
		// ParseFloat's range error still returns ±Inf, as JSON.parse does.
		f, _ := strconv.ParseFloat(d.readNumber(), 64)
		return f
	default:
		if d.err == nil {
			d.typeErr("number")
		}
		return 0
	}
}

// Int reads an integral number; a fractional or unsafe value is a type error.
//
//go:noinline
func (d *Decoder) Int() int64 {
	d.skipSpace()
	start := d.pos
	f := d.Float()
	if d.err == nil && (f != float64(int64(f)) || f > 1<<53 || f < -(1<<53)) {
		d.Fail(&TypeError{Field: d.field, Want: "integer", Got: "number", Offset: start})
		return 0
	}
	return int64(f)
}

// IntPtr reads an integer; null reads as nil.
//
//go:noinline
func (d *Decoder) IntPtr() *int64 {
	if d.Null() {
		return nil
	}
	n := d.Int()
	return &n
}

// Any reads any value into nil, bool, float64, string, []any or map[string]any.
func (d *Decoder) Any() any {
	switch d.Kind() {
	case '{':
		m := map[string]any{}
		d.Object(func(k string) { m[k] = d.Any() })
		return m
	case '[':
		a := []any{}
		d.Array(func() { a = append(a, d.Any()) })
		return a
	case '"':
		return d.readString()
	case 't':
		return d.Bool()
	case 'n':
		d.literal("null")
		return nil
	case '0':
		return d.Float()
	default:
		if d.err == nil {
			d.syntax("unexpected end of input")
		}
		return nil
	}
}

// Map reads an object into map[string]any; null reads as nil.
//
//go:noinline
func (d *Decoder) Map() map[string]any {
	if d.Null() {
		return nil
	}
	if d.Kind() != '{' {
		if d.err == nil {
			d.typeErr("object")
		}
		return nil
	}
	m, _ := d.Any().(map[string]any)
	return m
}

// Raw returns the bytes of the next value, validated.
func (d *Decoder) Raw() RawMessage {
	d.skipSpace()
	start := d.pos
	d.skipValue()
	if d.err != nil {
		return nil
	}
	return RawMessage(d.data[start:d.pos])
}

// Skip consumes the next value, whatever its type.
//
//go:noinline
func (d *Decoder) Skip() { d.skipValue() }

func (d *Decoder) skipValue() {
	switch d.Kind() {
	case '{':
		d.Object(func(string) { d.skipValue() })
	case '[':
		d.Array(func() { d.skipValue() })
	case '"':
		d.readString()
	case 't':
		d.Bool()
	case 'n':
		d.literal("null")
	case '0':
		d.readNumber()
	default:
		if d.err == nil {
			d.syntax("unexpected end of input")
		}
	}
}

func (d *Decoder) readNumber() string {
	start := d.pos
	p := d.pos
	digits := func() int {
		n := 0
		for p < len(d.data) && d.data[p] >= '0' && d.data[p] <= '9' {
			p++
			n++
		}
		return n
	}
	bad := func() string {
		d.pos = p
		d.syntax("invalid number")
		return ""
	}
	if p < len(d.data) && d.data[p] == '-' {
		p++
	}
	if p < len(d.data) && d.data[p] == '0' {
		p++
	} else if digits() == 0 {
		return bad()
	}
	if p < len(d.data) && d.data[p] == '.' {
		p++
		if digits() == 0 {
			return bad()
		}
	}
	if p < len(d.data) && (d.data[p] == 'e' || d.data[p] == 'E') {
		p++
		if p < len(d.data) && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if digits() == 0 {
			return bad()
		}
	}
	d.pos = p
	return string(d.data[start:p])
}

// readString reads a string token at d.pos (which is a quote).
func (d *Decoder) readString() string {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes.
	for i := d.pos; i < len(d.data); i++ {
		c := d.data[i]
		if c == '"' {
			s := d.data[start:i]
			d.pos = i + 1
			if utf8.Valid(s) {
				return string(s)
			}
			return string([]rune(string(s))) // invalid bytes become U+FFFD
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			d.pos = i
			d.syntax("control character in string")
			return ""
		}
	}
	var b []byte
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(b) {
				return string([]rune(string(b)))
			}
			return string(b)
		case c < 0x20:
			d.syntax("control character in string")
			return ""
		case c != '\\':
			b = append(b, c)
			d.pos++
			continue
		}
		d.pos++ // backslash
		if d.pos >= len(d.data) {
			break
		}
		esc := d.data[d.pos]
		d.pos++
		switch esc {
		case '"', '\\', '/':
			b = append(b, esc)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				d.syntax("invalid \\u escape")
				return ""
			}
			if utf16.IsSurrogate(r) {
				// A pair is two escapes; a lone surrogate becomes U+FFFD.
				save := d.pos
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					d.pos += 2
					if r2, ok := d.hex4(); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							b = utf8.AppendRune(b, dec)
							continue
						}
					}
				}
				d.pos = save
				r = utf8.RuneError
			}
			b = utf8.AppendRune(b, r)
		default:
			d.syntax("invalid escape")
			return ""
		}
	}
	d.syntax("unterminated string")
	return ""
}

func (d *Decoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.pos += 4
	return r, true
}

// Valid reports whether data is one well-formed JSON value.
func Valid(data []byte) bool {
	d := NewDecoder(data)
	d.skipValue()
	return d.Finish() == nil
}

// DecodeAny parses data into a generic value (see Decoder.Any).
func DecodeAny(data []byte) (any, error) {
	d := NewDecoder(data)
	v := d.Any()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return v, nil
}

// EncodeAny encodes a JSON-like value (see Encoder.Any).
func EncodeAny(v any) ([]byte, error) {
	var e Encoder
	e.Any(v)
	return e.Bytes()
}

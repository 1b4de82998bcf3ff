package codec_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/nhost-auth-wasm/sdk/core/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdString encodes s with encoding/json, without HTML escaping, which is
// what JSON.stringify produces.
func stdString(t *testing.T, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestStringEscapingMatchesJSONStringify(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "<script>&amp;</script>",
		"tab\tnew\nline\rcr\bback\fform", "\x00\x01\x1f\x7f", "ünïcödé 名 🚀",
		"\u2028\u2029", "a/b",
	} {
		var e codec.Encoder
		e.String(s)
		got, err := e.Bytes()
		require.NoError(t, err)
		want := stdString(t, s)
		// encoding/json escapes U+2028/9; JSON.stringify does not.
		if s == "\u2028\u2029" {
			want = "\"\u2028\u2029\""
		}
		assert.Equal(t, want, string(got), "string %q", s)
	}
	var e codec.Encoder
	e.String("bad \xff byte")
	got, _ := e.Bytes()
	assert.Equal(t, "\"bad \ufffd byte\"", string(got))
}

func TestFloatFormattingMatchesJavaScript(t *testing.T) {
	// encoding/json formats floats as ECMAScript's Number#toString does.
	for _, f := range []float64{0, 1, -1, 1.5, 900, 1e20, 1e21, 1.5e21, 1e-6, 1e-7, 1.25e-9,
		123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2, 1 << 53} {
		want, err := json.Marshal(f)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(codec.AppendFloat(nil, f)), "float %v", f)
	}
	assert.Equal(t, "null", string(codec.AppendFloat(nil, math.NaN())))
	assert.Equal(t, "null", string(codec.AppendFloat(nil, math.Inf(1))))
}

func TestAnyRoundTripAgainstEncodingJSON(t *testing.T) {
	docs := []string{
		`{"a":1,"b":[true,false,null,"x",{"c":-2.5e-8}],"d":{},"e":[]}`,
		`"\u00e9\ud83d\ude80\n"`, `[1e21,0.000001,12345678901234567]`,
		`{"nested":{"deep":{"deeper":[[[]]]}}}`, `null`, `true`, `-0`,
	}
	for _, doc := range docs {
		var want any
		require.NoError(t, json.Unmarshal([]byte(doc), &want))
		got, err := codec.DecodeAny([]byte(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, want, got, doc)

		enc, err := codec.EncodeAny(got)
		require.NoError(t, err)
		var back any
		require.NoError(t, json.Unmarshal(enc, &back))
		assert.Equal(t, want, back, doc)
	}
}

func TestMapKeysAreSorted(t *testing.T) {
	b, err := codec.EncodeAny(map[string]any{"b": 1, "a": map[string]any{"z": 1, "y": 2}, "c": []string{"x"}})
	require.NoError(t, err)
	assert.Equal(t, `{"a":{"y":2,"z":1},"b":1,"c":["x"]}`, string(b))
}

func TestUnsupportedValueIsAnError(t *testing.T) {
	_, err := codec.EncodeAny(map[string]any{"f": func() {}})
	var ute *codec.UnsupportedTypeError
	assert.ErrorAs(t, err, &ute)
}

func TestInvalidJSONIsRejected(t *testing.T) {
	for _, doc := range []string{
		``, ` `, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `01`, `1.`, `.5`, `1e`,
		`"unterminated`, "\"ctl\x01\"", `"\x"`, `"\u12"`, `tru`, `nul`, `{"a":1}x`, `{a:1}`,
		`<html>502 Bad Gateway</html>`,
	} {
		assert.False(t, codec.Valid([]byte(doc)), "%q should be invalid", doc)
		assert.Equal(t, json.Valid([]byte(doc)), codec.Valid([]byte(doc)), "%q", doc)
		_, err := codec.DecodeAny([]byte(doc))
		assert.Error(t, err, "%q", doc)
	}
}

func TestDeepNestingIsBounded(t *testing.T) {
	doc := bytes.Repeat([]byte("["), 100000)
	_, err := codec.DecodeAny(doc)
	assert.Error(t, err)
}

type pair struct {
	name string
	n    int64
}

func (p *pair) DecodeJSON(d *codec.Decoder) {
	d.Object(func(k string) {
		switch k {
		case "name":
			p.name = d.String()
		case "n":
			p.n = d.Int()
		}
	})
}

func TestTypeErrorsNameTheField(t *testing.T) {
	var p pair
	err := codec.Unmarshal([]byte(`{"name":42}`), &p)
	var te *codec.TypeError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "name", te.Field)
	assert.Equal(t, "string", te.Want)
	assert.Equal(t, "number", te.Got)
	assert.Contains(t, err.Error(), `"name"`)

	err = codec.Unmarshal([]byte(`{"n":1.5}`), &p)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "integer", te.Want)

	// Unknown keys are skipped, nulls read as zero values.
	p = pair{}
	require.NoError(t, codec.Unmarshal([]byte(`{"x":{"y":[1,{"z":null}]},"name":null,"n":7}`), &p))
	assert.Equal(t, pair{n: 7}, p)

	assert.Error(t, codec.Unmarshal([]byte(`[]`), &p))
}

// FuzzDecodeAgreesWithEncodingJSON checks the decoder against encoding/json
// on arbitrary input: same validity, same values, and no panics.
func FuzzDecodeAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `"\ud800"`, `1e400`, `[]`, `{"a":"\u0000"}`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := codec.DecodeAny(data)
		if json.Valid(data) != (err == nil) {
			// encoding/json rejects numbers out of float64 range; JSON.parse
			// (and we) accept them as ±Infinity.
			var want any
			if jerr := json.Unmarshal(data, &want); jerr != nil && err == nil && bytes.ContainsAny(data, "eE") {
				return
			}
			t.Fatalf("validity differs for %q: codec err=%v", data, err)
		}
		if err != nil {
			return
		}
		var want any
		if json.Unmarshal(data, &want) != nil {
			return
		}
		if !assert.ObjectsAreEqual(want, got) {
			t.Fatalf("value differs for %q:\n want %#v\n  got %#v", data, want, got)
		}
	})
}

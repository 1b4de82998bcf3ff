package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// requestShape describes a request for the request log without any of
// its secrets: whether it carried a bearer token, its content type, and
// the names (never the values) of its body fields and query parameters.
// Tests check the client's wire form against it. peek false leaves the
// body alone (one too large to read).
func requestShape(r *http.Request, peek bool) []any {
	auth := "none"
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		auth = "bearer"
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var fields []string
	if peek {
		fields = bodyFields(r, ct)
	}
	return []any{"auth", auth, "content_type", orDash(ct), "fields", orDash(strings.Join(fields, ",")),
		"query", orDash(strings.Join(sortedNames(r.URL.Query()), ","))}
}

// orDash keeps the log line's fields unquoted when empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// maxPeek bounds how much of a body is read to name its fields.
const maxPeek = 1 << 20

// bodyFields names the top-level fields of a JSON or form body, leaving
// the body readable for the handler.
func bodyFields(r *http.Request, ct string) []string {
	if r.Body == nil || (ct != "application/json" && ct != "application/x-www-form-urlencoded") {
		return nil
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxPeek))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil {
		return nil
	}
	if ct == "application/x-www-form-urlencoded" {
		v, err := url.ParseQuery(string(head))
		if err != nil {
			return nil
		}
		return sortedNames(v)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(head, &obj) != nil {
		return nil
	}
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func sortedNames(v url.Values) []string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

type readCloser struct {
	io.Reader
	io.Closer
}

package core

import (
	"strings"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// FetchError is returned for any response with status >= 300, for a
// response whose body cannot be decoded, and for network failures (Status
// 0). It mirrors nhost-js's FetchError: Body, Status and Headers.
type FetchError struct {
	// Body is the decoded JSON body (map[string]any, string, ...), the raw
	// text when the body is not JSON (an HTML 502 page, say), or an empty
	// map when there is no body. For network errors it is the error text.
	Body    any
	Status  int
	Headers Header
	// Err is the underlying cause: the transport's error (context.Canceled
	// and the like) or the decoding error; nil for plain HTTP errors.
	Err error
	// Raw is the transport's own form of the response, if any (see
	// Response.Raw): in auth.wasm, where its headers stay.
	Raw any

	message string
}

// Error returns the message chosen by nhost-js's rule: a string body, then
// body.message, body.error (a string), body.error.message, the joined
// errors[].message, else a generic text.
func (e *FetchError) Error() string { return e.message }

// Unwrap returns the underlying cause, if any.
func (e *FetchError) Unwrap() error { return e.Err }

// Code returns the body's `error` field when it is a string ("" otherwise).
// Compare it with the Err* constants. Validation failures of the server
// carry a long text here instead of a code.
func (e *FetchError) Code() ErrorCode {
	if m, ok := e.Body.(map[string]any); ok {
		if s, ok := m["error"].(string); ok {
			return ErrorCode(s)
		}
	}
	return ""
}

// ErrorResponse returns the body as an ErrorResponse when it has the
// standard {error, message, status} shape.
func (e *FetchError) ErrorResponse() (ErrorResponse, bool) {
	m, ok := e.Body.(map[string]any)
	if !ok {
		return ErrorResponse{}, false
	}
	code, ok1 := m["error"].(string)
	msg, ok2 := m["message"].(string)
	status, ok3 := m["status"].(float64)
	if !ok1 || !ok2 || !ok3 {
		return ErrorResponse{}, false
	}
	return ErrorResponse{Error: ErrorCode(code), Message: msg, Status: int64(status)}, true
}

// NewFetchError builds a FetchError whose message follows nhost-js's rule.
func NewFetchError(body any, status int, headers Header) *FetchError {
	if headers == nil {
		headers = Header{}
	}
	return &FetchError{Body: body, Status: status, Headers: headers, message: ErrorMessage(body)}
}

// GenericErrorMessage is the message of an error whose body says nothing.
const GenericErrorMessage = "An unexpected error occurred"

// ErrorMessage extracts a human message from an error body (nhost-js's rule).
func ErrorMessage(body any) string {
	if s, ok := body.(string); ok && s != "" {
		return s
	}
	m, ok := body.(map[string]any)
	if !ok {
		return GenericErrorMessage
	}
	if s, ok := m["message"].(string); ok {
		return s
	}
	if s, ok := m["error"].(string); ok {
		return s
	}
	if inner, ok := m["error"].(map[string]any); ok {
		if s, ok := inner["message"].(string); ok {
			return s
		}
	}
	if list, ok := m["errors"].([]any); ok {
		var msgs []string
		for _, el := range list {
			if em, ok := el.(map[string]any); ok {
				if s, ok := em["message"].(string); ok {
					msgs = append(msgs, s)
				}
			}
		}
		if len(msgs) > 0 {
			return strings.Join(msgs, ", ")
		}
	}
	return GenericErrorMessage
}

// networkError wraps a transport failure: status 0, body = the error text.
func networkError(err error) *FetchError {
	fe := NewFetchError(err.Error(), 0, nil)
	fe.Err = err
	return fe
}

// decodeErrorBody parses the body of a failed response the way nhost-js
// does, but never fails: non-JSON text is kept as a string.
func decodeErrorBody(res *Response) any {
	if res.Status == 412 || len(res.Body) == 0 {
		return map[string]any{}
	}
	if v, err := codec.DecodeAny(res.Body); err == nil {
		return v
	}
	return string(res.Body)
}

// malformedBody reports a success response whose body does not decode.
func malformedBody(res *Response, err error) *FetchError {
	fe := NewFetchError(decodeErrorBody(res), res.Status, res.Header)
	fe.Raw = res.Raw
	fe.Err = err
	fe.message = "invalid response body (status " + itoa(res.Status) + "): " + err.Error()
	return fe
}

package emulator

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/nhost-auth-wasm/sdk/spec"
)

// validator checks every request against the OpenAPI document, as the real
// server does with the same library, including its security schemes.
type validator struct {
	doc  *openapi3.T
	auth func(r *http.Request, scheme string) (*tokenClaims, error)
}

// dateTimeFormat is the date-time check of the kin-openapi the real server
// runs: the offset is optional there ("2030-01-01T00:00:00" passes), newer
// releases require it.
const dateTimeFormat = `^[0-9]{4}-(0[1-9]|10|11|12)-(0[1-9]|[12][0-9]|3[01])T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|(\+|-)[0-9]{2}:[0-9]{2})?$`

var defineFormats sync.Once

func newValidator(auth func(*http.Request, string) (*tokenClaims, error)) (*validator, error) {
	defineFormats.Do(func() {
		openapi3.DefineStringFormatValidator("date-time", openapi3.NewRegexpFormatValidator(dateTimeFormat))
	})
	data, err := spec.Document()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, err
	}
	// The document's server URL has undeclared template variables; routing
	// here is by path alone, so drop it.
	doc.Servers = nil
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	return &validator{doc: doc, auth: auth}, nil
}

// authState carries what the security check learned into the handler.
type authState struct {
	claims *tokenClaims
}

type authKey struct{}

// caller returns the verified token's claims, or nil for an anonymous request.
func caller(r *http.Request) *tokenClaims {
	if st, ok := r.Context().Value(authKey{}).(*authState); ok {
		return st.claims
	}
	return nil
}

// validate checks r against the operation at template (a path of the
// document) and returns the request to pass on, carrying the caller, or
// writes the 400 itself and returns nil.
func (v *validator) validate(w http.ResponseWriter, r *http.Request, template string, params map[string]string) *http.Request {
	item := v.doc.Paths.Value(template)
	if item == nil {
		return r
	}
	op := item.GetOperation(r.Method)
	if op == nil {
		return r
	}
	st := &authState{}
	r = r.WithContext(context.WithValue(r.Context(), authKey{}, st))
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      &routers.Route{Spec: v.doc, Path: template, PathItem: item, Method: r.Method, Operation: op},
		Options: &openapi3filter.Options{
			// One-line messages, as the real server sends.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
			AuthenticationFunc: func(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
				claims, err := v.auth(in.RequestValidationInput.Request, in.SecuritySchemeName)
				if err != nil {
					return err
				}
				st.claims = claims
				return nil
			},
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
		if lb, ok := r.Body.(*limitedBody); ok && lb.exceeded {
			writeTooLarge(w)
			return nil
		}
		writeValidation(w, validationText(err))
		return nil
	}
	return r
}

// validationText renders an error the way the real server's middleware does.
func validationText(err error) string {
	var sec *openapi3filter.SecurityRequirementsError
	var req *openapi3filter.RequestError
	switch {
	case errors.As(err, &sec):
		return "error in openapi3filter.SecurityRequirementsError: " + sec.Error()
	case errors.As(err, &req):
		return "error in openapi3filter.RequestError: " + strings.ReplaceAll(req.Error(), " | ", ", ")
	default:
		return "error in openapi3filter: " + err.Error()
	}
}

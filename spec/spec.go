// Package spec embeds the Nhost Auth OpenAPI document, the wire contract
// that the client's types and the emulator's request validation follow.
// openapi.yaml is an unmodified copy of shared/nhost-auth/openapi.yaml;
// newer.yaml adds what the current server has beyond it.
package spec

import (
	_ "embed"
	"errors"
	"strings"

	"go.yaml.in/yaml/v3"
)

// OpenAPI is the OpenAPI 3.0 document of the Auth API (YAML), as copied.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Newer is what the current server adds to OpenAPI (YAML, same layout).
//
//go:embed newer.yaml
var Newer []byte

// Document returns OpenAPI with Newer merged in (YAML).
func Document() ([]byte, error) {
	var base, extra map[string]any
	if err := yaml.Unmarshal(OpenAPI, &base); err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(Newer, &extra); err != nil {
		return nil, err
	}
	if err := merge(base, extra, ""); err != nil {
		return nil, err
	}
	return yaml.Marshal(base)
}

// merge adds src into dst: maps recursively, lists appended; a scalar, or
// a key whose kinds differ, that dst already has is a conflict, because
// newer.yaml may only add to the copy, never change it.
func merge(dst, src map[string]any, at string) error {
	var errs []string
	for k, v := range src {
		path := at + "/" + k
		old, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		switch o := old.(type) {
		case map[string]any:
			if n, ok := v.(map[string]any); ok {
				if err := merge(o, n, path); err != nil {
					errs = append(errs, err.Error())
				}
				continue
			}
		case []any:
			if n, ok := v.([]any); ok {
				dst[k] = append(o, n...)
				continue
			}
		}
		errs = append(errs, "newer.yaml changes "+path)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

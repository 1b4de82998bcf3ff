// Package spec embeds the Nhost Auth OpenAPI document, the wire contract
// that the client's types and the emulator's request validation follow.
// It is an unmodified copy of shared/nhost-auth/openapi.yaml.
package spec

import _ "embed"

// OpenAPI is the OpenAPI 3.0 document of the Auth API (YAML).
//
//go:embed openapi.yaml
var OpenAPI []byte

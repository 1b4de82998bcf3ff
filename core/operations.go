package core

//go:generate go run ../tools/gensurface -root ..

// Security says what authentication an operation takes (methods.md §5).
type Security int

const (
	SecurityNone           Security = iota // no token
	SecurityBearer                         // a valid access token
	SecurityBearerElevated                 // an access token with the elevated claim (when the server enforces it)
	SecurityBearerOptional                 // a token is used if present
)

// BodyKind says whether an operation sends a JSON body.
type BodyKind int

const (
	BodyNone     BodyKind = iota // no body, no Content-Type
	BodyRequired                 // a JSON body
	BodyOptional                 // a JSON body when the caller gives one
)

// Operation describes one HTTP operation of the Auth API.
type Operation struct {
	Name     string // the seed's method name, e.g. "signInEmailPassword"
	Method   string
	Path     string // relative to the base URL; "{provider}" is replaced
	Body     BodyKind
	Security Security
	Effect   SessionEffect
	// Form lists the fields of an application/x-www-form-urlencoded body,
	// in the order they are written; nil for a JSON body.
	Form []string
	// Query: the operation's parameters go in the query string (a GET).
	Query bool
	// Redirect marks a URL builder: the browser navigates, no request is made.
	Redirect bool
	// Spread names the parameter whose properties become top-level query keys.
	Spread string
}

// OperationAt returns the operation of the member at index i of
// MethodNames, or nil (a client-side member, an index out of range).
func OperationAt(i int) *Operation {
	if i < 0 || i >= len(memberOps) {
		return nil
	}
	return memberOps[i]
}

// SessionEffect is what a successful answer does to the client's session.
type SessionEffect int

const (
	KeepsSession  SessionEffect = iota
	SetsSession                 // the body carries a session ({session} or a bare Session): store it
	ClearsSession               // forget the session, whatever the answer
)

// OperationByName returns the operation of a seed method, or nil.
func OperationByName(name string) *Operation {
	for _, o := range Operations {
		if o.Name == name {
			return o
		}
	}
	return nil
}

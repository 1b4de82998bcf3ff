package core

import (
	"strings"
	"unicode/utf8"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// SignInProviderURL returns the URL that starts an OAuth2 sign-in with
// provider; the browser navigates to it (no request is made here).
// The query is built exactly as nhost-js does, in field order: arrays
// joined with ",", metadata JSON-encoded, providerSpecificParams spread
// into top-level keys, every value encodeURIComponent-ed.
func (c *Client) SignInProviderURL(provider SignInProvider, params *SignInProviderParams) string {
	u := c.BaseURL + "/signin/provider/" + EncodeURIComponent(string(provider))
	if params == nil {
		return u
	}
	var q []string
	add := func(k, v string) { q = append(q, k+"="+EncodeURIComponent(v)) }
	if params.AllowedRoles != nil {
		add("allowedRoles", strings.Join(params.AllowedRoles, ","))
	}
	if params.Connect != "" {
		add("connect", params.Connect)
	}
	if params.DefaultRole != "" {
		add("defaultRole", params.DefaultRole)
	}
	if params.DisplayName != "" {
		add("displayName", params.DisplayName)
	}
	if params.Locale != "" {
		add("locale", params.Locale)
	}
	if params.Metadata != nil {
		b, err := codec.EncodeAny(params.Metadata)
		if err == nil {
			add("metadata", string(b))
		}
	}
	if p := params.ProviderSpecificParams; p != nil {
		if p.Connection != "" {
			add("connection", p.Connection)
		}
		if p.Organization != "" {
			add("organization", p.Organization)
		}
	}
	if params.RedirectTo != "" {
		add("redirectTo", params.RedirectTo)
	}
	if params.State != "" {
		add("state", params.State)
	}
	if len(q) == 0 {
		return u
	}
	return u + "?" + strings.Join(q, "&")
}

// VerifyTicketURL returns the /verify URL for an emailed ticket; the
// browser navigates to it (no request is made here).
func (c *Client) VerifyTicketURL(params *VerifyTicketParams) string {
	u := c.BaseURL + "/verify"
	if params == nil {
		return u
	}
	var q []string
	add := func(k, v string) { q = append(q, k+"="+EncodeURIComponent(v)) }
	if params.RedirectTo != "" {
		add("redirectTo", params.RedirectTo)
	}
	if params.Ticket != "" {
		add("ticket", params.Ticket)
	}
	if params.Type != "" {
		add("type", string(params.Type))
	}
	if len(q) == 0 {
		return u
	}
	return u + "?" + strings.Join(q, "&")
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

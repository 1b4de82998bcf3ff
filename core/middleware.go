package core

import (
	"context"
	"strings"
)

// AttachAccessToken returns a middleware that adds
// `Authorization: Bearer <token>` to requests bound for authURL's origin,
// when token returns a non-empty value and the request has no
// Authorization header of its own. Tokens never go to other origins.
func AttachAccessToken(authURL string, token func(ctx context.Context) string) ChainFunc {
	origin := Origin(authURL)
	return func(next FetchFunc) FetchFunc {
		return func(ctx context.Context, req *Request) (*Response, error) {
			if !req.Header.Has("Authorization") && origin != "" && sameOrigin(req.URL, authURL, origin) {
				if t := token(ctx); t != "" {
					req.Header.Set("Authorization", "Bearer "+t)
				}
			}
			return next(ctx, req)
		}
	}
}

// sameOrigin reports whether rawURL has the origin of base (whose origin
// is given): at once for a URL under base, the usual case, else by
// parsing it.
func sameOrigin(rawURL, base, origin string) bool {
	if strings.HasPrefix(rawURL, base) {
		if len(rawURL) == len(base) {
			return true
		}
		switch rawURL[len(base)] {
		case '/', '?', '#':
			return true
		}
	}
	return Origin(rawURL) == origin
}

// Origin returns scheme://host[:port] of rawURL in lower case, with default
// ports removed, or "" when rawURL is not an absolute http(s) URL.
// (Hand-written rather than net/url, which would link fmt into auth.wasm.)
func Origin(rawURL string) string {
	i := strings.Index(rawURL, "://")
	if i <= 0 {
		return ""
	}
	scheme := lowerASCII(rawURL[:i])
	if scheme != "http" && scheme != "https" {
		return ""
	}
	rest := rawURL[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.LastIndexByte(rest, '@'); j >= 0 {
		rest = rest[j+1:] // drop user info
	}
	host, port := rest, ""
	if j := strings.LastIndexByte(rest, ':'); j >= 0 && !strings.Contains(rest[j:], "]") {
		host, port = rest[:j], rest[j+1:]
	}
	if host == "" {
		return ""
	}
	host = lowerASCII(host)
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

package emulator

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Rate limits as the real server's (AUTH_RATE_LIMIT_*): per client IP,
// sliding windows, one per bucket; every request counts; over a limit the
// answer is 429 with no body. Off by default, as there.

// Limit is a bucket's setting: Burst requests per Interval.
type Limit struct {
	Burst    int
	Interval time.Duration
}

// RateLimits are the buckets' settings.
type RateLimits struct {
	Global, Email, SMS, BruteForce, Signups Limit
	EmailIsGlobal                           bool // AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL: one email budget for all clients
}

// window is one key's recent request times, oldest first.
type window []time.Time

type limiter struct {
	mu      sync.Mutex // guards buckets
	buckets map[string]window
	limits  RateLimits
	now     func() time.Time
}

func newLimiter(l RateLimits, now func() time.Time) *limiter {
	return &limiter{buckets: map[string]window{}, limits: l, now: now}
}

// bucketsOf names the buckets a request counts against.
func (s *Server) bucketsOf(path string) []string {
	b := []string{"global"}
	if strings.HasPrefix(path, "/signin") || strings.HasSuffix(path, "/verify") || strings.HasSuffix(path, "/otp") {
		b = append(b, "brute-force")
	}
	switch path {
	case "/signin/passwordless/email", "/signup/passwordless/email", "/signin/otp/email", "/signup/otp/email",
		"/user/email/change", "/user/password/reset":
		b = append(b, "email")
	case "/user/email/send-verification-email", "/signup/email-password", "/user/deanonymize":
		if s.cfg.VerifyEmail {
			b = append(b, "email")
		}
	case "/signin/passwordless/sms", "/signup/passwordless/sms":
		b = append(b, "sms")
	}
	if strings.HasPrefix(path, "/signup") {
		b = append(b, "signups")
	}
	return b
}

func (l *limiter) limit(bucket string) Limit {
	switch bucket {
	case "email":
		return l.limits.Email
	case "sms":
		return l.limits.SMS
	case "brute-force":
		return l.limits.BruteForce
	case "signups":
		return l.limits.Signups
	}
	return l.limits.Global
}

// allow reports whether every bucket of a request still has room for
// client, and then counts the request in each; a refused request counts
// in none.
func (l *limiter) allow(client string, buckets []string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	type slot struct {
		key string
		w   window
	}
	slots := make([]slot, 0, len(buckets))
	for _, b := range buckets {
		lim := l.limit(b)
		if lim.Burst <= 0 || lim.Interval <= 0 {
			continue
		}
		key := b + "\x00" + client
		if b == "email" && l.limits.EmailIsGlobal {
			key = b
		}
		w := l.buckets[key]
		for len(w) > 0 && now.Sub(w[0]) >= lim.Interval {
			w = w[1:]
		}
		if len(w) == 0 {
			delete(l.buckets, key) // an idle client leaves nothing behind
		} else {
			l.buckets[key] = w
		}
		if len(w) >= lim.Burst {
			return false
		}
		slots = append(slots, slot{key, w})
	}
	for _, sl := range slots {
		l.buckets[sl.key] = append(sl.w, now)
	}
	return true
}

// clientIP is the address a request came from (no proxy headers: the
// emulator is never behind one it could trust).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// writeTooMany is the real server's 429: no body, no Content-Type.
func writeTooMany(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusTooManyRequests)
}

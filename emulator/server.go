// Package emulator is a local Nhost Auth server, wire-compatible with the
// real one (hasura-auth): the same paths, bodies, statuses, redirects,
// tokens and validation, backed by an embedded SQLite database. It exists
// so that development, the demo and every end-to-end test run with no
// cloud, no PostgreSQL, no Hasura and no Docker.
package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Server is the emulator's HTTP handler.
type Server struct {
	cfg      Config
	store    *Store
	keys     *keys
	val      *validator
	mail     Mailer
	box      *mailbox
	tmpl     templates
	prov     *providers
	webauthn *ceremonies
	limits   *limiter // nil when rate limits are off
	clock    func() time.Time
	// dummyHash keeps sign-in for unknown emails as slow as for known
	// ones: a hash at the configured cost, compared when there is none.
	dummyHash []byte
	log       *slog.Logger
	routes    []route
}

// handlerFunc is one operation's controller. It writes its answer on
// success; on failure it returns the error and reply writes it.
type handlerFunc func(w http.ResponseWriter, r *http.Request, params map[string]string) error

type route struct {
	method   string
	template string   // the OpenAPI path, e.g. /signin/provider/{provider}
	parts    []string // template split on "/"
	h        handlerFunc
}

// Option adjusts a Server.
type Option func(*Server)

// WithLogger sets the logger (default: text to stderr).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithClock sets what "now" is for every expiry, token time and rate
// limit (default time.Now), so that tests move time instead of waiting.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

func (s *Server) now() time.Time { return s.clock() }

// WithMailer sets where emails go (default: they are logged).
func WithMailer(m Mailer) Option { return func(s *Server) { s.mail = m } }

// New checks cfg (Validate), opens the database named by cfg.DB and
// returns a server.
func New(cfg Config, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	store, err := OpenStore(cfg.DB)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: store, clock: time.Now}
	for _, o := range opts {
		o(s)
	}
	store.clock = s.clock
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.mail == nil {
		if cfg.SMTPHost != "" {
			s.mail = smtpMailer{cfg: cfg, log: s.log}
		} else {
			s.mail = logMailer{s.log}
		}
	}
	s.box = &mailbox{size: cfg.MailboxSize}
	s.tmpl = templates{dir: cfg.TemplatesPath, defaultLocale: cfg.DefaultLocale}
	s.prov = newProviders()
	s.webauthn = &ceremonies{now: s.clock, pending: map[string]*ceremony{}}
	if cfg.RateLimitOn {
		s.limits = newLimiter(cfg.RateLimits, s.clock)
	}
	if s.dummyHash, err = bcrypt.GenerateFromPassword([]byte("not a password"), cfg.BcryptCost); err != nil {
		store.Close()
		return nil, err
	}
	if s.keys, err = loadKeys(context.Background(), store); err != nil {
		store.Close()
		return nil, err
	}
	if s.val, err = newValidator(s.authenticate); err != nil {
		store.Close()
		return nil, err
	}
	s.routes = s.buildRoutes()
	for _, c := range cfg.OAuth2Clients {
		oc := &OAuth2Client{ID: c.ID, Name: c.ID, RedirectURIs: c.RedirectURIs,
			Scopes: []string{"openid", "profile", "email", "phone", "offline_access"}}
		if c.Secret != "" {
			hash, err := bcrypt.GenerateFromPassword([]byte(c.Secret), cfg.BcryptCost)
			if err != nil {
				store.Close()
				return nil, err
			}
			oc.SecretHash = string(hash)
		}
		if err := store.SeedOAuth2Client(context.Background(), oc); err != nil {
			store.Close()
			return nil, err
		}
	}
	return s, nil
}

// Store gives tests and tools access to the database.
func (s *Server) Store() *Store { return s.store }

// Config returns the server's configuration.
func (s *Server) Config() Config { return s.cfg }

// Close closes the database.
func (s *Server) Close() error { return s.store.Close() }

func (s *Server) handle(method, template string, h handlerFunc) route {
	return route{method: method, template: template, parts: strings.Split(template, "/"), h: h}
}

// match finds the route of a request path (without the /v1 prefix).
func (s *Server) match(method, path string) (*route, map[string]string) {
	parts := strings.Split(path, "/")
next:
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.method != method || len(rt.parts) != len(parts) {
			continue
		}
		var params map[string]string
		for j, p := range rt.parts {
			if strings.HasPrefix(p, "{") {
				if parts[j] == "" {
					continue next
				}
				if params == nil {
					params = map[string]string{}
				}
				params[strings.Trim(p, "{}")] = parts[j]
				continue
			}
			if p != parts[j] {
				continue next
			}
		}
		return rt, params
	}
	return nil, nil
}

// ServeHTTP serves the API at / (as the self-hosted server) and under /v1
// (as hosted Nhost).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	w = sw
	// One line per request: method, path, status and the request's shape
	// (see requestShape). Query values (tickets) and body values
	// (passwords, tokens) are never logged.
	method, rawPath := r.Method, r.URL.Path
	if len(rawPath) > maxLoggedPath {
		rawPath = rawPath[:maxLoggedPath] + "…"
	}
	tooLarge := r.ContentLength > maxBody
	shape := requestShape(r, !tooLarge)
	defer func() {
		s.log.Info("request", append([]any{"method", method, "path", rawPath, "status", sw.status}, shape...)...)
	}()
	if s.cors(w, r) {
		return
	}
	if tooLarge {
		writeTooLarge(w)
		return
	}
	path := r.URL.Path
	if path == "/v1" || strings.HasPrefix(path, "/v1/") {
		path = strings.TrimPrefix(path, "/v1")
	}
	if s.limits != nil && !s.limits.allow(clientIP(r), s.bucketsOf(path)) {
		writeTooMany(w)
		return
	}
	rt, params := s.match(r.Method, path)
	if rt == nil {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "404 page not found")
		return
	}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("handler panic", "path", path, "panic", v)
			s.reply(w, path, errInternal)
		}
	}()
	if rt.template == "/verify" && !verifyParamsPresent(w, r) {
		return
	}
	// A body larger than any request of the API is refused before it is
	// read: said by its length (above), or found while reading.
	body := &limitedBody{r: http.MaxBytesReader(w, r.Body, maxBody)}
	r.Body = body
	if r = s.val.validate(w, r, rt.template, params); r == nil {
		return
	}
	if body.exceeded {
		writeTooLarge(w)
		return
	}
	if err := s.metadataFits(r); err != nil {
		s.reply(w, path, err)
		return
	}
	if err := rt.h(w, r, params); err != nil {
		s.reply(w, path, err)
	}
}

// metadataFits refuses a JSON body whose metadata (at the top, as in
// /signin/anonymous and /pat, or in options) is over the configured size:
// the real server stores any size, and sends it back in every session.
func (s *Server) metadataFits(r *http.Request) error {
	if r.Body == nil || r.Method != http.MethodPost || !strings.Contains(r.Header.Get("Content-Type"), "json") {
		return nil
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return errInvalidRequest
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if len(raw) <= s.cfg.MetadataMax {
		return nil
	}
	var top struct {
		Metadata json.RawMessage `json:"metadata"`
		Options  struct {
			Metadata json.RawMessage `json:"metadata"`
		} `json:"options"`
	}
	if json.Unmarshal(raw, &top) != nil {
		return nil // the validator has passed it; the handler answers
	}
	if len(top.Metadata) > s.cfg.MetadataMax || len(top.Options.Metadata) > s.cfg.MetadataMax {
		return errMetadataTooLarge
	}
	return nil
}

// maxLoggedPath bounds the path written to the log: a client may send
// a path of megabytes, and one log line must stay one readable line.
const maxLoggedPath = 256

// maxBody bounds request bodies: the largest the API takes (a WebAuthn
// credential with its attestation) is a few KB.
const maxBody = 1 << 20

// limitedBody notes that a body went over maxBody.
type limitedBody struct {
	r        io.ReadCloser
	exceeded bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		b.exceeded = true
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.r.Close() }

// writeTooLarge answers 413 with no body, and closes the connection so
// that the rest of the body is never read.
func writeTooLarge(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
}

// cors answers as the real server does: any Origin is echoed with
// credentials allowed; preflights get 204 whatever the path. It reports
// whether the request was a preflight and has been answered. The
// emulator's own pages (/emulator/…: the mailbox, SMS) hold sign-in links
// and codes: only the app's origins (the client URL, the allowed redirect
// URLs) may read them from a page, not any site the developer visits.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	h := w.Header()
	preflight := r.Method == http.MethodOptions
	if origin == "" && !preflight {
		return false
	}
	if p := strings.TrimPrefix(r.URL.Path, "/v1"); strings.HasPrefix(p, "/emulator/") && !s.redirectAllowed(origin+"/") {
		if preflight {
			w.WriteHeader(http.StatusNoContent)
		}
		return preflight
	}
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Allow-Methods", "POST, GET")
	if strings.HasPrefix(strings.TrimPrefix(r.URL.Path, "/v1"), "/emulator/mail") {
		h.Set("Access-Control-Allow-Methods", "GET, DELETE")
	}
	if origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Vary", "Origin, Access-Control-Request-Method")
	if !preflight {
		return false
	}
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// Serve listens on cfg.Host:cfg.Port and serves until ctx ends. ready, if
// not nil, is called with the base URL once the listener is open.
func (s *Server) Serve(ctx context.Context, ready func(baseURL string)) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(s.cfg.Host, itoa(s.cfg.Port)))
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, ln, ready)
}

// ServeListener serves on ln (which it closes) until ctx ends, as Serve.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener, ready func(baseURL string)) error {
	base := "http://" + ln.Addr().String()
	if s.cfg.ServerURL == "" {
		s.cfg.ServerURL = base
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if ready != nil {
		ready(base)
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// statusWriter remembers the status a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Command web is the demo: it runs the emulator (the --dev profile: every
// sign-in method, passkeys, the mailbox) and serves a page that uses the
// browser SDK, on loopback ports, as an app and its Auth server would be;
// a second emulator, an OpenID provider with its own login page, stands in
// for GitHub and Google. Run it with `make demo`; Ctrl-C stops everything.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nhost-auth-wasm/sdk/emulator"
)

func main() {
	pagePort := flag.Int("port", 3000, "port of the demo page (another one if taken)")
	authPort := flag.Int("auth-port", 4000, "port of the emulator (another one if taken)")
	idpPort := flag.Int("idp-port", 4100, "port of the GitHub and Google stand-in (another one if taken)")
	db := flag.String("db", ".cache/demo.db", "emulator database")
	js := flag.String("js", "", "directory with the SDK's modules and auth.wasm (default: the repository's js/)")
	quiet := flag.Bool("quiet", false, "log only warnings and errors")
	flag.Parse()
	if err := run(*pagePort, *authPort, *idpPort, *db, *js, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// The stand-in's account, for "Continue with GitHub" and "with Google".
const idpUser, idpPassword = "octocat@example.com", "Passw0rd!"

func run(pagePort, authPort, idpPort int, db, js string, quiet bool) error {
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Dir(here)
	jsDir := filepath.Join(dir, "..", "..", "js")
	if js != "" {
		jsDir = js
	}
	if _, err := os.Stat(filepath.Join(jsDir, "auth.wasm")); err != nil {
		return errors.New("js/auth.wasm is missing: run `make build` (make demo does)")
	}
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return err
	}
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Every port first: each server's URL goes into the others' settings.
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	listen := func(what string, port int) (net.Listener, string, error) {
		ln, err := listenPreferring(port)
		if err != nil {
			return nil, "", err
		}
		lns = append(lns, ln)
		got := ln.Addr().(*net.TCPAddr).Port
		if got != port {
			fmt.Printf("port %d is taken: the %s uses %d\n", port, what, got)
		}
		return ln, strconv.Itoa(got), nil
	}
	pageLn, pageP, err := listen("page", pagePort)
	if err != nil {
		return err
	}
	authLn, authP, err := listen("Auth server", authPort)
	if err != nil {
		return err
	}
	idpLn, idpP, err := listen("identity provider", idpPort)
	if err != nil {
		return err
	}
	pageURL := "http://localhost:" + pageP
	authURL := "http://127.0.0.1:" + authP
	idpURL := "http://127.0.0.1:" + idpP

	// The stand-in: Nhost as an OAuth2 provider with its login page, one
	// client for each provider the demo offers.
	idpCfg := emulator.Defaults()
	idpCfg.ClientURL = idpURL
	idpCfg.VerifyEmail = false
	idpCfg.OAuth2On, idpCfg.OAuth2LoginURL = true, "builtin"
	idpCfg.DB = strings.TrimSuffix(db, ".db") + "-idp.db"
	auth := emulator.Defaults()
	auth.ClientURL = pageURL
	auth.ApplyDev()
	auth.DB = db
	for _, p := range []string{"github", "google"} {
		secret := "demo-" + p + "-secret"
		idpCfg.OAuth2Clients = append(idpCfg.OAuth2Clients, emulator.SeedClient{ID: "demo-" + p, Secret: secret,
			RedirectURIs: []string{authURL + "/signin/provider/" + p + "/callback"}})
		auth.Providers[p] = &emulator.ProviderConfig{Enabled: true, ClientID: "demo-" + p, ClientSecret: secret, Issuer: idpURL}
	}
	idp, err := emulator.New(idpCfg, emulator.WithLogger(logger.With("server", "identity-provider")))
	if err != nil {
		return err
	}
	defer idp.Close()
	srv, err := emulator.New(auth, emulator.WithLogger(logger.With("server", "auth")))
	if err != nil {
		return err
	}
	defer srv.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	serve := func(name string, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
				stop()
			}
		}()
	}
	lns = nil // the servers close them now
	idpUp, authUp := make(chan struct{}), make(chan struct{})
	serve("identity provider", func() error { return idp.ServeListener(ctx, idpLn, func(string) { close(idpUp) }) })
	serve("Auth server", func() error { return srv.ServeListener(ctx, authLn, func(string) { close(authUp) }) })
	page := &http.Server{Handler: pageHandler(dir, jsDir, authURL, idpURL), ReadHeaderTimeout: 10 * time.Second}
	serve("page", func() error {
		go func() { <-ctx.Done(); page.Close() }()
		if err := page.Serve(pageLn); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	<-idpUp
	<-authUp
	if err := seedUser(idpURL, idpUser, idpPassword); err != nil {
		stop()
		wg.Wait()
		return err
	}
	fmt.Printf(`
  Demo page        %s/
  Auth server      %s  (the emulator, --dev: for development and tests, never production)
  Mailbox          %s/emulator/mail  (every email and SMS the demo sends)
  GitHub, Google   %s  (a stand-in: sign in there as %s / %s)

Ctrl-C stops everything.
`, pageURL, authURL, authURL, idpURL, idpUser, idpPassword)
	<-ctx.Done()
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		fmt.Println("stopped")
		return nil
	}
}

// listenPreferring listens on 127.0.0.1:port, or on a free port when that
// one is taken.
func listenPreferring(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err == nil {
		return ln, nil
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		return nil, err
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// pageHandler serves the page, the SDK under /js/, and /config.js: where
// the page's servers are.
func pageHandler(dir, jsDir, authURL, idpURL string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(jsDir))))
	mux.HandleFunc("/config.js", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "export const authUrl = %s;\nexport const idpUrl = %s;\nexport const idpUser = %s;\nexport const idpPassword = %s;\n",
			strconv.Quote(authURL), strconv.Quote(idpURL), strconv.Quote(idpUser), strconv.Quote(idpPassword))
	})
	mux.Handle("/", http.FileServer(http.Dir(filepath.Join(dir, "static"))))
	return mux
}

// seedUser signs a user up at an emulator, unless the address has one.
func seedUser(base, email, password string) error {
	body := `{"email":` + strconv.Quote(email) + `,"password":` + strconv.Quote(password) + `,"options":{"displayName":"The Octocat"}}`
	res, err := http.Post(base+"/signup/email-password", "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusConflict {
		return fmt.Errorf("seeding %s at %s: %s", email, base, res.Status)
	}
	return nil
}

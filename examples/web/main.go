// Command web is the demo: it runs the emulator (--dev profile) and serves
// a page that uses the browser SDK, on two loopback ports, as an app and
// its Auth server would be; a second emulator, as an OpenID provider,
// stands in for GitHub. Run it with `make demo`.
package main

import (
	"context"
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
	"syscall"
	"time"

	"github.com/nhost-auth-wasm/sdk/emulator"
)

func main() {
	pagePort := flag.Int("port", 3000, "port of the demo page")
	authPort := flag.Int("auth-port", 4000, "port of the emulator")
	idpPort := flag.Int("idp-port", 0, "port of the GitHub stand-in (default: auth-port + 100)")
	db := flag.String("db", ".cache/demo.db", "emulator database")
	js := flag.String("js", "", "directory with the SDK's modules and auth.wasm (default: the repository's js/)")
	flag.Parse()

	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Dir(here)
	jsDir := filepath.Join(dir, "..", "..", "js")
	if *js != "" {
		jsDir = *js
	}
	if _, err := os.Stat(filepath.Join(jsDir, "auth.wasm")); err != nil {
		fail(fmt.Errorf("js/auth.wasm is missing: run `make build` (make demo does)"))
	}

	if *idpPort == 0 {
		*idpPort = *authPort + 100
	}
	pageURL := fmt.Sprintf("http://localhost:%d", *pagePort)
	authURL := fmt.Sprintf("http://127.0.0.1:%d", *authPort)
	idpURL := fmt.Sprintf("http://127.0.0.1:%d", *idpPort)
	if err := os.MkdirAll(filepath.Dir(*db), 0o755); err != nil {
		fail(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	// The GitHub stand-in: Nhost as an OAuth2 provider, with its login
	// page and one client, the demo's Auth server.
	idpCfg := emulator.Defaults()
	idpCfg.Port = *idpPort
	idpCfg.ClientURL = idpURL
	idpCfg.VerifyEmail = false
	idpCfg.OAuth2On, idpCfg.OAuth2LoginURL = true, "builtin"
	idpCfg.OAuth2Clients = []emulator.SeedClient{{ID: "demo", Secret: "demo-secret",
		RedirectURIs: []string{authURL + "/signin/provider/github/callback"}}}
	idpCfg.DB = strings.TrimSuffix(*db, ".db") + "-github.db"
	idp, err := emulator.New(idpCfg, emulator.WithLogger(logger.With("server", "github-stand-in")))
	if err != nil {
		fail(err)
	}
	defer idp.Close()

	cfg := emulator.Defaults()
	cfg.Port = *authPort
	cfg.ClientURL = pageURL
	cfg.ApplyDev()
	cfg.DB = *db
	cfg.Providers["github"] = &emulator.ProviderConfig{Enabled: true, ClientID: "demo", ClientSecret: "demo-secret", Issuer: idpURL}
	auth, err := emulator.New(cfg, emulator.WithLogger(logger))
	if err != nil {
		fail(err)
	}
	defer auth.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	idpReady := make(chan struct{})
	go func() {
		err := idp.Serve(ctx, func(string) { close(idpReady) })
		if err != nil {
			fail(err)
		}
	}()
	<-idpReady
	if err := seedUser(idpURL, githubUser, githubPassword); err != nil {
		fail(err)
	}

	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(jsDir))))
	mux.Handle("/", http.FileServer(http.Dir(filepath.Join(dir, "static"))))
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *pagePort))
	if err != nil {
		fail(err)
	}
	page := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go page.Serve(ln)
	go func() { <-ctx.Done(); page.Close() }()

	err = auth.Serve(ctx, func(base string) {
		fmt.Printf("Auth server (emulator): %s\nDemo page:              %s/?auth=%s\n", base, pageURL, base)
		fmt.Printf("GitHub stand-in:        %s (sign in there as %s / %s)\n", idpURL, githubUser, githubPassword)
	})
	if err != nil {
		fail(err)
	}
}

// The stand-in's account, for "Sign in with GitHub".
const githubUser, githubPassword = "octocat@example.com", "Passw0rd!"

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

func fail(err error) {
	fmt.Fprintln(os.Stderr, "demo:", err)
	os.Exit(1)
}

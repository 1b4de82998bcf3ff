// Command web is the demo: it runs the emulator (--dev profile) and serves
// a page that uses the browser SDK, on two loopback ports, as an app and
// its Auth server would be. Run it with `make demo`.
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
	"syscall"
	"time"

	"github.com/nhost-auth-wasm/sdk/emulator"
)

func main() {
	pagePort := flag.Int("port", 3000, "port of the demo page")
	authPort := flag.Int("auth-port", 4000, "port of the emulator")
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

	pageURL := fmt.Sprintf("http://localhost:%d", *pagePort)
	cfg := emulator.Defaults()
	cfg.Port = *authPort
	cfg.ClientURL = pageURL
	cfg.ApplyDev()
	if err := os.MkdirAll(filepath.Dir(*db), 0o755); err != nil {
		fail(err)
	}
	cfg.DB = *db
	auth, err := emulator.New(cfg, emulator.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	if err != nil {
		fail(err)
	}
	defer auth.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

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
	})
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "demo:", err)
	os.Exit(1)
}

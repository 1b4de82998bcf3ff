// Command nhost-auth-emulator runs a local, wire-compatible Nhost Auth
// server. Run with -h for its flags and environment variables.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/nhost-auth-wasm/sdk/emulator"
)

func main() {
	cfg, err := emulator.Load(os.Args[1:], emulator.Environ)
	if err != nil {
		if err.Error() == "flag: help requested" {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "nhost-auth-emulator:", err)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := emulator.New(cfg, emulator.WithLogger(log))
	if err != nil {
		fmt.Fprintln(os.Stderr, "nhost-auth-emulator:", err)
		os.Exit(1)
	}
	defer srv.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = srv.Serve(ctx, func(base string) {
		// Tests and scripts read this line to find the server.
		fmt.Printf("nhost-auth-emulator listening on %s (JWKS %s/.well-known/jwks.json; also under %s/v1)\n", base, base, base)
		fmt.Println("for development and tests only, never production; mailbox (every email and SMS sent): " + base + "/emulator/mail")
		if cfg.Dev {
			fmt.Println("dev profile: anonymous users on, email verification off, loopback redirects allowed, OAuth2 provider on (login page " + base + "/emulator/oauth2/login)")
		}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "nhost-auth-emulator:", err)
		os.Exit(1)
	}
}

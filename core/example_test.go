package core_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

// A stand-in Auth server for the example; point the client at your
// project's URL (https://<subdomain>.auth.<region>.nhost.run/v1) or at the
// emulator instead.
func exampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/version":
			fmt.Fprint(w, `{"version":"0.38.1"}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid-email-password","message":"Incorrect email or password","status":401}`)
		}
	}))
}

// Native Go use of the client: net/http transport, typed requests and
// results, FetchError for failures.
func Example() {
	srv := exampleServer()
	defer srv.Close()

	auth := nethttp.NewClient(srv.URL + "/v1")
	ctx := context.Background()

	v, err := auth.GetVersion(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("server version:", v.Body.Version, v.Status)

	_, err = auth.SignInEmailPassword(ctx, core.SignInEmailPasswordRequest{
		Email: "jane@example.com", Password: "wrong-password",
	})
	var fe *core.FetchError
	if errors.As(err, &fe) {
		fmt.Println(fe.Status, fe.Code(), "-", fe.Error())
	}

	fmt.Println(auth.SignInProviderURL(core.ProviderGitHub, &core.SignInProviderParams{RedirectTo: "https://app.example/cb"})[len(srv.URL):])
	// Output:
	// server version: 0.38.1 200
	// 401 invalid-email-password - Incorrect email or password
	// /v1/signin/provider/github?redirectTo=https%3A%2F%2Fapp.example%2Fcb
}

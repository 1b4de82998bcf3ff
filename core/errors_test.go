package core_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/codec"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fetchErr(t *testing.T, err error) *core.FetchError {
	t.Helper()
	require.Error(t, err)
	var fe *core.FetchError
	require.ErrorAs(t, err, &fe)
	return fe
}

func TestErrorResponses(t *testing.T) {
	rec := newRecorder(t)
	c := nethttp.NewClient(rec.srv.URL)
	ctx := context.Background()
	login := core.SignInEmailPasswordRequest{Email: "a@example.com", Password: "wrong"}

	t.Run("standard error body", func(t *testing.T) {
		rec.answer(401, `{"error":"invalid-email-password","message":"Incorrect email or password","status":401}`+"\n", nil)
		_, err := c.SignInEmailPassword(ctx, login)
		fe := fetchErr(t, err)
		assert.Equal(t, 401, fe.Status)
		assert.Equal(t, "Incorrect email or password", fe.Error())
		assert.Equal(t, core.ErrInvalidEmailPassword, fe.Code())
		er, ok := fe.ErrorResponse()
		require.True(t, ok)
		assert.Equal(t, core.ErrorResponse{Error: core.ErrInvalidEmailPassword, Message: "Incorrect email or password", Status: 401}, er)
		assert.Equal(t, "application/json", fe.Headers.Get("Content-Type"))
	})

	t.Run("validation error: error string only, no message or status", func(t *testing.T) {
		const body = `{"error":"error in openapi3filter.SecurityRequirementsError: security requirements failed: invalid authorization header"}`
		rec.answer(400, body, map[string]string{"Content-Type": "application/json; charset=utf-8"})
		_, err := c.GetUser(ctx)
		fe := fetchErr(t, err)
		assert.Equal(t, 400, fe.Status)
		assert.Equal(t, "error in openapi3filter.SecurityRequirementsError: security requirements failed: invalid authorization header", fe.Error())
		_, ok := fe.ErrorResponse()
		assert.False(t, ok)
		assert.NotContains(t, core.ErrorCodes, fe.Code())
	})

	t.Run("msg key for a missing query parameter", func(t *testing.T) {
		rec.answer(400, `{"msg":"Query argument redirectTo is required, but not found"}`, nil)
		_, err := c.HealthCheckGet(ctx)
		fe := fetchErr(t, err)
		assert.Equal(t, map[string]any{"msg": "Query argument redirectTo is required, but not found"}, fe.Body)
		assert.Equal(t, core.GenericErrorMessage, fe.Error())
	})

	t.Run("empty body", func(t *testing.T) {
		rec.answer(400, ``, nil) // what the server sends for an invalid email
		_, err := c.SignInEmailPassword(ctx, login)
		fe := fetchErr(t, err)
		assert.Equal(t, 400, fe.Status)
		assert.Equal(t, map[string]any{}, fe.Body)
		assert.Equal(t, core.GenericErrorMessage, fe.Error())
	})

	t.Run("HTML 502 from a proxy", func(t *testing.T) {
		rec.answer(502, `<html><body>502 Bad Gateway</body></html>`, map[string]string{"Content-Type": "text/html"})
		_, err := c.GetUser(ctx)
		fe := fetchErr(t, err)
		assert.Equal(t, 502, fe.Status)
		assert.Equal(t, "<html><body>502 Bad Gateway</body></html>", fe.Body)
		assert.Equal(t, "<html><body>502 Bad Gateway</body></html>", fe.Error())
		assert.Equal(t, "text/html", fe.Headers.Get("content-type"))
	})

	t.Run("plain-text 404", func(t *testing.T) {
		rec.answer(404, "404 page not found\n", map[string]string{"Content-Type": "text/plain"})
		_, err := c.GetProviderTokens(ctx, core.ProviderGitHub)
		fe := fetchErr(t, err)
		assert.Equal(t, "404 page not found\n", fe.Body)
	})

	t.Run("412 body is not read", func(t *testing.T) {
		rec.answer(412, `{"message":"ignored"}`, nil)
		_, err := c.GetUser(ctx)
		fe := fetchErr(t, err)
		assert.Equal(t, map[string]any{}, fe.Body)
	})

	t.Run("errors array and nested error object", func(t *testing.T) {
		rec.answer(500, `{"errors":[{"message":"first"},{"nope":1},{"message":"second"}]}`, nil)
		_, err := c.GetUser(ctx)
		assert.Equal(t, "first, second", fetchErr(t, err).Error())
		rec.answer(500, `{"error":{"message":"nested"}}`, nil)
		_, err = c.GetUser(ctx)
		assert.Equal(t, "nested", fetchErr(t, err).Error())
	})

	t.Run("redirect is an error with its Location", func(t *testing.T) {
		rec.answer(302, ``, map[string]string{"Location": "http://localhost:3000/?error=invalid-ticket"})
		_, err := c.GetUser(ctx)
		fe := fetchErr(t, err)
		assert.Equal(t, 302, fe.Status)
		assert.Equal(t, "http://localhost:3000/?error=invalid-ticket", fe.Headers.Get("Location"))
	})

	t.Run("204 gives an empty body", func(t *testing.T) {
		rec.answer(204, ``, nil)
		res, err := c.GetUser(ctx)
		require.NoError(t, err)
		assert.Equal(t, 204, res.Status)
		assert.Equal(t, core.User{}, res.Body)
	})

	t.Run("malformed success body", func(t *testing.T) {
		rec.answer(200, `{"session":{"accessToken":`, nil)
		_, err := c.SignInEmailPassword(ctx, login)
		fe := fetchErr(t, err)
		assert.Equal(t, 200, fe.Status)
		var se *codec.SyntaxError
		assert.ErrorAs(t, err, &se)
		assert.Contains(t, fe.Error(), "invalid response body")

		rec.answer(200, `{"session":{"accessTokenExpiresIn":"soon"}}`, nil)
		_, err = c.SignInEmailPassword(ctx, login)
		var te *codec.TypeError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "accessTokenExpiresIn", te.Field)

		rec.answer(200, `<html>ok</html>`, nil)
		_, err = c.HealthCheckGet(ctx)
		assert.Equal(t, "<html>ok</html>", fetchErr(t, err).Body)
	})
}

func TestNetworkErrorsHaveStatusZero(t *testing.T) {
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	c := nethttp.NewClient("http://" + addr)
	_, err = c.GetVersion(context.Background())
	fe := fetchErr(t, err)
	assert.Equal(t, 0, fe.Status)
	assert.NotEmpty(t, fe.Error())
	assert.NotNil(t, fe.Unwrap())
	assert.Equal(t, fe.Error(), fe.Body)

	// Cancellation is a network error too, and errors.Is sees it.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = nethttp.NewClient(slow.URL).GetVersion(ctx)
	fe = fetchErr(t, err)
	assert.Equal(t, 0, fe.Status)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))

	// A client without a transport fails cleanly.
	_, err = core.NewClient("http://127.0.0.1:1", nil).GetVersion(context.Background())
	assert.Equal(t, 0, fetchErr(t, err).Status)
}

func TestUnencodableBodyIsAClearError(t *testing.T) {
	rec := newRecorder(t)
	c := nethttp.NewClient(rec.srv.URL)
	rec.answer(200, `"OK"`, nil)
	rec.last = nil
	_, err := c.SignInAnonymous(context.Background(), &core.SignInAnonymousRequest{Metadata: map[string]any{"ch": make(chan int)}})
	fe := fetchErr(t, err)
	assert.Contains(t, fe.Error(), "invalid request body")
	assert.Nil(t, rec.last, "nothing was sent")
}

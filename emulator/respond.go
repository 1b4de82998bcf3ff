package emulator

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/nhost-auth-wasm/sdk/core"
)

// apiError is one of the seed's error codes with the real server's status
// and message (probe.md's table).
type apiError struct {
	Code    string `json:"error"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func (e *apiError) Error() string { return e.Code }

func newErr(code string, status int, msg string) *apiError {
	return &apiError{Code: code, Message: msg, Status: status}
}

var (
	errInvalidRequest        = newErr("invalid-request", 400, "The request payload is incorrect")
	errDefaultRoleNotAllowed = newErr("default-role-must-be-in-allowed-roles", 400, "Default role must be in allowed roles")
	errRoleNotAllowed        = newErr("role-not-allowed", 400, "Role not allowed")
	errRedirectToNotAllowed  = newErr("redirectTo-not-allowed", 400, `The value of "options.redirectTo" is not allowed.`)
	errEmailInUse            = newErr("email-already-in-use", 409, "Email already in use")
	errEmailAlreadyVerified  = newErr("email-already-verified", 400, "User's email is already verified")
	errDisabledEndpoint      = newErr("disabled-endpoint", 409, "This endpoint is disabled")
	errDisabledUser          = newErr("disabled-user", 401, "User is disabled")
	errUnverifiedUser        = newErr("unverified-user", 401, "User is not verified.")
	errInvalidEmailPassword  = newErr("invalid-email-password", 401, "Incorrect email or password")
	errInvalidRefreshToken   = newErr("invalid-refresh-token", 401, "Invalid or expired refresh token")
	errInvalidTicket         = newErr("invalid-ticket", 401, "Invalid ticket")
	errForbiddenAnonymous    = newErr("forbidden-anonymous", 403, "Forbidden, user is anonymous.")
	errSignupDisabled        = newErr("signup-disabled", 403, "Sign up is disabled.")
	errPasswordTooShort      = newErr("password-too-short", 400, "Password is too short")
	errInternal              = newErr("internal-server-error", 500, "Internal server error")
	errInvalidPAT            = newErr("invalid-pat", 401, "Invalid or expired personal access token")
	errUserNotAnonymous      = newErr("user-not-anonymous", 400, "Logged in user is not anonymous")
	errInvalidTOTP           = newErr("invalid-totp", 401, "Invalid TOTP code")
	errTOTPAlreadyActive     = newErr("totp-already-active", 400, "TOTP MFA is already active")
	errNoTOTPSecret          = newErr("no-totp-secret", 400, "User does not have a TOTP secret")
	errDisabledMFATOTP       = newErr("disabled-mfa-totp", 401, "User does not have TOTP MFA enabled")
	// The emulator's own limit (AUTH_EMULATOR_METADATA_MAX_BYTES).
	errMetadataTooLarge = newErr("invalid-request", 400, "The request payload is incorrect: metadata is too large")
)

// errEmpty400 is the real server's answer to a malformed email address:
// 400 with no body and no Content-Type.
var errEmpty400 = errors.New("malformed email address")

// validationError is a request the validation middleware refuses.
type validationError string

func (e validationError) Error() string { return string(e) }

// reply writes a controller's error: the API's error body, the
// validator's, an OAuth2 error, or an empty 400; anything else is a fault
// of the emulator, logged and answered 500.
func (s *Server) reply(w http.ResponseWriter, path string, err error) {
	var (
		ae  *apiError
		ve  validationError
		oe  *oauth2Err
		lge *loginErr
	)
	switch {
	case errors.Is(err, errEmpty400):
		writeEmpty400(w)
	case errors.As(err, &ve):
		writeValidation(w, string(ve))
	case errors.As(err, &oe):
		writeJSON(w, oe.status(), core.OAuth2ErrorResponse{Error: oe.Code, ErrorDescription: oe.Description})
	case errors.As(err, &lge):
		writeJSON(w, lge.Status, lge.apiError)
	case errors.As(err, &ae):
		writeError(w, ae)
	default:
		s.log.Error("request failed", "path", path, "err", err)
		writeError(w, errInternal)
	}
}

// writeJSON writes v as the real server's handlers do: encoding/json (so
// HTML characters come out as \u0026 and so on), a trailing newline, and
// Content-Type application/json without a charset.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, e)
}

func writeOK(w http.ResponseWriter) { writeJSON(w, http.StatusOK, "OK") }

// writeValidation writes the validation middleware's shape: 400,
// {"error": text} only, charset in the Content-Type, no trailing newline.
func writeValidation(w http.ResponseWriter, text string) {
	b, _ := json.Marshal(map[string]string{"error": text})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(b)
}

// writeEmpty400 is the real server's answer to a malformed email address:
// 400 with no body and no Content-Type.
func writeEmpty400(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusBadRequest)
}

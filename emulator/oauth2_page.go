package emulator

import (
	"errors"
	"html/template"
	"net/http"

	"golang.org/x/crypto/bcrypt"
)

// The built-in login page (AUTH_OAUTH2_PROVIDER_LOGIN_URL=builtin, the
// --dev default): what an app's own /oauth2/login page does with
// oauth2LoginGet and oauth2LoginPost, in one form: the user signs in with
// email and password, which approves the request (no separate consent).

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to {{.Client}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 12px #0002;width:min(22rem,90vw)}
h1{font-size:1.25rem;margin:0 0 .25rem}p{color:#555;margin:.25rem 0 1rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #bbb;border-radius:6px}
button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#0052cc;color:#fff;font-weight:600}
.error{color:#b00020}small{color:#777}
</style></head>
<body><main>
<h1>Sign in to {{.Client}}</h1>
<p>{{.Client}} asks for: {{range $i, $s := .Scopes}}{{if $i}}, {{end}}{{$s}}{{end}}</p>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post">
<input type="hidden" name="request_id" value="{{.RequestID}}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{{.Email}}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="approve">Sign in and allow</button>
</form>
<p><small>Nhost Auth emulator: for development and tests only.</small></p>
</main></body></html>
`))

type loginView struct {
	Client, RequestID, Email, Error string
	Scopes                          []string
}

func (s *Server) builtinLogin(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if !s.cfg.OAuth2On || s.cfg.OAuth2LoginURL != "builtin" {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 page not found"))
		return nil
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed form", http.StatusBadRequest)
		return nil
	}
	id := r.Form.Get("request_id")
	q, c, oerr := s.pendingRequest(r, id)
	if oerr != nil {
		http.Error(w, oerr.Description, http.StatusBadRequest)
		return nil
	}
	view := loginView{Client: c.Name, RequestID: q.ID, Scopes: q.Scopes}
	if view.Client == "" {
		view.Client = c.ID
	}
	if r.Method == http.MethodPost {
		view.Email = r.PostForm.Get("email")
		userID, msg := s.checkPassword(r, view.Email, r.PostForm.Get("password"))
		if msg == "" {
			next, oerr := s.completeLogin(r, q.ID, userID)
			if oerr != nil {
				http.Error(w, oerr.Description, http.StatusBadRequest)
				return nil
			}
			w.Header().Set("Location", next)
			w.WriteHeader(http.StatusFound)
			return nil
		}
		view.Error = msg
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	if view.Error != "" {
		w.WriteHeader(http.StatusUnauthorized)
	}
	_ = loginPage.Execute(w, view)
	return nil
}

// checkPassword signs a user in by password for the login page, with the
// sign-in endpoint's rules; it returns the user or what to tell them.
func (s *Server) checkPassword(r *http.Request, email, password string) (string, string) {
	u, err := s.store.UserByEmail(r.Context(), email)
	if errors.Is(err, ErrNotFound) || (err == nil && (u.PasswordHash == "" ||
		bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil)) {
		return "", "Incorrect email or password."
	}
	if err != nil {
		return "", "Something went wrong; try again."
	}
	switch {
	case u.Disabled:
		return "", "This account is disabled."
	case s.cfg.VerifyEmail && !u.EmailVerified:
		return "", "Verify your email address first."
	}
	return u.ID, ""
}

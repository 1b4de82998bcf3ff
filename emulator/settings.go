package emulator

import (
	"errors"
	"flag"
	"strconv"
	"strings"
	"time"
)

// setting is one row of the configuration table: the real server's
// environment variable, an optional flag, what it means, and where it
// lands in a Config. Env loading, the flags, the help text and the
// README's table all come from these rows.
type setting struct {
	env  string
	flag string // "" when only the environment sets it
	doc  string
	def  string // the default as words, when the value's own text says too little
	val  flag.Value
}

// settings binds the table to c: setting a row's value sets c's field.
func settings(c *Config) []setting {
	s := []setting{
		{"AUTH_HOST", "host", "address to bind", "", str(&c.Host)},
		{"AUTH_PORT", "port", "port (`0`: any free port)", "", integer(&c.Port)},
		{"AUTH_SERVER_URL", "server-url", "public URL, used in emailed links", "the listen URL", str(&c.ServerURL)},
		{"AUTH_CLIENT_URL", "client-url", "the app: default redirect and allow-list base", "", str(&c.ClientURL)},
		{"AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS", "allowed-redirect-urls", "more allowed redirect prefixes, comma-separated; `*` matches one host label or any port", "", list(&c.AllowedURLs)},
		{"AUTH_ANONYMOUS_USERS_ENABLED", "anonymous", "anonymous sign-in", "", boolean(&c.AnonymousOn)},
		{"AUTH_DISABLE_SIGNUP", "disable-signup", "refuse new users (`403 signup-disabled`)", "", boolean(&c.SignupOff)},
		{"AUTH_DISABLE_AUTO_SIGNUP", "", "passwordless and provider sign-in do not create users (the answer does not tell); the `/signup/*` endpoints still do", "", boolean(&c.AutoSignupOff)},
		{"AUTH_DISABLE_NEW_USERS", "", "new users start disabled", "", boolean(&c.DisableNew)},
		{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED", "email-verified-required", "sign-in needs a verified email", "", boolean(&c.VerifyEmail)},
		{"AUTH_ACCESS_TOKEN_EXPIRES_IN", "access-token-expires-in", "access token lifetime, seconds", "", seconds(&c.AccessTTL)},
		{"AUTH_REFRESH_TOKEN_EXPIRES_IN", "refresh-token-expires-in", "refresh token lifetime, seconds", "", seconds(&c.RefreshTTL)},
		{"AUTH_USER_DEFAULT_ROLE", "", "default role of new users", "", str(&c.DefaultRole)},
		{"AUTH_USER_DEFAULT_ALLOWED_ROLES", "", "roles new users may ask for", "", list(&c.AllowedRoles)},
		{"AUTH_LOCALE_ALLOWED_LOCALES", "", "locales users may have (others fall back to the default)", "", list(&c.Locales)},
		{"AUTH_LOCALE_DEFAULT", "", "locale of users who name none, and of emails in a locale without templates", "", str(&c.DefaultLocale)},
		{"AUTH_PASSWORD_MIN_LENGTH", "", "shorter passwords: `password-too-short`", "", integer(&c.PasswordMin)},
		{"AUTH_JWT_ISSUER", "", "`iss` of access tokens", "", str(&c.Issuer)},
		{"AUTH_GRAVATAR_ENABLED", "", "Gravatar avatar URLs for new users", "", boolean(&c.Gravatar)},
		{"AUTH_GRAVATAR_DEFAULT", "", "Gravatar's default image", "", str(&c.GravatarDef)},
		{"AUTH_GRAVATAR_RATING", "", "Gravatar's rating", "", str(&c.GravatarR)},
		{"AUTH_EMAIL_PASSWORDLESS_ENABLED", "", "magic link sign-in", "", boolean(&c.MagicLinkOn)},
		{"AUTH_OTP_EMAIL_ENABLED", "", "one-time passwords by email", "", boolean(&c.EmailOTPOn)},
		{"AUTH_SMS_PASSWORDLESS_ENABLED", "", "one-time passwords by SMS", "", boolean(&c.SMSOn)},
		{"AUTH_SMS_PROVIDER", "", "only `dev`: messages are not sent, they are kept in the mailbox (`/emulator/mail`)", "`dev` when SMS is on", str(&c.SMSProvider)},
		{"AUTH_MFA_ENABLED", "", "TOTP multi-factor authentication", "", boolean(&c.MFAOn)},
		{"AUTH_MFA_TOTP_ISSUER", "", "issuer shown by authenticator apps", "", str(&c.TOTPIssuer)},
		{"AUTH_REQUIRE_ELEVATED_CLAIM", "", "`disabled`, `recommended` or `required`: the `x-hasura-auth-elevated` claim for `BearerAuthElevated` endpoints", "", str(&c.Elevation)},
		{"AUTH_EMAIL_TEMPLATES_PATH", "", "a directory of email templates, `{locale}/{template}/subject.txt` and `body.html`, over the built-in ones", "", str(&c.TemplatesPath)},
		{"AUTH_SMTP_HOST", "", "SMTP server for emails; without one, emails are only kept in the mailbox and logged", "", str(&c.SMTPHost)},
		{"AUTH_SMTP_PORT", "", "SMTP port", "", integer(&c.SMTPPort)},
		{"AUTH_SMTP_USER", "", "SMTP user", "", str(&c.SMTPUser)},
		{"AUTH_SMTP_PASS", "", "SMTP password", "", str(&c.SMTPPass)},
		{"AUTH_SMTP_SENDER", "", "From address of emails", "", str(&c.SMTPSender)},
		{"AUTH_SMTP_SECURE", "", "TLS from the start (else STARTTLS when offered)", "", boolean(&c.SMTPSecure)},
		{"AUTH_SMTP_AUTH_METHOD", "", "SMTP authentication (`PLAIN`)", "", str(&c.SMTPAuth)},
		{"AUTH_RATE_LIMIT_ENABLE", "", "per-client limits, 429 with no body (`--dev`: 30× the defaults)", "", boolean(&c.RateLimitOn)},
	}
	for _, b := range []struct {
		name string
		lim  *Limit
		what string
	}{
		{"GLOBAL", &c.RateLimits.Global, "every request"}, {"EMAIL", &c.RateLimits.Email, "requests that send an email"},
		{"SMS", &c.RateLimits.SMS, "requests that send an SMS"}, {"BRUTE_FORCE", &c.RateLimits.BruteForce, "sign-ins and code checks"},
		{"SIGNUPS", &c.RateLimits.Signups, "sign-ups"},
	} {
		s = append(s,
			setting{"AUTH_RATE_LIMIT_" + b.name + "_BURST", "", "requests allowed per interval: " + b.what, "", integer(&b.lim.Burst)},
			setting{"AUTH_RATE_LIMIT_" + b.name + "_INTERVAL", "", "the interval of that bucket (a duration: `5m`)", "", duration(&b.lim.Interval)})
	}
	return append(s, []setting{
		{"AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL", "", "one email budget for all clients", "", boolean(&c.RateLimits.EmailIsGlobal)},
		{"AUTH_WEBAUTHN_ENABLED", "", "passkeys and security keys", "", boolean(&c.WebAuthnOn)},
		{"AUTH_WEBAUTHN_RP_ID", "", "relying party id", "the client URL's host (`--dev`: `localhost`)", str(&c.WebAuthnRPID)},
		{"AUTH_WEBAUTHN_RP_NAME", "", "relying party name", "", str(&c.WebAuthnRPName)},
		{"AUTH_WEBAUTHN_RP_ORIGINS", "", "origins allowed in `clientDataJSON`, comma-separated", "the client URL's origin (`--dev`: any loopback one)", list(&c.WebAuthnOrigins)},
		{"AUTH_WEBAUTHN_ATTESTATION_TIMEOUT", "", "ceremony timeout, milliseconds", "", millis(&c.WebAuthnTimeout)},
		{"AUTH_OAUTH2_PROVIDER_ENABLED", "", "Nhost as an OAuth2 / OpenID Connect provider", "", boolean(&c.OAuth2On)},
		{"AUTH_OAUTH2_PROVIDER_ISSUER", "", "`iss` of the provider's tokens", "the server URL", str(&c.OAuth2Issuer)},
		{"AUTH_OAUTH2_PROVIDER_LOGIN_URL", "", "the login/consent page; `builtin` is the emulator's own (email and password, approval included)", "`{client URL}/oauth2/login`", str(&c.OAuth2LoginURL)},
		{"AUTH_OAUTH2_PROVIDER_ACCESS_TOKEN_TTL", "", "the provider's access token lifetime, seconds", "", seconds(&c.OAuth2AccessTTL)},
		{"AUTH_OAUTH2_PROVIDER_REFRESH_TOKEN_TTL", "", "the provider's refresh token lifetime, seconds", "", seconds(&c.OAuth2RefreshTTL)},
		{"AUTH_EMULATOR_OAUTH2_CLIENTS", "", "OAuth2 clients registered at start: `id[:secret]@redirect-uri[ uri…]`, comma-separated (no secret: a public client); `POST /oauth2/register` adds more", "", clients(&c.OAuth2Clients)},
		{"AUTH_EMULATOR_DB", "db", "SQLite file, or `:memory:`", "", str(&c.DB)},
		{"AUTH_EMULATOR_BCRYPT_COST", "bcrypt-cost", "bcrypt cost of password hashes", "", integer(&c.BcryptCost)},
		{"AUTH_EMULATOR_METADATA_MAX_BYTES", "", "largest `metadata` accepted (JSON bytes; more: `400 invalid-request`)", "", integer(&c.MetadataMax)},
		{"AUTH_EMULATOR_MAILBOX_SIZE", "", "messages the dev mailbox keeps (`/emulator/mail`; the oldest go first)", "", integer(&c.MailboxSize)},
	}...)
}

// providerSettings are the rows of one sign-in provider; NAME stands for
// the provider's upper-case name.
func providerSettings(p *ProviderConfig, name string) []setting {
	env, emu := "AUTH_PROVIDER_"+name+"_", "AUTH_EMULATOR_PROVIDER_"+name+"_"
	return []setting{
		{env + "ENABLED", "", "sign-in with this provider", "", boolean(&p.Enabled)},
		{env + "CLIENT_ID", "", "the app's id at the provider", "", str(&p.ClientID)},
		{env + "CLIENT_SECRET", "", "the app's secret at the provider", "", str(&p.ClientSecret)},
		{env + "SCOPE", "", "scopes, space- or comma-separated", "the provider's", str(&p.Scope)},
		{env + "AUDIENCE", "", "ID tokens' audience (`apple`, `google`)", "the client id", str(&p.Audience)},
		{emu + "ISSUER", "", "an OpenID provider (e.g. another emulator) whose discovery document gives the URLs below", "the real provider", str(&p.Issuer)},
		{emu + "AUTH_URL", "", "the provider's authorization endpoint", "", str(&p.AuthURL)},
		{emu + "TOKEN_URL", "", "the provider's token endpoint", "", str(&p.TokenURL)},
		{emu + "USERINFO_URL", "", "the provider's user endpoint", "", str(&p.UserinfoURL)},
		{emu + "JWKS_URL", "", "the provider's ID token keys", "", str(&p.JWKSURL)},
	}
}

// applyEnv sets every row whose variable is set, and names each bad one.
func applyEnv(rows []setting, getenv func(string) string) []string {
	var errs []string
	for _, r := range rows {
		if v := getenv(r.env); v != "" {
			if err := r.val.Set(v); err != nil {
				errs = append(errs, r.env+": "+err.Error()+": "+v)
			}
		}
	}
	return errs
}

// ConfigMarkdown is the README's table of settings.
func ConfigMarkdown() string {
	def, dev := Defaults(), Defaults()
	dev.ApplyDev()
	var b strings.Builder
	b.WriteString("| environment variable | flag | default | meaning |\n|---|---|---|---|\n")
	devRows := settings(&dev)
	for i, r := range settings(&def) {
		b.WriteString("| `" + r.env + "` | ")
		if r.flag != "" {
			b.WriteString("`--" + r.flag + "`")
		}
		b.WriteString(" | " + words(r, devRows[i].val.String()) + " | " + r.doc + " |\n")
	}
	p := &ProviderConfig{}
	for _, r := range providerSettings(p, "{NAME}") {
		b.WriteString("| `" + r.env + "` | | " + words(r, r.val.String()) + " | " + r.doc + " |\n")
	}
	b.WriteString("\n`{NAME}`: " + strings.ToUpper(strings.Join(ProviderNames, ", ")) + ".\n")
	return b.String()
}

func words(r setting, devText string) string {
	text := r.val.String()
	out := r.def
	if out == "" {
		out = "(none)"
		if text != "" {
			out = "`" + text + "`"
		}
	}
	if devText != text && r.def == "" {
		out += " (`--dev`: `" + devText + "`)"
	}
	return out
}

// The values behind the rows. Each is a flag.Value over a field of Config;
// flag may build a zero one to print defaults, so a nil pointer reads "".

type strValue struct{ p *string }
type boolValue struct{ p *bool }
type intValue struct{ p *int }
type listValue struct{ p *[]string }
type clientsValue struct{ p *[]SeedClient }

// durValue holds a duration read in unit (time.Second for "900"), or as
// Go's text ("5m") when unit is 0.
type durValue struct {
	p    *time.Duration
	unit time.Duration
}

func str(p *string) flag.Value             { return strValue{p} }
func boolean(p *bool) flag.Value           { return boolValue{p} }
func integer(p *int) flag.Value            { return intValue{p} }
func list(p *[]string) flag.Value          { return listValue{p} }
func clients(p *[]SeedClient) flag.Value   { return clientsValue{p} }
func seconds(p *time.Duration) flag.Value  { return durValue{p, time.Second} }
func millis(p *time.Duration) flag.Value   { return durValue{p, time.Millisecond} }
func duration(p *time.Duration) flag.Value { return durValue{p, 0} }
func (v strValue) Set(s string) error      { *v.p = s; return nil }
func (v listValue) Set(s string) error     { *v.p = splitList(s); return nil }
func (v boolValue) IsBoolFlag() bool       { return true }
func (v strValue) String() string          { return deref(v.p) }
func (v listValue) String() string         { return strings.Join(deref(v.p), ",") }
func (v intValue) String() string          { return strconv.Itoa(deref(v.p)) }
func (v boolValue) String() string         { return strconv.FormatBool(deref(v.p)) }
func deref[T any](p *T) (zero T) {
	if p == nil {
		return zero
	}
	return *p
}

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("not a boolean")
	}
	*v.p = b
	return nil
}

func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not a number")
	}
	*v.p = n
	return nil
}

func (v durValue) Set(s string) error {
	if v.unit == 0 {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return errors.New("not a duration such as 5m")
		}
		*v.p = d
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return errors.New("not a positive number of " + map[time.Duration]string{time.Second: "seconds", time.Millisecond: "milliseconds"}[v.unit])
	}
	*v.p = time.Duration(n) * v.unit
	return nil
}

func (v durValue) String() string {
	d := deref(v.p)
	if v.unit == 0 {
		return d.String()
	}
	return strconv.FormatInt(int64(d/v.unit), 10)
}

func (v clientsValue) Set(s string) error {
	c, err := parseSeedClients(s)
	if err != nil {
		return err
	}
	*v.p = c
	return nil
}

func (v clientsValue) String() string {
	var parts []string
	for _, c := range deref(v.p) {
		cred := c.ID
		if c.Secret != "" {
			cred += ":" + c.Secret
		}
		parts = append(parts, cred+"@"+strings.Join(c.RedirectURIs, " "))
	}
	return strings.Join(parts, ",")
}

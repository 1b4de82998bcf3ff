package emulator

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config holds the emulator's settings. Field comments name the real
// server's environment variable, which sets the field too.
type Config struct {
	Host          string        // bind address; 127.0.0.1 unless told otherwise (AUTH_HOST)
	Port          int           // AUTH_PORT; 0 picks a free port
	ServerURL     string        // AUTH_SERVER_URL: public URL of this server, used in emailed links
	ClientURL     string        // AUTH_CLIENT_URL: the app; default redirect and allow-list base
	AllowedURLs   []string      // AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS: more allowed redirect prefixes
	AnonymousOn   bool          // AUTH_ANONYMOUS_USERS_ENABLED
	SignupOff     bool          // AUTH_DISABLE_SIGNUP
	AutoSignupOff bool          // AUTH_DISABLE_AUTO_SIGNUP: passwordless sign-in does not create users
	VerifyEmail   bool          // AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED (the real default: true)
	AccessTTL     time.Duration // AUTH_ACCESS_TOKEN_EXPIRES_IN, seconds (900)
	RefreshTTL    time.Duration // AUTH_REFRESH_TOKEN_EXPIRES_IN, seconds (2592000: 30 days)
	DefaultRole   string        // AUTH_USER_DEFAULT_ROLE ("user")
	AllowedRoles  []string      // AUTH_USER_DEFAULT_ALLOWED_ROLES ("user,me")
	Locales       []string      // AUTH_LOCALE_ALLOWED_LOCALES ("en")
	DefaultLocale string        // AUTH_LOCALE_DEFAULT ("en")
	PasswordMin   int           // AUTH_PASSWORD_MIN_LENGTH (3)
	Issuer        string        // JWT issuer (AUTH_JWT_ISSUER; "hasura-auth")
	Gravatar      bool          // AUTH_GRAVATAR_ENABLED (true)
	GravatarDef   string        // AUTH_GRAVATAR_DEFAULT ("blank")
	GravatarR     string        // AUTH_GRAVATAR_RATING ("g")
	DisableNew    bool          // AUTH_DISABLE_NEW_USERS: new users start disabled
	DB            string        // SQLite file, or ":memory:" (AUTH_EMULATOR_DB)
	BcryptCost    int           // bcrypt cost of password hashes (AUTH_EMULATOR_BCRYPT_COST; 10)
	Version       string        // what GET /version reports
	Dev           bool          // the --dev profile was applied

	// Sign-in methods and MFA: off by default, as on the real server.
	MagicLinkOn bool   // AUTH_EMAIL_PASSWORDLESS_ENABLED: magic link sign-in
	EmailOTPOn  bool   // AUTH_OTP_EMAIL_ENABLED: one-time passwords by email
	SMSOn       bool   // AUTH_SMS_PASSWORDLESS_ENABLED: one-time passwords by SMS
	SMSProvider string // AUTH_SMS_PROVIDER: only "dev" (codes logged, readable at GET /emulator/sms)
	MFAOn       bool   // AUTH_MFA_ENABLED: TOTP
	TOTPIssuer  string // AUTH_MFA_TOTP_ISSUER ("auth")
	Elevation   string // AUTH_REQUIRE_ELEVATED_CLAIM: disabled (default), recommended or required

	// Rate limits (AUTH_RATE_LIMIT_ENABLE and AUTH_RATE_LIMIT_{GLOBAL,EMAIL,SMS,
	// BRUTE_FORCE,SIGNUPS}_{BURST,INTERVAL}, AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL).
	RateLimitOn bool
	RateLimits  RateLimits

	// WebAuthn: passkeys and security keys.
	WebAuthnOn      bool          // AUTH_WEBAUTHN_ENABLED
	WebAuthnRPID    string        // AUTH_WEBAUTHN_RP_ID (default: the client URL's host)
	WebAuthnRPName  string        // AUTH_WEBAUTHN_RP_NAME ("Nhost Auth")
	WebAuthnOrigins []string      // AUTH_WEBAUTHN_RP_ORIGINS: origins allowed in clientDataJSON (default: the client URL's; --dev: any loopback one too)
	WebAuthnTimeout time.Duration // AUTH_WEBAUTHN_ATTESTATION_TIMEOUT, milliseconds (300000)

	// Nhost as an OAuth2 / OpenID Connect provider.
	OAuth2On         bool          // AUTH_OAUTH2_PROVIDER_ENABLED
	OAuth2Issuer     string        // AUTH_OAUTH2_PROVIDER_ISSUER (default: the server URL)
	OAuth2LoginURL   string        // AUTH_OAUTH2_PROVIDER_LOGIN_URL (default: {client URL}/oauth2/login; "builtin": the emulator's page)
	OAuth2AccessTTL  time.Duration // AUTH_OAUTH2_PROVIDER_ACCESS_TOKEN_TTL, seconds (900)
	OAuth2RefreshTTL time.Duration // AUTH_OAUTH2_PROVIDER_REFRESH_TOKEN_TTL, seconds (2592000)
	OAuth2Clients    []SeedClient  // AUTH_EMULATOR_OAUTH2_CLIENTS: "id[:secret]@redirect-uri[ uri…]", comma-separated

	// Sign-in providers, by name (github, google, …): AUTH_PROVIDER_{NAME}_*.
	Providers map[string]*ProviderConfig

	// Outgoing mail; without a host, emails are written to the log.
	SMTPHost   string // AUTH_SMTP_HOST
	SMTPPort   int    // AUTH_SMTP_PORT (587)
	SMTPUser   string // AUTH_SMTP_USER
	SMTPPass   string // AUTH_SMTP_PASS
	SMTPSender string // AUTH_SMTP_SENDER ("auth@example.com")
	SMTPSecure bool   // AUTH_SMTP_SECURE: TLS from the start (else STARTTLS when offered)
	SMTPAuth   string // AUTH_SMTP_AUTH_METHOD ("PLAIN")
}

// ProviderConfig is one sign-in provider. The emulator-only URL settings
// point a provider anywhere, typically at another emulator acting as an
// OpenID Connect provider, so that every provider flow runs on loopback.
type ProviderConfig struct {
	Enabled      bool   // AUTH_PROVIDER_{NAME}_ENABLED
	ClientID     string // AUTH_PROVIDER_{NAME}_CLIENT_ID
	ClientSecret string // AUTH_PROVIDER_{NAME}_CLIENT_SECRET
	Scope        string // AUTH_PROVIDER_{NAME}_SCOPE, space- or comma-separated (the provider's default otherwise)
	Audience     string // AUTH_PROVIDER_{NAME}_AUDIENCE: ID tokens' audience (apple, google; default: the client id)
	Issuer       string // AUTH_EMULATOR_PROVIDER_{NAME}_ISSUER: an OpenID provider whose discovery document gives the URLs below
	AuthURL      string // AUTH_EMULATOR_PROVIDER_{NAME}_AUTH_URL
	TokenURL     string // AUTH_EMULATOR_PROVIDER_{NAME}_TOKEN_URL
	UserinfoURL  string // AUTH_EMULATOR_PROVIDER_{NAME}_USERINFO_URL
	JWKSURL      string // AUTH_EMULATOR_PROVIDER_{NAME}_JWKS_URL
}

// SeedClient is an OAuth2 client registered at start-up.
type SeedClient struct {
	ID, Secret   string
	RedirectURIs []string
}

// ProviderNames are the providers the API knows (its {provider} enum).
var ProviderNames = []string{"apple", "github", "google", "linkedin", "discord", "spotify", "twitch", "gitlab",
	"bitbucket", "workos", "azuread", "entraid", "strava", "facebook", "windowslive", "twitter"}

// Defaults returns the real server's defaults.
func Defaults() Config {
	return Config{
		Host:          "127.0.0.1",
		Port:          4000,
		ClientURL:     "",
		VerifyEmail:   true,
		AccessTTL:     900 * time.Second,
		RefreshTTL:    2592000 * time.Second,
		DefaultRole:   "user",
		AllowedRoles:  []string{"user", "me"},
		Locales:       []string{"en"},
		DefaultLocale: "en",
		PasswordMin:   3,
		Issuer:        "hasura-auth",
		Gravatar:      true,
		GravatarDef:   "blank",
		GravatarR:     "g",
		DB:            "nhost-auth-emulator.db",
		BcryptCost:    10,
		Version:       "nhost-auth-emulator-" + Version,
		TOTPIssuer:    "auth",
		Elevation:     "disabled",
		SMTPPort:      587,
		SMTPSender:    "auth@example.com",
		SMTPAuth:      "PLAIN",

		RateLimits: RateLimits{Global: Limit{100, time.Minute}, Email: Limit{10, time.Hour}, SMS: Limit{10, time.Hour},
			BruteForce: Limit{10, 5 * time.Minute}, Signups: Limit{10, 5 * time.Minute}, EmailIsGlobal: true},
		WebAuthnRPName:  "Nhost Auth",
		WebAuthnTimeout: 300 * time.Second,

		OAuth2AccessTTL:  900 * time.Second,
		OAuth2RefreshTTL: 2592000 * time.Second,
		Providers:        map[string]*ProviderConfig{},
	}
}

// Version is the emulator's own version.
const Version = "0.1.0"

// ApplyDev switches on everything a demo needs: anonymous users, no email
// verification, every sign-in method (SMS through the dev provider), TOTP
// MFA, a client URL of http://localhost:3000 plus any loopback origin as
// redirect targets.
func (c *Config) ApplyDev() {
	c.Dev = true
	c.AnonymousOn = true
	c.VerifyEmail = false
	c.MagicLinkOn, c.EmailOTPOn, c.SMSOn, c.MFAOn = true, true, true, true
	if c.SMSProvider == "" {
		c.SMSProvider = "dev"
	}
	if c.ClientURL == "" {
		c.ClientURL = "http://localhost:3000"
	}
	c.AllowedURLs = append(c.AllowedURLs, "http://localhost:*", "http://127.0.0.1:*")
	c.OAuth2On = true
	// Limits on, generous: a demo never meets them, a runaway loop does.
	c.RateLimitOn = true
	c.RateLimits = RateLimits{Global: Limit{3000, time.Minute}, Email: Limit{300, time.Hour}, SMS: Limit{300, time.Hour},
		BruteForce: Limit{300, 5 * time.Minute}, Signups: Limit{300, 5 * time.Minute}}
	c.WebAuthnOn = true
	if c.WebAuthnRPID == "" {
		c.WebAuthnRPID = "localhost"
	}
	if len(c.WebAuthnOrigins) == 0 {
		// Any loopback origin passes in --dev (see relyingParty); this one
		// is the list go-webauthn wants when no ceremony names its origin.
		c.WebAuthnOrigins = []string{strings.TrimSuffix(c.ClientURL, "/")}
	}
	if c.OAuth2LoginURL == "" {
		c.OAuth2LoginURL = "builtin"
	}
}

// envNames lists the environment variables Load reads, for the help text.
var envNames = []string{
	"AUTH_HOST", "AUTH_PORT", "AUTH_SERVER_URL", "AUTH_CLIENT_URL",
	"AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS", "AUTH_ANONYMOUS_USERS_ENABLED",
	"AUTH_DISABLE_SIGNUP", "AUTH_DISABLE_AUTO_SIGNUP", "AUTH_DISABLE_NEW_USERS", "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED",
	"AUTH_ACCESS_TOKEN_EXPIRES_IN", "AUTH_REFRESH_TOKEN_EXPIRES_IN", "AUTH_USER_DEFAULT_ROLE",
	"AUTH_USER_DEFAULT_ALLOWED_ROLES", "AUTH_LOCALE_ALLOWED_LOCALES", "AUTH_LOCALE_DEFAULT",
	"AUTH_PASSWORD_MIN_LENGTH", "AUTH_JWT_ISSUER", "AUTH_GRAVATAR_ENABLED", "AUTH_GRAVATAR_DEFAULT",
	"AUTH_GRAVATAR_RATING", "AUTH_EMULATOR_DB", "AUTH_EMULATOR_BCRYPT_COST",
	"AUTH_EMAIL_PASSWORDLESS_ENABLED", "AUTH_OTP_EMAIL_ENABLED", "AUTH_SMS_PASSWORDLESS_ENABLED",
	"AUTH_SMS_PROVIDER", "AUTH_MFA_ENABLED", "AUTH_MFA_TOTP_ISSUER", "AUTH_REQUIRE_ELEVATED_CLAIM",
	"AUTH_SMTP_HOST", "AUTH_SMTP_PORT", "AUTH_SMTP_USER", "AUTH_SMTP_PASS", "AUTH_SMTP_SENDER",
	"AUTH_SMTP_SECURE", "AUTH_SMTP_AUTH_METHOD",
	"AUTH_RATE_LIMIT_ENABLE", "AUTH_RATE_LIMIT_{GLOBAL,EMAIL,SMS,BRUTE_FORCE,SIGNUPS}_{BURST,INTERVAL}", "AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL",
	"AUTH_WEBAUTHN_ENABLED", "AUTH_WEBAUTHN_RP_ID", "AUTH_WEBAUTHN_RP_NAME", "AUTH_WEBAUTHN_RP_ORIGINS",
	"AUTH_WEBAUTHN_ATTESTATION_TIMEOUT",
	"AUTH_OAUTH2_PROVIDER_ENABLED", "AUTH_OAUTH2_PROVIDER_ISSUER", "AUTH_OAUTH2_PROVIDER_LOGIN_URL",
	"AUTH_OAUTH2_PROVIDER_ACCESS_TOKEN_TTL", "AUTH_OAUTH2_PROVIDER_REFRESH_TOKEN_TTL", "AUTH_EMULATOR_OAUTH2_CLIENTS",
	"AUTH_PROVIDER_{NAME}_ENABLED, _CLIENT_ID, _CLIENT_SECRET, _SCOPE, _AUDIENCE (NAME: " + strings.ToUpper(strings.Join(ProviderNames, ", ")) + ")",
	"AUTH_EMULATOR_PROVIDER_{NAME}_ISSUER, _AUTH_URL, _TOKEN_URL, _USERINFO_URL, _JWKS_URL",
}

// Load builds a Config from defaults, then the environment (getenv), then
// command-line flags (args, without the program name). Flags win.
func Load(args []string, getenv func(string) string) (Config, error) {
	c := Defaults()
	if err := c.fromEnv(getenv); err != nil {
		return c, err
	}
	fs := flag.NewFlagSet("nhost-auth-emulator", flag.ContinueOnError)
	dev := fs.Bool("dev", false, "demo profile: anonymous users on, no email verification, any loopback redirect allowed")
	fs.StringVar(&c.Host, "host", c.Host, "address to bind (AUTH_HOST)")
	fs.IntVar(&c.Port, "port", c.Port, "port; 0 picks a free one (AUTH_PORT)")
	fs.StringVar(&c.ServerURL, "server-url", c.ServerURL, "public URL of this server (AUTH_SERVER_URL)")
	fs.StringVar(&c.ClientURL, "client-url", c.ClientURL, "the app's URL: default redirect, allow-list base (AUTH_CLIENT_URL)")
	allowed := fs.String("allowed-redirect-urls", strings.Join(c.AllowedURLs, ","), "more allowed redirect URL prefixes, comma-separated, * matches one host label or any port (AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS)")
	fs.BoolVar(&c.AnonymousOn, "anonymous", c.AnonymousOn, "allow anonymous users (AUTH_ANONYMOUS_USERS_ENABLED)")
	fs.BoolVar(&c.SignupOff, "disable-signup", c.SignupOff, "refuse new users (AUTH_DISABLE_SIGNUP)")
	fs.BoolVar(&c.VerifyEmail, "email-verified-required", c.VerifyEmail, "refuse sign-in until the email is verified (AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED)")
	access := fs.Int("access-token-expires-in", int(c.AccessTTL/time.Second), "access token lifetime, seconds (AUTH_ACCESS_TOKEN_EXPIRES_IN)")
	refresh := fs.Int("refresh-token-expires-in", int(c.RefreshTTL/time.Second), "refresh token lifetime, seconds (AUTH_REFRESH_TOKEN_EXPIRES_IN)")
	fs.StringVar(&c.DB, "db", c.DB, "SQLite database file, or :memory: (AUTH_EMULATOR_DB)")
	fs.IntVar(&c.BcryptCost, "bcrypt-cost", c.BcryptCost, "bcrypt cost for password hashes (AUTH_EMULATOR_BCRYPT_COST)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: nhost-auth-emulator [flags]\n\nA local, wire-compatible Nhost Auth server. Flags override these environment variables:\n  %s\n\nFlags:\n", strings.Join(envNames, "\n  "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.AllowedURLs = splitList(*allowed)
	c.AccessTTL = time.Duration(*access) * time.Second
	c.RefreshTTL = time.Duration(*refresh) * time.Second
	if *dev {
		c.ApplyDev()
	}
	return c, c.check()
}

func (c *Config) fromEnv(getenv func(string) string) error {
	var errs []string
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	boolean := func(name string, dst *bool) {
		if v := getenv(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, name+": not a boolean: "+v)
				return
			}
			*dst = b
		}
	}
	integer := func(name string, dst *int) {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, name+": not a number: "+v)
				return
			}
			*dst = n
		}
	}
	seconds := func(name string, dst *time.Duration) {
		n := int(*dst / time.Second)
		integer(name, &n)
		*dst = time.Duration(n) * time.Second
	}
	list := func(name string, dst *[]string) {
		if v := getenv(name); v != "" {
			*dst = splitList(v)
		}
	}
	str("AUTH_HOST", &c.Host)
	integer("AUTH_PORT", &c.Port)
	str("AUTH_SERVER_URL", &c.ServerURL)
	str("AUTH_CLIENT_URL", &c.ClientURL)
	list("AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS", &c.AllowedURLs)
	boolean("AUTH_ANONYMOUS_USERS_ENABLED", &c.AnonymousOn)
	boolean("AUTH_DISABLE_SIGNUP", &c.SignupOff)
	boolean("AUTH_DISABLE_AUTO_SIGNUP", &c.AutoSignupOff)
	boolean("AUTH_DISABLE_NEW_USERS", &c.DisableNew)
	boolean("AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED", &c.VerifyEmail)
	seconds("AUTH_ACCESS_TOKEN_EXPIRES_IN", &c.AccessTTL)
	seconds("AUTH_REFRESH_TOKEN_EXPIRES_IN", &c.RefreshTTL)
	str("AUTH_USER_DEFAULT_ROLE", &c.DefaultRole)
	list("AUTH_USER_DEFAULT_ALLOWED_ROLES", &c.AllowedRoles)
	list("AUTH_LOCALE_ALLOWED_LOCALES", &c.Locales)
	str("AUTH_LOCALE_DEFAULT", &c.DefaultLocale)
	integer("AUTH_PASSWORD_MIN_LENGTH", &c.PasswordMin)
	str("AUTH_JWT_ISSUER", &c.Issuer)
	boolean("AUTH_GRAVATAR_ENABLED", &c.Gravatar)
	str("AUTH_GRAVATAR_DEFAULT", &c.GravatarDef)
	str("AUTH_GRAVATAR_RATING", &c.GravatarR)
	str("AUTH_EMULATOR_DB", &c.DB)
	integer("AUTH_EMULATOR_BCRYPT_COST", &c.BcryptCost)
	boolean("AUTH_EMAIL_PASSWORDLESS_ENABLED", &c.MagicLinkOn)
	boolean("AUTH_OTP_EMAIL_ENABLED", &c.EmailOTPOn)
	boolean("AUTH_SMS_PASSWORDLESS_ENABLED", &c.SMSOn)
	str("AUTH_SMS_PROVIDER", &c.SMSProvider)
	boolean("AUTH_MFA_ENABLED", &c.MFAOn)
	str("AUTH_MFA_TOTP_ISSUER", &c.TOTPIssuer)
	str("AUTH_REQUIRE_ELEVATED_CLAIM", &c.Elevation)
	str("AUTH_SMTP_HOST", &c.SMTPHost)
	integer("AUTH_SMTP_PORT", &c.SMTPPort)
	str("AUTH_SMTP_USER", &c.SMTPUser)
	str("AUTH_SMTP_PASS", &c.SMTPPass)
	str("AUTH_SMTP_SENDER", &c.SMTPSender)
	boolean("AUTH_SMTP_SECURE", &c.SMTPSecure)
	str("AUTH_SMTP_AUTH_METHOD", &c.SMTPAuth)
	boolean("AUTH_RATE_LIMIT_ENABLE", &c.RateLimitOn)
	boolean("AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL", &c.RateLimits.EmailIsGlobal)
	for name, lim := range map[string]*Limit{"GLOBAL": &c.RateLimits.Global, "EMAIL": &c.RateLimits.Email,
		"SMS": &c.RateLimits.SMS, "BRUTE_FORCE": &c.RateLimits.BruteForce, "SIGNUPS": &c.RateLimits.Signups} {
		integer("AUTH_RATE_LIMIT_"+name+"_BURST", &lim.Burst)
		if v := getenv("AUTH_RATE_LIMIT_" + name + "_INTERVAL"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				errs = append(errs, "AUTH_RATE_LIMIT_"+name+"_INTERVAL: not a duration such as 5m: "+v)
			} else {
				lim.Interval = d
			}
		}
	}
	boolean("AUTH_WEBAUTHN_ENABLED", &c.WebAuthnOn)
	str("AUTH_WEBAUTHN_RP_ID", &c.WebAuthnRPID)
	str("AUTH_WEBAUTHN_RP_NAME", &c.WebAuthnRPName)
	list("AUTH_WEBAUTHN_RP_ORIGINS", &c.WebAuthnOrigins)
	if v := getenv("AUTH_WEBAUTHN_ATTESTATION_TIMEOUT"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 {
			errs = append(errs, "AUTH_WEBAUTHN_ATTESTATION_TIMEOUT: not a number of milliseconds: "+v)
		} else {
			c.WebAuthnTimeout = time.Duration(ms) * time.Millisecond
		}
	}
	boolean("AUTH_OAUTH2_PROVIDER_ENABLED", &c.OAuth2On)
	str("AUTH_OAUTH2_PROVIDER_ISSUER", &c.OAuth2Issuer)
	str("AUTH_OAUTH2_PROVIDER_LOGIN_URL", &c.OAuth2LoginURL)
	seconds("AUTH_OAUTH2_PROVIDER_ACCESS_TOKEN_TTL", &c.OAuth2AccessTTL)
	seconds("AUTH_OAUTH2_PROVIDER_REFRESH_TOKEN_TTL", &c.OAuth2RefreshTTL)
	if v := getenv("AUTH_EMULATOR_OAUTH2_CLIENTS"); v != "" {
		clients, err := parseSeedClients(v)
		if err != nil {
			errs = append(errs, "AUTH_EMULATOR_OAUTH2_CLIENTS: "+err.Error())
		}
		c.OAuth2Clients = clients
	}
	for _, name := range ProviderNames {
		p := &ProviderConfig{}
		env := "AUTH_PROVIDER_" + strings.ToUpper(name) + "_"
		emu := "AUTH_EMULATOR_PROVIDER_" + strings.ToUpper(name) + "_"
		boolean(env+"ENABLED", &p.Enabled)
		str(env+"CLIENT_ID", &p.ClientID)
		str(env+"CLIENT_SECRET", &p.ClientSecret)
		str(env+"SCOPE", &p.Scope)
		str(env+"AUDIENCE", &p.Audience)
		str(emu+"ISSUER", &p.Issuer)
		str(emu+"AUTH_URL", &p.AuthURL)
		str(emu+"TOKEN_URL", &p.TokenURL)
		str(emu+"USERINFO_URL", &p.UserinfoURL)
		str(emu+"JWKS_URL", &p.JWKSURL)
		if p.Enabled {
			c.Providers[name] = p
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Validate checks a configuration and fills what derives from other
// settings (WebAuthn's relying party from the client URL, the default role
// among the allowed ones). New calls it; so does Load.
func (c *Config) Validate() error { return c.check() }

func (c *Config) check() error {
	if c.AccessTTL <= 0 || c.RefreshTTL <= 0 {
		return fmt.Errorf("configuration: token lifetimes must be positive")
	}
	switch c.Elevation {
	case "disabled", "recommended", "required":
	default:
		return fmt.Errorf("configuration: AUTH_REQUIRE_ELEVATED_CLAIM must be disabled, recommended or required, not %q", c.Elevation)
	}
	if c.SMSOn && c.SMSProvider == "" {
		c.SMSProvider = "dev"
	}
	if c.SMSOn && c.SMSProvider != "dev" {
		return fmt.Errorf("configuration: AUTH_SMS_PROVIDER: the emulator sends SMS only through the \"dev\" provider")
	}
	for name, p := range c.Providers {
		_, known := providerDefaults[name]
		if !known && p.Issuer == "" && (p.AuthURL == "" || p.TokenURL == "" || p.UserinfoURL == "") {
			up := strings.ToUpper(name)
			return fmt.Errorf("configuration: provider %s: the emulator has no built-in endpoints for it; set AUTH_EMULATOR_PROVIDER_%s_ISSUER (an OpenID provider) or its _AUTH_URL, _TOKEN_URL and _USERINFO_URL", name, up)
		}
		if p.ClientID == "" {
			return fmt.Errorf("configuration: AUTH_PROVIDER_%s_CLIENT_ID is required when the provider is enabled", strings.ToUpper(name))
		}
	}
	if c.WebAuthnOn {
		if u, err := url.Parse(c.ClientURL); err == nil && u.Host != "" {
			if c.WebAuthnRPID == "" {
				c.WebAuthnRPID = u.Hostname()
			}
			if len(c.WebAuthnOrigins) == 0 {
				c.WebAuthnOrigins = []string{u.Scheme + "://" + u.Host}
			}
		}
		if c.WebAuthnRPID == "" || len(c.WebAuthnOrigins) == 0 {
			return fmt.Errorf("configuration: WebAuthn needs AUTH_WEBAUTHN_RP_ID and AUTH_WEBAUTHN_RP_ORIGINS (or AUTH_CLIENT_URL to derive them)")
		}
	}
	if !contains(c.AllowedRoles, c.DefaultRole) {
		c.AllowedRoles = append(c.AllowedRoles, c.DefaultRole)
	}
	if !contains(c.Locales, c.DefaultLocale) {
		c.Locales = append(c.Locales, c.DefaultLocale)
	}
	sort.Strings(c.AllowedRoles)
	return nil
}

// parseSeedClients reads "id[:secret]@uri[ uri…]" entries, comma-separated.
func parseSeedClients(v string) ([]SeedClient, error) {
	var out []SeedClient
	for _, entry := range splitList(v) {
		cred, uris, ok := strings.Cut(entry, "@")
		if !ok || cred == "" || strings.TrimSpace(uris) == "" {
			return nil, fmt.Errorf("%q is not id[:secret]@redirect-uri", entry)
		}
		id, secret, _ := strings.Cut(cred, ":")
		out = append(out, SeedClient{ID: id, Secret: secret, RedirectURIs: strings.Fields(uris)})
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Environ is os.Getenv, for Load.
func Environ(name string) string { return os.Getenv(name) }

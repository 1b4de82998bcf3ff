package emulator

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"sort"
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

	TemplatesPath string // AUTH_EMAIL_TEMPLATES_PATH: templates over the built-in ones
	MetadataMax   int    // AUTH_EMULATOR_METADATA_MAX_BYTES: largest metadata accepted
	MailboxSize   int    // AUTH_EMULATOR_MAILBOX_SIZE: messages /emulator/mail keeps
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
		MetadataMax:   64 << 10,
		MailboxSize:   200,

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

// Load builds a Config from defaults, then the environment (getenv), then
// command-line flags (args, without the program name). Flags win.
func Load(args []string, getenv func(string) string) (Config, error) {
	c := Defaults()
	rows := settings(&c)
	errs := applyEnv(rows, getenv)
	for _, name := range ProviderNames {
		p := &ProviderConfig{}
		errs = append(errs, applyEnv(providerSettings(p, strings.ToUpper(name)), getenv)...)
		if p.Enabled {
			c.Providers[name] = p
		}
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	fs := flag.NewFlagSet("nhost-auth-emulator", flag.ContinueOnError)
	dev := fs.Bool("dev", false, "demo profile: every sign-in method, passkeys and the OAuth2 provider on, anonymous users, no email verification, any loopback redirect allowed")
	for _, r := range rows {
		if r.flag != "" {
			fs.Var(r.val, r.flag, strings.ReplaceAll(r.doc, "`", "")+" ("+r.env+")")
		}
	}
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: nhost-auth-emulator [flags]\n\nA local, wire-compatible Nhost Auth server, for development and tests only.\nFlags override these environment variables:\n")
		for _, r := range rows {
			fmt.Fprintf(w, "  %s\n", r.env)
		}
		fmt.Fprintf(w, "  AUTH_PROVIDER_{NAME}_ENABLED, _CLIENT_ID, _CLIENT_SECRET, _SCOPE, _AUDIENCE\n  AUTH_EMULATOR_PROVIDER_{NAME}_ISSUER, _AUTH_URL, _TOKEN_URL, _USERINFO_URL, _JWKS_URL\n  (NAME: %s)\n\nFlags:\n", strings.ToUpper(strings.Join(ProviderNames, ", ")))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if *dev {
		c.ApplyDev()
	}
	return c, c.check()
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
	if c.TemplatesPath != "" {
		if st, err := os.Stat(c.TemplatesPath); err != nil || !st.IsDir() {
			return fmt.Errorf("configuration: AUTH_EMAIL_TEMPLATES_PATH: %q is not a directory", c.TemplatesPath)
		}
	}
	if c.MetadataMax <= 0 {
		return fmt.Errorf("configuration: AUTH_EMULATOR_METADATA_MAX_BYTES must be positive")
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

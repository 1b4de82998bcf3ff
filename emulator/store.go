package emulator

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite" // pure-Go SQLite driver ("sqlite")
	sqlite3 "modernc.org/sqlite/lib"
)

// migrations are applied in order, once each; never edit a released one,
// append a new one instead.
var migrations = []string{
	// 1: accounts and sessions.
	`CREATE TABLE users (
		id TEXT PRIMARY KEY,
		created_at TEXT NOT NULL,
		display_name TEXT NOT NULL,
		avatar_url TEXT NOT NULL,
		locale TEXT NOT NULL,
		email TEXT COLLATE NOCASE UNIQUE,
		phone_number TEXT UNIQUE,
		password_hash TEXT,
		email_verified INTEGER NOT NULL DEFAULT 0,
		phone_number_verified INTEGER NOT NULL DEFAULT 0,
		is_anonymous INTEGER NOT NULL DEFAULT 0,
		disabled INTEGER NOT NULL DEFAULT 0,
		default_role TEXT NOT NULL,
		roles TEXT NOT NULL,
		metadata TEXT,
		active_mfa_type TEXT,
		ticket TEXT UNIQUE,
		ticket_expires_at TEXT
	);
	CREATE TABLE refresh_tokens (
		id TEXT PRIMARY KEY,
		token_hash TEXT NOT NULL UNIQUE,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		type TEXT NOT NULL DEFAULT 'regular',
		expires_at TEXT NOT NULL,
		created_at TEXT NOT NULL,
		metadata TEXT
	);
	CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
	CREATE TABLE signing_keys (
		kid TEXT PRIMARY KEY,
		private_key_pem TEXT NOT NULL,
		created_at TEXT NOT NULL
	);`,
	// 2: email change, one-time passwords, TOTP and security keys.
	`ALTER TABLE users ADD COLUMN new_email TEXT;
	ALTER TABLE users ADD COLUMN otp_hash TEXT;
	ALTER TABLE users ADD COLUMN otp_method TEXT;
	ALTER TABLE users ADD COLUMN otp_expires_at TEXT;
	ALTER TABLE users ADD COLUMN totp_secret TEXT;
	CREATE TABLE security_keys (
		id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		credential_id TEXT NOT NULL UNIQUE,
		public_key BLOB,
		counter INTEGER NOT NULL DEFAULT 0,
		transports TEXT NOT NULL DEFAULT '',
		nickname TEXT
	);
	CREATE INDEX security_keys_user ON security_keys(user_id);`,
	// 3: PKCE codes, provider accounts, and Nhost as an OAuth2 provider.
	`CREATE TABLE pkce_codes (
		code_hash TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		code_challenge TEXT NOT NULL,
		expires_at TEXT NOT NULL
	);
	CREATE TABLE user_providers (
		id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		provider_id TEXT NOT NULL,
		provider_user_id TEXT NOT NULL,
		access_token TEXT,
		refresh_token TEXT,
		expires_at TEXT,
		created_at TEXT NOT NULL,
		UNIQUE (provider_id, provider_user_id),
		UNIQUE (user_id, provider_id)
	);
	CREATE TABLE oauth2_clients (
		client_id TEXT PRIMARY KEY,
		client_secret_hash TEXT,
		client_name TEXT NOT NULL DEFAULT '',
		redirect_uris TEXT NOT NULL,
		scopes TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE oauth2_auth_requests (
		id TEXT PRIMARY KEY,
		client_id TEXT NOT NULL REFERENCES oauth2_clients(client_id) ON DELETE CASCADE,
		redirect_uri TEXT NOT NULL,
		scopes TEXT NOT NULL,
		state TEXT,
		nonce TEXT,
		code_challenge TEXT,
		code_challenge_method TEXT,
		user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
		code_hash TEXT UNIQUE,
		code_expires_at TEXT,
		expires_at TEXT NOT NULL
	);
	CREATE TABLE oauth2_refresh_tokens (
		token_hash TEXT PRIMARY KEY,
		client_id TEXT NOT NULL REFERENCES oauth2_clients(client_id) ON DELETE CASCADE,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		scopes TEXT NOT NULL,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL
	);`,
	// 4: the whole WebAuthn credential (flags, AAGUID, attestation) as JSON.
	`ALTER TABLE security_keys ADD COLUMN credential TEXT;`,
	// 5: wrong tries of the live one-time password.
	`ALTER TABLE users ADD COLUMN otp_attempts INTEGER NOT NULL DEFAULT 0;`,
	// 6: emails compared by their key (NFC, case-folded; see emailKey), the
	// address itself kept as given.
	`ALTER TABLE users ADD COLUMN email_key TEXT;
	UPDATE users SET email_key = lower(email) WHERE email IS NOT NULL;
	CREATE UNIQUE INDEX users_email_key ON users(email_key);`,
	// 7: times in the fixed-width layout (storedTime); older rows keep ms.
	fixedWidthTimes(map[string][]string{
		"users":                 {"created_at", "ticket_expires_at", "otp_expires_at"},
		"refresh_tokens":        {"expires_at", "created_at"},
		"signing_keys":          {"created_at"},
		"pkce_codes":            {"expires_at"},
		"user_providers":        {"expires_at", "created_at"},
		"oauth2_clients":        {"created_at"},
		"oauth2_auth_requests":  {"code_expires_at", "expires_at"},
		"oauth2_refresh_tokens": {"created_at", "expires_at"},
	}),
}

// fixedWidthTimes rewrites RFC 3339 text columns in the storedTime layout.
func fixedWidthTimes(tables map[string][]string) string {
	names := make([]string, 0, len(tables))
	for t := range tables {
		names = append(names, t)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, t := range names {
		for _, c := range tables[t] {
			b.WriteString("UPDATE " + t + " SET " + c + " = strftime('%Y-%m-%dT%H:%M:%f', " + c + ") || '000Z' WHERE " + c + " IS NOT NULL;\n")
		}
	}
	return b.String()
}

// isUnique reports a unique or primary key violation, by SQLite's code.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code()
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// emailKey is what makes two addresses the same account: Unicode NFC and
// full case folding (the database's NOCASE folds ASCII only).
func emailKey(email string) any {
	if email == "" {
		return nil
	}
	return cases.Fold().String(norm.NFC.String(email))
}

// SchemaVersion is the schema version this emulator migrates to.
var SchemaVersion = len(migrations)

// Store is the emulator's database.
type Store struct {
	db    *sql.DB
	clock func() time.Time // what "now" is for expiry; time.Now unless a test says otherwise
}

// OpenStore opens (creating if needed) the SQLite database at path, or an
// in-memory one for ":memory:", and applies pending migrations.
func OpenStore(path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate"
	if path == ":memory:" {
		// One shared connection: each new connection to :memory: is a new database.
		dsn = "file::memory:?_pragma=foreign_keys(1)&_txlock=immediate"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, clock: time.Now}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	var current int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return err
	}
	if current > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this emulator (%d)", current, len(migrations))
	}
	for v := current + 1; v <= len(migrations); v++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, s.now())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}

// SchemaVersion returns the number of applied migrations.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// now is the store's clock as stored text.
func (s *Store) now() string { return formatTime(s.clock()) }

// storedTime is how times are kept: UTC, µs, fixed width, so that SQL
// compares them right as text (trimmed trailing zeros, as RFC 3339 writes
// them, made "…:05Z" sort after "…:05.5Z").
const storedTime = "2006-01-02T15:04:05.000000Z"

// formatTime is a time as stored.
func formatTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format(storedTime)
}

// wireTime is a stored time as the real server sends it: RFC 3339, µs,
// trailing zeros trimmed.
func wireTime(stored string) string {
	return parseTime(stored).Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// hashToken is how refresh tokens are kept: never in clear text.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// User is a row of the users table.
type User struct {
	ID                  string
	CreatedAt           string
	DisplayName         string
	AvatarURL           string
	Locale              string
	Email               string
	PhoneNumber         string
	PasswordHash        string
	EmailVerified       bool
	PhoneNumberVerified bool
	IsAnonymous         bool
	Disabled            bool
	DefaultRole         string
	Roles               []string
	Metadata            map[string]any // nil when none
	ActiveMfaType       string
}

// ErrNotFound is returned when no row matches.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique value (email, phone) is taken.
var ErrConflict = errors.New("already exists")

const userColumns = `id, created_at, display_name, avatar_url, locale, COALESCE(email, ''), COALESCE(phone_number, ''),
	COALESCE(password_hash, ''), email_verified, phone_number_verified, is_anonymous, disabled, default_role, roles,
	metadata, COALESCE(active_mfa_type, '')`

type scanner interface{ Scan(...any) error }

func scanUser(row scanner) (*User, error) {
	var u User
	var roles string
	var meta sql.NullString
	err := row.Scan(&u.ID, &u.CreatedAt, &u.DisplayName, &u.AvatarURL, &u.Locale, &u.Email, &u.PhoneNumber,
		&u.PasswordHash, &u.EmailVerified, &u.PhoneNumberVerified, &u.IsAnonymous, &u.Disabled, &u.DefaultRole,
		&roles, &meta, &u.ActiveMfaType)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u.Roles = splitList(roles)
	u.CreatedAt = wireTime(u.CreatedAt)
	if meta.Valid && meta.String != "" {
		if err := json.Unmarshal([]byte(meta.String), &u.Metadata); err != nil {
			return nil, fmt.Errorf("user %s: metadata: %w", u.ID, err)
		}
	}
	return &u, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func encodeMetadata(m map[string]any) (any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// CreateUser inserts u; an email or phone number already in use gives ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	meta, err := encodeMetadata(u.Metadata)
	if err != nil {
		return err
	}
	roles := append([]string(nil), u.Roles...)
	sort.Strings(roles)
	u.Roles = roles
	_, err = s.db.ExecContext(ctx, `INSERT INTO users (id, created_at, display_name, avatar_url, locale, email, email_key,
		phone_number, password_hash, email_verified, phone_number_verified, is_anonymous, disabled, default_role,
		roles, metadata) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		u.ID, formatTime(parseTime(u.CreatedAt)), u.DisplayName, u.AvatarURL, u.Locale, nullable(u.Email), emailKey(u.Email), nullable(u.PhoneNumber),
		nullable(u.PasswordHash), u.EmailVerified, u.PhoneNumberVerified, u.IsAnonymous, u.Disabled,
		u.DefaultRole, strings.Join(roles, ","), meta)
	if err != nil && isUnique(err) {
		return ErrConflict
	}
	return err
}

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id string) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByEmail returns a user by email, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email_key = ?`, emailKey(email)))
}

// SetDisabled disables or enables a user (the real server's admins do this in the database).
func (s *Store) SetDisabled(ctx context.Context, id string, disabled bool) error {
	return s.exec1(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
}

func (s *Store) exec1(ctx context.Context, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SetTicket stores a user's one ticket slot: a later ticket replaces an
// earlier one, as on the real server.
func (s *Store) SetTicket(ctx context.Context, userID, ticket string, expires time.Time) error {
	return s.exec1(ctx, `UPDATE users SET ticket = ?, ticket_expires_at = ? WHERE id = ?`, ticket, formatTime(expires), userID)
}

// TakeTicket consumes a live ticket and returns its user. An unknown,
// used or expired ticket gives ErrNotFound.
func (s *Store) TakeTicket(ctx context.Context, ticket string) (*User, error) {
	var u *User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE ticket = ? AND ticket_expires_at > ?`, ticket, s.now()))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET ticket = NULL, ticket_expires_at = NULL WHERE id = ?`, u.ID)
		return err
	})
	return u, err
}

// SetEmailVerified marks a user's email verified.
func (s *Store) SetEmailVerified(ctx context.Context, id string) error {
	return s.exec1(ctx, `UPDATE users SET email_verified = 1 WHERE id = ?`, id)
}

// RefreshToken is a row of refresh_tokens.
type RefreshToken struct {
	ID        string
	UserID    string
	Type      string
	ExpiresAt time.Time
}

// CreateRefreshToken stores a new token for a user and returns its id.
func (s *Store) CreateRefreshToken(ctx context.Context, userID, token, typ string, expires time.Time) (string, error) {
	id := newID()
	_, err := s.db.ExecContext(ctx, `INSERT INTO refresh_tokens (id, token_hash, user_id, type, expires_at, created_at) VALUES (?,?,?,?,?,?)`,
		id, hashToken(token), userID, typ, formatTime(expires), s.now())
	return id, err
}

// RotateRefreshToken replaces a live regular token with next, keeping its
// id and extending its expiry. The swap is one statement, so of two
// concurrent uses of the same token exactly one succeeds.
func (s *Store) RotateRefreshToken(ctx context.Context, old, next string, expires time.Time) (*RefreshToken, error) {
	var rt RefreshToken
	var exp string
	err := s.db.QueryRowContext(ctx, `UPDATE refresh_tokens SET token_hash = ?, expires_at = ?
		WHERE token_hash = ? AND type = 'regular' AND expires_at > ? RETURNING id, user_id, type, expires_at`,
		hashToken(next), formatTime(expires), hashToken(old), s.now()).Scan(&rt.ID, &rt.UserID, &rt.Type, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	rt.ExpiresAt = parseTime(exp)
	return &rt, err
}

// RefreshTokenOwner returns the user of a live regular refresh token.
func (s *Store) RefreshTokenOwner(ctx context.Context, token string) (string, error) {
	return s.tokenOwner(ctx, token, "regular")
}

// tokenOwner returns the user of a live token of a type ("regular", "pat").
func (s *Store) tokenOwner(ctx context.Context, token, typ string) (string, error) {
	var userID string
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM refresh_tokens WHERE token_hash = ? AND type = ? AND expires_at > ?`,
		hashToken(token), typ, s.now()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return userID, err
}

// DeleteRefreshToken deletes one token (of any type); unknown tokens are fine.
func (s *Store) DeleteRefreshToken(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM refresh_tokens WHERE token_hash = ?`, hashToken(token))
	return err
}

// DeleteUserRefreshTokens deletes every token of a user, of every type.
func (s *Store) DeleteUserRefreshTokens(ctx context.Context, userID string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM refresh_tokens WHERE user_id = ?`, userID)
	return err
}

// SigningKey returns the stored signing key, creating one with gen on first use.
func (s *Store) SigningKey(ctx context.Context, gen func() (kid, pem string, err error)) (kid, pem string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT kid, private_key_pem FROM signing_keys ORDER BY created_at LIMIT 1`).Scan(&kid, &pem)
	if err == nil {
		return kid, pem, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	if kid, pem, err = gen(); err != nil {
		return "", "", err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO signing_keys (kid, private_key_pem, created_at) VALUES (?,?,?)`, kid, pem, s.now())
	return kid, pem, err
}

// UserByPhone returns a user by phone number.
func (s *Store) UserByPhone(ctx context.Context, phone string) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE phone_number = ?`, phone))
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, id, hash string) error {
	return s.exec1(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
}

// RequestEmailChange keeps the new address until its link is followed, in
// the user's ticket slot. As on the real server, the request itself marks
// the email verified.
func (s *Store) RequestEmailChange(ctx context.Context, id, newEmail, ticket string, expires time.Time) error {
	return s.exec1(ctx, `UPDATE users SET new_email = ?, ticket = ?, ticket_expires_at = ?, email_verified = 1 WHERE id = ?`,
		newEmail, ticket, formatTime(expires), id)
}

// ApplyEmailChange moves new_email into email; ErrConflict if it was taken meanwhile.
func (s *Store) ApplyEmailChange(ctx context.Context, id string) error {
	var next sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT new_email FROM users WHERE id = ?`, id).Scan(&next); err != nil || !next.Valid {
		return err
	}
	_, err := s.db.ExecContext(ctx, `UPDATE users SET email = new_email, email_key = ?, new_email = NULL, email_verified = 1
		WHERE id = ? AND new_email = ?`, emailKey(next.String), id, next.String)
	if err != nil && isUnique(err) {
		return ErrConflict
	}
	return err
}

// SetOTP stores a one-time password's hash for a method ("email", "sms").
func (s *Store) SetOTP(ctx context.Context, id, method, hash string, expires time.Time) error {
	return s.exec1(ctx, `UPDATE users SET otp_hash = ?, otp_method = ?, otp_expires_at = ?, otp_attempts = 0 WHERE id = ?`,
		hash, method, formatTime(expires), id)
}

// FailOTP counts a wrong try of a user's live one-time password hash and
// forgets the password at the max-th: it reports whether it did.
func (s *Store) FailOTP(ctx context.Context, id, hash string, max int) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `UPDATE users SET otp_attempts = otp_attempts + 1 WHERE id = ? AND otp_hash = ?
		RETURNING otp_attempts`, id, hash).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // used or replaced meanwhile
	}
	if err != nil || n < max {
		return false, err
	}
	return true, s.TakeOTP(ctx, id, hash)
}

// OTP returns a user's live one-time password hash for method, or ErrNotFound.
func (s *Store) OTP(ctx context.Context, id, method string) (string, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT otp_hash FROM users WHERE id = ? AND otp_method = ? AND otp_hash IS NOT NULL
		AND otp_expires_at > ?`, id, method, s.now()).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return hash, err
}

// TakeOTP consumes a user's one-time password if it is still hash: of two
// concurrent uses, one wins.
func (s *Store) TakeOTP(ctx context.Context, id, hash string) error {
	return s.exec1(ctx, `UPDATE users SET otp_hash = NULL, otp_method = NULL, otp_expires_at = NULL WHERE id = ? AND otp_hash = ?`, id, hash)
}

// SetTOTPSecret stores a new TOTP secret (replacing any, even an active one).
func (s *Store) SetTOTPSecret(ctx context.Context, id, secret string) error {
	return s.exec1(ctx, `UPDATE users SET totp_secret = ? WHERE id = ?`, secret, id)
}

// TOTPSecret returns a user's TOTP secret, "" when none.
func (s *Store) TOTPSecret(ctx context.Context, id string) (string, error) {
	var secret sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE id = ?`, id).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return secret.String, err
}

// SetActiveMFA sets the active MFA type ("totp"), or clears it ("").
func (s *Store) SetActiveMFA(ctx context.Context, id, typ string) error {
	return s.exec1(ctx, `UPDATE users SET active_mfa_type = ? WHERE id = ?`, nullable(typ), id)
}

// CreatePAT stores a personal access token (a refresh token of type "pat").
func (s *Store) CreatePAT(ctx context.Context, userID, token string, expires time.Time, metadata map[string]any) (string, error) {
	meta, err := encodeMetadata(metadata)
	if err != nil {
		return "", err
	}
	id := newID()
	_, err = s.db.ExecContext(ctx, `INSERT INTO refresh_tokens (id, token_hash, user_id, type, expires_at, created_at, metadata) VALUES (?,?,?,?,?,?,?)`,
		id, hashToken(token), userID, "pat", formatTime(expires), s.now(), meta)
	return id, err
}

// PATOwner returns the user of a live personal access token.
func (s *Store) PATOwner(ctx context.Context, token string) (string, error) {
	return s.tokenOwner(ctx, token, "pat")
}

// Deanonymize turns an anonymous user into a regular one, keeping its id.
func (s *Store) Deanonymize(ctx context.Context, u *User) error {
	meta, err := encodeMetadata(u.Metadata)
	if err != nil {
		return err
	}
	roles := append([]string(nil), u.Roles...)
	sort.Strings(roles)
	_, err = s.db.ExecContext(ctx, `UPDATE users SET is_anonymous = 0, email = ?, email_key = ?, password_hash = ?, display_name = ?,
		avatar_url = ?, locale = ?, default_role = ?, roles = ?, metadata = ?, email_verified = ? WHERE id = ? AND is_anonymous = 1`,
		nullable(u.Email), emailKey(u.Email), nullable(u.PasswordHash), u.DisplayName, u.AvatarURL, u.Locale, u.DefaultRole,
		strings.Join(roles, ","), meta, u.EmailVerified, u.ID)
	if err != nil && isUnique(err) {
		return ErrConflict
	}
	return err
}

// SetPhoneVerified marks a user's phone number verified.
func (s *Store) SetPhoneVerified(ctx context.Context, id string) error {
	return s.exec1(ctx, `UPDATE users SET phone_number_verified = 1 WHERE id = ?`, id)
}

// HasSecurityKey reports whether a user has a WebAuthn security key.
func (s *Store) HasSecurityKey(ctx context.Context, userID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM security_keys WHERE user_id = ?`, userID).Scan(&n)
	return n > 0, err
}

// AddSecurityKey stores a WebAuthn credential for a user.
func (s *Store) AddSecurityKey(ctx context.Context, userID, credentialID string, publicKey []byte, nickname string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO security_keys (id, user_id, credential_id, public_key, nickname) VALUES (?,?,?,?,?)`,
		newID(), userID, credentialID, publicKey, nullable(nickname))
	return err
}

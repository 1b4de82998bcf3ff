package emulator

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
)

// PKCE codes: what a redirect carries instead of a refresh token when the
// flow began with a code challenge; kept hashed, single use.

// CreatePKCECode stores the hash of code for userID under challenge.
func (s *Store) CreatePKCECode(ctx context.Context, userID, code, challenge string, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO pkce_codes (code_hash, user_id, code_challenge, expires_at) VALUES (?,?,?,?)`,
		hashToken(code), userID, challenge, formatTime(expires))
	return err
}

// TakePKCECode consumes code if it is unexpired and was issued for
// challenge, and returns its user; otherwise ErrNotFound (and a code whose
// challenge does not match stays usable by the verifier it was made for).
func (s *Store) TakePKCECode(ctx context.Context, code, challenge string) (string, error) {
	var userID string
	err := s.db.QueryRowContext(ctx, `DELETE FROM pkce_codes WHERE code_hash = ? AND code_challenge = ? AND expires_at > ?
		RETURNING user_id`, hashToken(code), challenge, s.now()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return userID, err
}

// ProviderAccount is a row of user_providers: a user's account at an
// OAuth provider, with the provider's latest tokens.
type ProviderAccount struct {
	UserID, Provider, ProviderUserID string
	AccessToken, RefreshToken        string
	ExpiresAt                        time.Time
}

// ProviderAccount returns the account of providerUserID at provider.
func (s *Store) ProviderAccount(ctx context.Context, provider, providerUserID string) (*ProviderAccount, error) {
	return scanProviderAccount(s.db.QueryRowContext(ctx, `SELECT user_id, provider_id, provider_user_id,
		COALESCE(access_token, ''), COALESCE(refresh_token, ''), COALESCE(expires_at, '')
		FROM user_providers WHERE provider_id = ? AND provider_user_id = ?`, provider, providerUserID))
}

// UserProviderAccount returns userID's account at provider.
func (s *Store) UserProviderAccount(ctx context.Context, userID, provider string) (*ProviderAccount, error) {
	return scanProviderAccount(s.db.QueryRowContext(ctx, `SELECT user_id, provider_id, provider_user_id,
		COALESCE(access_token, ''), COALESCE(refresh_token, ''), COALESCE(expires_at, '')
		FROM user_providers WHERE user_id = ? AND provider_id = ?`, userID, provider))
}

func scanProviderAccount(row scanner) (*ProviderAccount, error) {
	var a ProviderAccount
	var exp string
	err := row.Scan(&a.UserID, &a.Provider, &a.ProviderUserID, &a.AccessToken, &a.RefreshToken, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if exp != "" {
		a.ExpiresAt = parseTime(exp)
	}
	return &a, err
}

// LinkProvider records that userID is providerUserID at provider; an
// account already linked (to anyone) gives ErrConflict.
func (s *Store) LinkProvider(ctx context.Context, userID, provider, providerUserID string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_providers (id, user_id, provider_id, provider_user_id, created_at)
		VALUES (?,?,?,?,?)`, newID(), userID, provider, providerUserID, s.now())
	if err != nil && isUnique(err) {
		return ErrConflict
	}
	return err
}

// SetProviderTokens keeps the provider's latest tokens for an account; an
// empty refresh token keeps the one stored (providers often send it once).
func (s *Store) SetProviderTokens(ctx context.Context, provider, providerUserID, access, refresh string, expires time.Time) error {
	return s.exec1(ctx, `UPDATE user_providers SET access_token = ?, refresh_token = COALESCE(?, refresh_token), expires_at = ?
		WHERE provider_id = ? AND provider_user_id = ?`, access, nullable(refresh), formatTime(expires), provider, providerUserID)
}

// ProviderAccountByRefreshToken finds the account whose provider refresh
// token is refresh.
func (s *Store) ProviderAccountByRefreshToken(ctx context.Context, provider, refresh string) (*ProviderAccount, error) {
	return scanProviderAccount(s.db.QueryRowContext(ctx, `SELECT user_id, provider_id, provider_user_id,
		COALESCE(access_token, ''), COALESCE(refresh_token, ''), COALESCE(expires_at, '')
		FROM user_providers WHERE provider_id = ? AND refresh_token = ?`, provider, refresh))
}

// OAuth2Client is a client registered with Nhost as an OAuth2 provider.
type OAuth2Client struct {
	ID, SecretHash, Name string // SecretHash is empty for a public client
	RedirectURIs, Scopes []string
}

// CreateOAuth2Client registers c; a taken client id gives ErrConflict.
func (s *Store) CreateOAuth2Client(ctx context.Context, c *OAuth2Client) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO oauth2_clients (client_id, client_secret_hash, client_name, redirect_uris, scopes, created_at)
		VALUES (?,?,?,?,?,?)`, c.ID, nullable(c.SecretHash), c.Name, strings.Join(c.RedirectURIs, " "), strings.Join(c.Scopes, " "), s.now())
	if err != nil && isUnique(err) {
		return ErrConflict
	}
	return err
}

// OAuth2Client returns a registered client.
func (s *Store) OAuth2Client(ctx context.Context, id string) (*OAuth2Client, error) {
	var c OAuth2Client
	var uris, scopes string
	err := s.db.QueryRowContext(ctx, `SELECT client_id, COALESCE(client_secret_hash, ''), client_name, redirect_uris, scopes
		FROM oauth2_clients WHERE client_id = ?`, id).Scan(&c.ID, &c.SecretHash, &c.Name, &uris, &scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	c.RedirectURIs, c.Scopes = strings.Fields(uris), strings.Fields(scopes)
	return &c, err
}

// OAuth2Request is an authorization request on its way through the login
// page: created by /oauth2/authorize, given a user and a code by the
// login, consumed by /oauth2/token.
type OAuth2Request struct {
	ID, ClientID, RedirectURI string
	Scopes                    []string
	State, Nonce              string
	Challenge, Method         string
	UserID                    string
	Expires                   time.Time
}

const oauth2RequestColumns = `id, client_id, redirect_uri, scopes, COALESCE(state, ''), COALESCE(nonce, ''),
	COALESCE(code_challenge, ''), COALESCE(code_challenge_method, ''), COALESCE(user_id, ''), expires_at`

// scanOAuth2Request reads oauth2RequestColumns, then any extra columns into extra.
func scanOAuth2Request(row scanner, extra ...any) (*OAuth2Request, error) {
	var q OAuth2Request
	var scopes, exp string
	err := row.Scan(append([]any{&q.ID, &q.ClientID, &q.RedirectURI, &scopes, &q.State, &q.Nonce, &q.Challenge, &q.Method,
		&q.UserID, &exp}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	q.Scopes, q.Expires = strings.Fields(scopes), parseTime(exp)
	return &q, err
}

// CreateOAuth2Request stores q.
func (s *Store) CreateOAuth2Request(ctx context.Context, q *OAuth2Request) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO oauth2_auth_requests (id, client_id, redirect_uri, scopes, state, nonce,
		code_challenge, code_challenge_method, expires_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		q.ID, q.ClientID, q.RedirectURI, strings.Join(q.Scopes, " "), nullable(q.State), nullable(q.Nonce),
		nullable(q.Challenge), nullable(q.Method), formatTime(q.Expires))
	return err
}

// OAuth2Request returns an authorization request by id.
func (s *Store) OAuth2Request(ctx context.Context, id string) (*OAuth2Request, error) {
	return scanOAuth2Request(s.db.QueryRowContext(ctx, `SELECT `+oauth2RequestColumns+` FROM oauth2_auth_requests WHERE id = ?`, id))
}

// CompleteOAuth2Request gives a pending request its user and code, once:
// a request already completed gives ErrConflict.
func (s *Store) CompleteOAuth2Request(ctx context.Context, id, userID, code string, codeExpires time.Time) error {
	err := s.exec1(ctx, `UPDATE oauth2_auth_requests SET user_id = ?, code_hash = ?, code_expires_at = ?
		WHERE id = ? AND user_id IS NULL`, userID, hashToken(code), formatTime(codeExpires), id)
	if errors.Is(err, ErrNotFound) {
		return ErrConflict
	}
	return err
}

// TakeOAuth2Code consumes an authorization code and returns its request;
// ErrNotFound when unknown, used or expired.
func (s *Store) TakeOAuth2Code(ctx context.Context, code string) (*OAuth2Request, error) {
	var q *OAuth2Request
	var exp string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		q, err = scanOAuth2Request(tx.QueryRowContext(ctx, `SELECT `+oauth2RequestColumns+`, code_expires_at
			FROM oauth2_auth_requests WHERE code_hash = ?`, hashToken(code)), &exp)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE oauth2_auth_requests SET code_hash = NULL WHERE id = ?`, q.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if parseTime(exp).Before(s.clock()) {
		// Consumed all the same: an expired code is never tried twice.
		return nil, ErrNotFound
	}
	return q, nil
}

// OAuth2Refresh is a refresh token issued to an OAuth2 client.
type OAuth2Refresh struct {
	ClientID, UserID string
	Scopes           []string
	Created, Expires time.Time
}

// CreateOAuth2Refresh stores the hash of token.
func (s *Store) CreateOAuth2Refresh(ctx context.Context, token string, r *OAuth2Refresh) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO oauth2_refresh_tokens (token_hash, client_id, user_id, scopes, created_at, expires_at)
		VALUES (?,?,?,?,?,?)`, hashToken(token), r.ClientID, r.UserID, strings.Join(r.Scopes, " "), s.now(), formatTime(r.Expires))
	return err
}

// OAuth2Refresh returns an unexpired refresh token's row.
func (s *Store) OAuth2Refresh(ctx context.Context, token string) (*OAuth2Refresh, error) {
	var r OAuth2Refresh
	var scopes, created, exp string
	err := s.db.QueryRowContext(ctx, `SELECT client_id, user_id, scopes, created_at, expires_at FROM oauth2_refresh_tokens
		WHERE token_hash = ? AND expires_at > ?`, hashToken(token), s.now()).Scan(&r.ClientID, &r.UserID, &scopes, &created, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	r.Scopes, r.Created, r.Expires = strings.Fields(scopes), parseTime(created), parseTime(exp)
	return &r, err
}

// DeleteOAuth2Refresh removes a refresh token (rotation, revocation).
func (s *Store) DeleteOAuth2Refresh(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM oauth2_refresh_tokens WHERE token_hash = ?`, hashToken(token))
	return err
}

// SeedOAuth2Client registers c, or updates the client of that id.
func (s *Store) SeedOAuth2Client(ctx context.Context, c *OAuth2Client) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO oauth2_clients (client_id, client_secret_hash, client_name, redirect_uris, scopes, created_at)
		VALUES (?,?,?,?,?,?) ON CONFLICT (client_id) DO UPDATE SET client_secret_hash = excluded.client_secret_hash,
		client_name = excluded.client_name, redirect_uris = excluded.redirect_uris, scopes = excluded.scopes`,
		c.ID, nullable(c.SecretHash), c.Name, strings.Join(c.RedirectURIs, " "), strings.Join(c.Scopes, " "), s.now())
	return err
}

// TakeProviderTokens returns userID's provider tokens and forgets them:
// the app reads them once, after the sign-in that brought them.
func (s *Store) TakeProviderTokens(ctx context.Context, userID, provider string) (*ProviderAccount, error) {
	var a *ProviderAccount
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = scanProviderAccount(tx.QueryRowContext(ctx, `SELECT user_id, provider_id, provider_user_id,
			COALESCE(access_token, ''), COALESCE(refresh_token, ''), COALESCE(expires_at, '')
			FROM user_providers WHERE user_id = ? AND provider_id = ?`, userID, provider))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE user_providers SET access_token = NULL, refresh_token = NULL, expires_at = NULL
			WHERE user_id = ? AND provider_id = ?`, userID, provider)
		return err
	})
	return a, err
}

// WebAuthnCredentials returns a user's credentials for go-webauthn.
func (s *Store) WebAuthnCredentials(ctx context.Context, userID string) ([]webauthn.Credential, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT credential FROM security_keys WHERE user_id = ? AND credential IS NOT NULL ORDER BY rowid`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []webauthn.Credential
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddWebAuthnCredential stores a new credential of a user.
func (s *Store) AddWebAuthnCredential(ctx context.Context, userID string, c *webauthn.Credential, nickname string) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	var transports []string
	for _, t := range c.Transport {
		transports = append(transports, string(t))
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO security_keys (id, user_id, credential_id, public_key, counter, transports, nickname, credential)
		VALUES (?,?,?,?,?,?,?,?)`, newID(), userID, base64.RawURLEncoding.EncodeToString(c.ID), c.PublicKey,
		c.Authenticator.SignCount, strings.Join(transports, ","), nullable(nickname), string(raw))
	if err != nil && isUnique(err) {
		return ErrConflict
	}
	return err
}

// UpdateWebAuthnCredential keeps a credential's new sign counter and flags.
func (s *Store) UpdateWebAuthnCredential(ctx context.Context, userID string, c *webauthn.Credential) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.exec1(ctx, `UPDATE security_keys SET counter = ?, credential = ? WHERE user_id = ? AND credential_id = ?`,
		c.Authenticator.SignCount, string(raw), userID, base64.RawURLEncoding.EncodeToString(c.ID))
}

// SecurityKeyID is the id of the security key of a credential.
func (s *Store) SecurityKeyID(ctx context.Context, credentialID []byte) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM security_keys WHERE credential_id = ?`,
		base64.RawURLEncoding.EncodeToString(credentialID)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return id, err
}

// SecurityKey is a user's registered key, as the real server's
// auth.user_security_keys table (and Hasura's GraphQL) gives it.
type SecurityKey struct {
	ID           string `json:"id"`
	Nickname     string `json:"nickname"`
	CredentialID string `json:"credentialId"`
	Counter      int64  `json:"counter"`
	Transports   string `json:"transports"`
}

// SecurityKeys lists a user's keys, oldest first.
func (s *Store) SecurityKeys(ctx context.Context, userID string) ([]SecurityKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, COALESCE(nickname, ''), credential_id, counter, transports
		FROM security_keys WHERE user_id = ? ORDER BY rowid`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SecurityKey{}
	for rows.Next() {
		var k SecurityKey
		if err := rows.Scan(&k.ID, &k.Nickname, &k.CredentialID, &k.Counter, &k.Transports); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

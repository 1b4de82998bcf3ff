package emulator

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// HasuraClaims is the claim that carries Hasura's session variables.
const HasuraClaims = "https://hasura.io/jwt/claims"

// ElevatedClaim marks an access token minted by a WebAuthn elevation.
const ElevatedClaim = "x-hasura-auth-elevated"

func newID() string { return uuid.NewString() }

// keys signs and verifies access tokens with one RS256 key that lives in
// the database, so tokens stay valid across restarts.
type keys struct {
	kid  string
	priv *rsa.PrivateKey
	now  func() time.Time
}

func loadKeys(ctx context.Context, s *Store) (*keys, error) {
	kid, pemText, err := s.SigningKey(ctx, func() (string, string, error) {
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return "", "", err
		}
		der := x509.MarshalPKCS1PrivateKey(priv)
		sum := sha256.Sum256(x509.MarshalPKCS1PublicKey(&priv.PublicKey))
		kid := base64.RawURLEncoding.EncodeToString(sum[:12])
		return kid, string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der})), nil
	})
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("stored signing key is not PEM")
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	return &keys{kid: kid, priv: priv, now: s.clock}, nil
}

// jwk is the public key as a JSON Web Key.
func (k *keys) jwk() map[string]string {
	pub := k.priv.PublicKey
	return map[string]string{
		"alg": "RS256",
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"kid": k.kid,
		"kty": "RSA",
		"n":   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"use": "sig",
	}
}

// accessToken mints an access token for u like the real server's.
func (k *keys) accessToken(u *User, issuer string, ttl time.Duration, elevated bool) (string, error) {
	now := k.now()
	claims := map[string]any{
		"x-hasura-allowed-roles":     u.Roles,
		"x-hasura-default-role":      u.DefaultRole,
		"x-hasura-user-id":           u.ID,
		"x-hasura-user-is-anonymous": strconv.FormatBool(u.IsAnonymous),
	}
	if elevated {
		claims[ElevatedClaim] = u.ID
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"exp":        now.Add(ttl).Unix(),
		"iat":        now.Unix(),
		"iss":        issuer,
		"sub":        u.ID,
		HasuraClaims: claims,
	})
	tok.Header["kid"] = k.kid
	return tok.SignedString(k.priv)
}

// parse verifies an access token's signature and expiry and returns its claims.
func (k *keys) parse(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) {
		return &k.priv.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(k.now))
	if err != nil {
		return nil, err
	}
	return claims, nil
}

// tokenClaims are what the server reads from a verified access token.
type tokenClaims struct {
	UserID   string
	Elevated bool
}

func readClaims(c jwt.MapClaims) tokenClaims {
	var out tokenClaims
	out.UserID, _ = c["sub"].(string)
	if h, ok := c[HasuraClaims].(map[string]any); ok {
		if id, ok := h["x-hasura-user-id"].(string); ok {
			out.UserID = id
		}
		if e, ok := h[ElevatedClaim].(string); ok && e == out.UserID {
			out.Elevated = true
		}
	}
	return out
}

// sign signs any claims with the server's key (OAuth2 and ID tokens).
func (k *keys) sign(claims jwt.MapClaims) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = k.kid
	return tok.SignedString(k.priv)
}

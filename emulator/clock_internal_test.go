package emulator

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every stored expiry holds to the millisecond: a ticket, code or token is
// good one millisecond before its time and refused one after, whatever the
// sub-second digits (they are compared as text in SQL).
func TestExpiryToTheMillisecond(t *testing.T) {
	ctx := context.Background()
	clock := &TestClock{}
	s, err := New(testConfig(), WithClock(clock.Now))
	require.NoError(t, err)
	defer s.Close()
	st := s.Store()
	u := &User{ID: newID(), CreatedAt: wireTime(formatTime(time.Now())), Email: "clock@example.com", DefaultRole: "user", Roles: []string{"user"}, Locale: "en"}
	require.NoError(t, st.CreateUser(ctx, u))

	// Expiries with and without sub-second parts, a second boundary between
	// "before" and "after" for some.
	for _, exp := range []time.Time{
		time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC),
		time.Date(2031, 5, 6, 7, 8, 9, 500_000_000, time.UTC),
		time.Date(2031, 5, 6, 7, 8, 9, 999_000_000, time.UTC),
		time.Date(2031, 5, 6, 7, 8, 10, 1_000_000, time.UTC),
	} {
		before, after := exp.Add(-time.Millisecond), exp.Add(time.Millisecond)
		for _, tc := range []struct {
			name  string
			make  func(token string) error
			check func(token string) error
		}{
			{"ticket", func(tok string) error { return st.SetTicket(ctx, u.ID, tok, exp) },
				func(tok string) error { _, err := st.TakeTicket(ctx, tok); return err }},
			{"refresh token", func(tok string) error { _, err := st.CreateRefreshToken(ctx, u.ID, tok, "regular", exp); return err },
				func(tok string) error { _, err := st.RefreshTokenOwner(ctx, tok); return err }},
			{"personal access token", func(tok string) error { _, err := st.CreatePAT(ctx, u.ID, tok, exp, nil); return err },
				func(tok string) error { _, err := st.PATOwner(ctx, tok); return err }},
			{"PKCE code", func(tok string) error { return st.CreatePKCECode(ctx, u.ID, tok, "challenge", exp) },
				func(tok string) error { _, err := st.TakePKCECode(ctx, tok, "challenge"); return err }},
			{"one-time password", func(tok string) error { return st.SetOTP(ctx, u.ID, "email", tok, exp) },
				func(tok string) error { _, err := st.OTP(ctx, u.ID, "email"); return err }},
		} {
			for _, at := range []time.Time{before, after} {
				clock.Set(time.Now()) // made now, checked at "at"
				tok := newID()
				require.NoError(t, tc.make(tok), tc.name)
				clock.Set(at)
				err := tc.check(tok)
				if at == before {
					assert.NoError(t, err, "%s expiring %s, checked at %s", tc.name, exp.Format(storedTime), at.Format(storedTime))
				} else {
					assert.ErrorIs(t, err, ErrNotFound, "%s expiring %s, checked at %s", tc.name, exp.Format(storedTime), at.Format(storedTime))
				}
			}
		}
	}
}

// Access tokens: exp is in whole seconds (JWT NumericDate); the server's
// clock decides, so a moved clock expires them without waiting.
func TestAccessTokenExpiryFollowsTheClock(t *testing.T) {
	clock := &TestClock{}
	clock.Set(time.Now())
	s, err := New(testConfig(), WithClock(clock.Now))
	require.NoError(t, err)
	defer s.Close()
	u := &User{ID: newID(), DefaultRole: "user", Roles: []string{"user"}}
	tok, err := s.keys.accessToken(u, "hasura-auth", 900*time.Second, false)
	require.NoError(t, err)
	_, err = s.keys.parse(tok)
	require.NoError(t, err)
	clock.Set(clock.Now().Add(899 * time.Second))
	_, err = s.keys.parse(tok)
	require.NoError(t, err, "good just before its exp")
	clock.Set(clock.Now().Add(2 * time.Second))
	_, err = s.keys.parse(tok)
	assert.ErrorContains(t, err, "token is expired")
}

func testConfig() Config {
	c := Defaults()
	c.DB = ":memory:"
	c.BcryptCost = 4
	return c
}

//go:build !(js && wasm)

package core_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nhost-auth-wasm/sdk/core"
	"github.com/nhost-auth-wasm/sdk/core/nethttp"
)

// countingStorage counts reads and can refuse writes (a full quota).
type countingStorage struct {
	core.MemoryStorage
	reads   atomic.Int64
	refuse  atomic.Bool
	refused atomic.Int64
}

func (c *countingStorage) Get() ([]byte, error) {
	c.reads.Add(1)
	return c.MemoryStorage.Get()
}

func (c *countingStorage) Set(data []byte) error {
	if c.refuse.Load() {
		c.refused.Add(1)
		return errors.New("QuotaExceededError: the quota has been exceeded")
	}
	return c.MemoryStorage.Set(data)
}

// The session is read from storage once, not on every request.
func TestRequestsDoNotReadStorage(t *testing.T) {
	ts, _ := emulatorServer(t)
	ctx := context.Background()
	store := &countingStorage{}
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), store)
	_, err := a.SignInAnonymous(ctx, nil)
	require.NoError(t, err)
	before := store.reads.Load()
	for i := 0; i < 20; i++ {
		_, err := a.VerifyToken(ctx, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, before, store.reads.Load(), "no storage read per request")
}

// A storage that refuses the session loses nothing: the sign-in reports
// it, and the session stays the client's for its life (defect 6).
func TestRefusedStorageWriteKeepsTheSessionInMemory(t *testing.T) {
	ts, _ := emulatorServer(t)
	ctx := context.Background()
	store := &countingStorage{}
	store.refuse.Store(true)
	a := core.NewAuthClient(ts.URL, nethttp.New(nil), store)
	_, err := a.SignInAnonymous(ctx, nil)
	var se *core.StorageError
	require.ErrorAs(t, err, &se, "the caller learns that the session was not stored")
	assert.Contains(t, se.Error(), "QuotaExceededError")
	assert.EqualValues(t, 1, store.refused.Load())

	s := a.GetUserSession()
	require.NotNil(t, s, "the session is kept in memory")
	_, err = a.VerifyToken(ctx, nil)
	require.NoError(t, err, "the next request carries the token")

	// A refresh keeps working from memory too, and the session is stored
	// once the backend accepts it again.
	store.refuse.Store(false)
	r, err := a.RefreshSession(ctx, 0)
	require.NoError(t, err)
	assert.NotEqual(t, s.RefreshToken, r.RefreshToken)
	data, _ := store.MemoryStorage.Get()
	stored, err := core.ParseStoredSession(data)
	require.NoError(t, err)
	assert.Equal(t, r.RefreshToken, stored.RefreshToken)
}

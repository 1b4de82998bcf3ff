package core

import (
	"sync"

	"github.com/nhost-auth-wasm/sdk/core/codec"
)

// Storage is where a session is kept: the JSON of a StoredSession.
// Get returns nil when nothing is stored. Implementations: MemoryStorage
// here; localStorage, cookies and any JS object with get/set/remove in
// package jsbridge.
type Storage interface {
	Get() ([]byte, error)
	Set(data []byte) error
	Remove() error
}

// MemoryStorage keeps the session in memory (the default outside browsers).
type MemoryStorage struct {
	mu   sync.Mutex
	data []byte
}

// Get implements Storage.
func (m *MemoryStorage) Get() ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data, nil
}

// Set implements Storage.
func (m *MemoryStorage) Set(data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = append([]byte(nil), data...)
	return nil
}

// Remove implements Storage.
func (m *MemoryStorage) Remove() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = nil
	return nil
}

// SessionStore wraps a Storage: it decodes and validates what is stored,
// and tells subscribers about changes (nhost-js's SessionStorage).
type SessionStore struct {
	backend Storage
	mu      sync.Mutex
	subs    map[int]func(*StoredSession)
	next    int
}

// NewSessionStore returns a store over backend (a MemoryStorage if nil).
func NewSessionStore(backend Storage) *SessionStore {
	if backend == nil {
		backend = &MemoryStorage{}
	}
	return &SessionStore{backend: backend, subs: map[int]func(*StoredSession){}}
}

// Get returns the stored session, or nil. A value that is not a usable
// session (corrupt, foreign, unreadable) is removed and reads as nil.
func (s *SessionStore) Get() *StoredSession {
	data, err := s.backend.Get()
	if err != nil || len(data) == 0 {
		return nil
	}
	sess, err := ParseStoredSession(data)
	if err != nil {
		_ = s.backend.Remove()
		return nil
	}
	return sess
}

// Set stores a session (adding its decoded token) and notifies subscribers.
func (s *SessionStore) Set(sess Session) (*StoredSession, error) {
	stored, err := NewStoredSession(sess)
	if err != nil {
		return nil, err
	}
	data, err := codec.Marshal(stored)
	if err != nil {
		return nil, err
	}
	if err := s.backend.Set(data); err != nil {
		return nil, err
	}
	s.notify(stored)
	return stored, nil
}

// Remove deletes the stored session and notifies subscribers.
func (s *SessionStore) Remove() error {
	err := s.backend.Remove()
	s.notify(nil)
	return err
}

// OnChange calls fn after every Set and Remove; the returned function unsubscribes.
func (s *SessionStore) OnChange(fn func(*StoredSession)) (unsubscribe func()) {
	s.mu.Lock()
	id := s.next
	s.next++
	s.subs[id] = fn
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.subs, id)
		s.mu.Unlock()
	}
}

func (s *SessionStore) notify(sess *StoredSession) {
	s.mu.Lock()
	fns := make([]func(*StoredSession), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		func() {
			defer func() { _ = recover() }() // one bad subscriber must not stop the others
			fn(sess)
		}()
	}
}

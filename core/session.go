package core

import (
	"sync"
	"sync/atomic"

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
	mu       sync.Mutex
	data     []byte
	watchers map[int]func()
	nextID   int
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
	m.data = append([]byte(nil), data...)
	m.mu.Unlock()
	m.changed()
	return nil
}

// Remove implements Storage.
func (m *MemoryStorage) Remove() error {
	m.mu.Lock()
	m.data = nil
	m.mu.Unlock()
	m.changed()
	return nil
}

// Watch implements Watcher: clients sharing one MemoryStorage see each
// other's changes.
func (m *MemoryStorage) Watch(fn func()) (stop func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.watchers == nil {
		m.watchers = map[int]func(){}
	}
	m.nextID++
	id := m.nextID
	m.watchers[id] = fn
	return func() {
		m.mu.Lock()
		delete(m.watchers, id)
		m.mu.Unlock()
	}
}

func (m *MemoryStorage) changed() {
	m.mu.Lock()
	fns := make([]func(), 0, len(m.watchers))
	for _, fn := range m.watchers {
		fns = append(fns, fn)
	}
	m.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Watcher is a Storage that reports changes made through it by others
// (another client, another tab); the session store then reads it again.
// The callback must not block: it only marks the store stale.
type Watcher interface {
	Watch(changed func()) (stop func())
}

// SessionStore owns the client's current session: it is read from the
// Storage once, kept in memory, and written through on every change, so
// that a request costs no storage read. Reload adopts what someone else
// (another tab, the page through its own SessionStorage) wrote since. A
// write the backend refuses (quota, a custom backend that throws) leaves
// the session in memory, where it stays until the backend's value changes.
type SessionStore struct {
	backend Storage
	// mu guards everything below: the current session, the backend value
	// it was read from or written as, and the subscribers.
	mu     sync.Mutex
	loaded bool
	cur    *StoredSession
	raw    string // the backend's value when cur was read or written ("" for none)
	// unsaved: cur is a session the backend refused to store.
	unsaved bool
	subs    map[int]func(*StoredSession)
	next    int
	// stale is set (without the lock) when the backend reports a change;
	// the next Get reads it again.
	stale atomic.Bool
}

// StorageError is a session the storage backend refused to keep: the
// session stays in memory for the life of the client.
type StorageError struct{ Err error }

func (e *StorageError) Error() string {
	return "the session could not be stored (it is kept in memory for now): " + e.Err.Error()
}

func (e *StorageError) Unwrap() error { return e.Err }

// NewSessionStore returns a store over backend (a MemoryStorage if nil).
func NewSessionStore(backend Storage) *SessionStore {
	if backend == nil {
		backend = &MemoryStorage{}
	}
	s := &SessionStore{backend: backend, subs: map[int]func(*StoredSession){}}
	if w, ok := backend.(Watcher); ok {
		w.Watch(s.MarkStale)
	}
	return s
}

// MarkStale tells the store that the backend's value may have changed
// (another tab wrote it, or the page did through its own SessionStorage):
// the next Get reads it again. It never blocks.
func (s *SessionStore) MarkStale() { s.stale.Store(true) }

// Get returns the current session, or nil; the first call reads it from
// the backend. A stored value that is not a usable session (corrupt,
// foreign, unreadable) is removed and reads as nil.
func (s *SessionStore) Get() *StoredSession {
	if s.stale.Swap(false) {
		return s.Reload()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		s.load()
	}
	return s.cur
}

// Reload reads the backend again and adopts its session when its value
// changed since this store last read or wrote it. It returns the current
// session. Subscribers are not told: the change was made elsewhere (another
// tab, the page), and whoever made it tells its own listeners.
func (s *SessionStore) Reload() *StoredSession {
	s.stale.Store(false)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.cur
}

// load reads the backend (s.mu held) and adopts its value when it differs
// from the one cur came from.
func (s *SessionStore) load() {
	data, err := s.backend.Get()
	if err != nil {
		if !s.loaded {
			s.loaded, s.cur, s.raw = true, nil, ""
		}
		return // unreadable now: keep what we have
	}
	raw := string(data)
	if s.loaded && raw == s.raw {
		return
	}
	s.loaded, s.raw, s.cur, s.unsaved = true, raw, nil, false
	if len(data) == 0 {
		return
	}
	sess, err := ParseStoredSession(data)
	if err != nil {
		_ = s.backend.Remove()
		s.raw = ""
		return
	}
	s.cur = sess
}

// Unsaved reports whether the current session is one the backend refused
// to store (it lives in memory only).
func (s *SessionStore) Unsaved() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unsaved
}

// Set makes sess the current session (adding its decoded token), writes
// it to the backend and notifies subscribers. When the backend refuses
// it, the session is still current and the error is a *StorageError.
func (s *SessionStore) Set(sess Session) (*StoredSession, error) {
	stored, err := NewStoredSession(sess)
	if err != nil {
		return nil, err
	}
	data, err := codec.Marshal(stored)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if !s.loaded {
		s.load()
	}
	s.cur = stored
	werr := s.backend.Set(data)
	s.unsaved = werr != nil
	if werr == nil {
		s.raw = string(data)
		s.stale.Store(false) // our own write, reported back by a Watcher
	}
	s.mu.Unlock()
	s.notify(stored)
	if werr != nil {
		return stored, &StorageError{Err: werr}
	}
	return stored, nil
}

// Remove forgets the current session, deletes it from the backend and
// notifies subscribers.
func (s *SessionStore) Remove() error {
	s.mu.Lock()
	s.loaded, s.cur, s.unsaved = true, nil, false
	err := s.backend.Remove()
	if err == nil {
		s.raw = ""
		s.stale.Store(false)
	}
	s.mu.Unlock()
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

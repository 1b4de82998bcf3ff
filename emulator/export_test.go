package emulator

import (
	"sync"
	"time"
)

// TestClock is a clock tests move by hand, for WithClock.
type TestClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *TestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *TestClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *TestClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Row is a settings row as tests see it.
type Row struct{ Env, Current string }

// SettingRows lists the settings table over c.
func SettingRows(c *Config) []Row {
	var out []Row
	for _, s := range settings(c) {
		out = append(out, Row{s.env, s.val.String()})
	}
	return out
}

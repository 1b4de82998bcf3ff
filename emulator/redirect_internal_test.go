package emulator

import (
	"testing"
	"time"
)

// The allow-list matches parsed URLs: port wildcards work, and prefix
// tricks do not pass.
func TestRedirectMatches(t *testing.T) {
	for _, tc := range []struct {
		target, pattern string
		want            bool
	}{
		{"http://localhost:3000/cb", "http://localhost:*", true},
		{"http://localhost/cb", "http://localhost:*", true},
		{"http://127.0.0.1:5173/", "http://127.0.0.1:*", true},
		{"http://localhost.evil.example:3000/", "http://localhost:*", false},
		{"https://localhost:3000/", "http://localhost:*", false},
		{"http://localhost:3000/cb", "http://localhost:3000", true},
		{"http://localhost:3001/cb", "http://localhost:3000", false},
		{"https://a.example.com/x", "https://*.example.com", true},
		{"https://a.b.example.com/x", "https://*.example.com", false},
		{"https://APP.example.com/x", "https://app.example.com", true},
		{"https://app.example.com/app", "https://app.example.com/app", true},
		{"https://app.example.com/app/", "https://app.example.com/app", true},
		{"https://app.example.com/app/x?y=1#z", "https://app.example.com/app/", true},
		{"https://app.example.com/application", "https://app.example.com/app", false},
		{"https://app.example.com/app/../admin", "https://app.example.com/app", false},
		{"https://app.example.com/app/%2e%2e/admin", "https://app.example.com/app", false},
		{"https://app.example.com/app%2F..%2Fadmin", "https://app.example.com/app", false},
		{"https://app.example.com/app/./x", "https://app.example.com/app", false},
		{"https://app.example.com/", "https://app.example.com/app", false},
		{"https://app.example.com.evil.example/app", "https://app.example.com/app", false},
		{"https://user@app.example.com/app", "https://app.example.com/app", true},
		{"javascript:alert(1)", "https://app.example.com", false},
		{"//app.example.com/app", "https://app.example.com", false},
		{"https://app.example.com", "https://app.example.com/?x=1", true},
	} {
		if got := redirectMatches(tc.target, tc.pattern); got != tc.want {
			t.Errorf("redirectMatches(%q, %q) = %v, want %v", tc.target, tc.pattern, got, tc.want)
		}
	}
}

// Stored times sort as text in time order to the microsecond, whatever
// their trailing zeros; old rows are rewritten in the same layout.
func TestStoredTimesSortAsText(t *testing.T) {
	base := time.Date(2026, 12, 1, 10, 0, 5, 0, time.UTC)
	prev := formatTime(base.Add(-time.Microsecond))
	for _, d := range []time.Duration{0, time.Microsecond, time.Millisecond, 120 * time.Millisecond, 500 * time.Millisecond, time.Second} {
		cur := formatTime(base.Add(d))
		if !(prev < cur) {
			t.Errorf("%q does not sort before %q", prev, cur)
		}
		if got := parseTime(cur); !got.Equal(base.Add(d)) {
			t.Errorf("parseTime(%q) = %v", cur, got)
		}
		prev = cur
	}
	if got := wireTime(formatTime(base.Add(120 * time.Millisecond))); got != "2026-12-01T10:00:05.12Z" {
		t.Errorf("wire form %q, want RFC 3339 with zeros trimmed", got)
	}

	s, err := OpenStore(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got string
	if err := s.db.QueryRow(`SELECT strftime('%Y-%m-%dT%H:%M:%f', '2026-12-01T10:00:05.12Z') || '000Z'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "2026-12-01T10:00:05.120000Z" {
		t.Errorf("an old row becomes %q", got)
	}
}

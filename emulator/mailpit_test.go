package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mailpit is a running github.com/axllent/mailpit: the SMTP server the
// emulator sends to, read back through its HTTP API.
type mailpit struct {
	smtpPort int
	api      string
}

// mailpitBinary is what `make deps` installs (go install into .cache/bin).
func mailpitBinary(t *testing.T) string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	_, here, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(here), "..", ".cache", "bin", "mailpit")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	t.Fatal("mailpit is not installed: run `make deps` (go install github.com/axllent/mailpit)")
	return ""
}

func startMailpit(t *testing.T) *mailpit {
	m := &mailpit{smtpPort: freePort(t)}
	httpPort := freePort(t)
	m.api = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	cmd := exec.Command(mailpitBinary(t),
		"--smtp", fmt.Sprintf("127.0.0.1:%d", m.smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(t.TempDir(), "mail.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--quiet")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(m.api + "/api/v1/info")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return m
			}
		}
		require.True(t, time.Now().Before(deadline), "mailpit did not start")
		time.Sleep(50 * time.Millisecond)
	}
}

// env is the emulator configuration that sends mail to this mailpit.
func (m *mailpit) env() []string {
	return []string{"AUTH_SMTP_HOST", "127.0.0.1", "AUTH_SMTP_PORT", strconv.Itoa(m.smtpPort),
		"AUTH_SMTP_USER", "user", "AUTH_SMTP_PASS", "pass", "AUTH_SMTP_SENDER", "auth@example.com", "AUTH_SMTP_SECURE", "false"}
}

type message struct {
	ID      string
	Subject string
	From    struct{ Address string }
	To      []struct{ Address string }
	Text    string
	HTML    string
}

// latest waits for the newest message to an address whose subject matches
// (if given) and returns it in full.
func (m *mailpit) latest(t *testing.T, to string, subject *regexp.Regexp) message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var list struct{ Messages []message }
		getJSON(t, m.api+"/api/v1/search?query="+url.QueryEscape(`to:"`+to+`"`), &list)
		for _, msg := range list.Messages { // newest first
			if subject == nil || subject.MatchString(msg.Subject) {
				var full message
				getJSON(t, m.api+"/api/v1/message/"+msg.ID, &full)
				return full
			}
		}
		require.True(t, time.Now().Before(deadline), "no mail to %s matching %v", to, subject)
		time.Sleep(50 * time.Millisecond)
	}
}

// count is the number of messages to an address.
func (m *mailpit) count(t *testing.T, to string) int {
	var list struct{ Messages []message }
	getJSON(t, m.api+"/api/v1/search?query="+url.QueryEscape(`to:"`+to+`"`), &list)
	return len(list.Messages)
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	res, err := http.Get(u)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode, u)
	require.NoError(t, json.NewDecoder(res.Body).Decode(v))
}

var linkRe = regexp.MustCompile(`\( (http\S+) \)`)

// link is the link in a message's text.
func (msg message) link(t *testing.T) string {
	m := linkRe.FindStringSubmatch(msg.Text)
	require.NotNil(t, m, "no link in %q", msg.Text)
	return m[1]
}

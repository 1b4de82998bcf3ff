package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	emucfg "github.com/nhost-auth-wasm/sdk/emulator"
)

// The suite runs against any Nhost Auth server:
//
//	AUTH_E2E_URL=http://127.0.0.1:4000 go test ./e2e/...
//
// That server is taken to be set up as the emulator's --dev profile (plus
// AUTH_E2E_SERVER_ENV, "NAME=value,…", for what it has beyond it), with a
// fresh database and the test pages' origin allowed as a redirect target
// (AUTH_E2E_PAGE_PORT fixes their port, http://localhost:<port>). A test
// that needs other settings, or a hook only the emulator has (its log, its
// signing key), skips and says why. Emails are read from AUTH_E2E_MAIL_URL:
// a Mailpit (its API), or an emulator's /emulator/mail.
type e2eTarget struct {
	url, mail string
	serverEnv map[string]string
}

var target = e2eTarget{
	url:       strings.TrimRight(os.Getenv("AUTH_E2E_URL"), "/"),
	mail:      strings.TrimRight(os.Getenv("AUTH_E2E_MAIL_URL"), "/"),
	serverEnv: pairs(os.Getenv("AUTH_E2E_SERVER_ENV")),
}

func pairs(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
			out[k] = v
		}
	}
	return out
}

// unmet lists the settings of env (NAME=value) the target server is not
// said to have: a setting is met when it leaves the --dev profile with the
// server's declared settings unchanged.
func (tg *e2eTarget) unmet(env map[string]string) []string {
	load := func(extra map[string]string) (emucfg.Config, error) {
		return emucfg.Load([]string{"--dev"}, func(k string) string {
			if v, ok := extra[k]; ok {
				return v
			}
			return tg.serverEnv[k]
		})
	}
	base, err := load(nil)
	if err != nil {
		return []string{"AUTH_E2E_SERVER_ENV that loads (" + err.Error() + ")"}
	}
	var out []string
	for k, v := range env {
		switch k {
		case "AUTH_CLIENT_URL", "AUTH_EMULATOR_BCRYPT_COST":
			continue // the pages' origin is allowed; the hash cost is speed only
		}
		with, err := load(map[string]string{k: v})
		if err != nil || !reflect.DeepEqual(base, with) {
			out = append(out, k+"="+v)
		}
	}
	sort.Strings(out)
	return out
}

// message is an email (or SMS) as a test reads it.
type message struct {
	Text, Link, Code string
}

var (
	linkInText = regexp.MustCompile(`\( (https?://\S+) \)`)
	codeInText = regexp.MustCompile(`(?m)^(\d{6})\s*$`)
)

// mail waits for the newest message to an address: from AUTH_E2E_MAIL_URL
// when set, else from the emulator's mailbox.
func (s *server) mail(t *testing.T, to string) message {
	t.Helper()
	base, mailpit := target.mail, target.mail != "" && !strings.HasSuffix(target.mail, "/emulator/mail")
	if base == "" {
		if s.external {
			t.Skipf("reads an email: set AUTH_E2E_MAIL_URL (a Mailpit, or an emulator's /emulator/mail) for AUTH_E2E_URL=%s", s.URL)
		}
		base = s.URL + "/emulator/mail"
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var m message
		var ok bool
		if mailpit {
			m, ok = mailpitNewest(t, base, to)
		} else {
			m, ok = mailboxNewest(t, base, to)
		}
		if ok {
			if m.Link == "" {
				if l := linkInText.FindStringSubmatch(m.Text); l != nil {
					m.Link = l[1]
				}
			}
			if m.Code == "" {
				if c := codeInText.FindStringSubmatch(m.Text); c != nil {
					m.Code = c[1]
				}
			}
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s at %s", to, base)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func getJSON(t *testing.T, u string, v any) bool {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("reading mail: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return false
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("reading mail at %s: %v", u, err)
	}
	return true
}

func mailboxNewest(t *testing.T, base, to string) (message, bool) {
	var box struct{ Messages []message }
	if !getJSON(t, base+"?to="+url.QueryEscape(to), &box) || len(box.Messages) == 0 {
		return message{}, false
	}
	return box.Messages[0], true
}

func mailpitNewest(t *testing.T, base, to string) (message, bool) {
	var found struct{ Messages []struct{ ID string } }
	if !getJSON(t, base+"/api/v1/search?query="+url.QueryEscape(`to:"`+to+`"`), &found) || len(found.Messages) == 0 {
		return message{}, false
	}
	var msg message
	return msg, getJSON(t, base+"/api/v1/message/"+found.Messages[0].ID, &msg)
}

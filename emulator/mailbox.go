package emulator

import (
	"context"
	"html"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// mailbox keeps the last messages the emulator sent, emails and SMS, for
// GET /emulator/mail: in development a magic link or a code is one click
// away, with no SMTP sink. Delivery (SMTP or the log) is unchanged.
type mailbox struct {
	mu   sync.Mutex // guards seq and msgs
	size int
	seq  int
	msgs []Mail // oldest first, at most size
}

func (b *mailbox) add(m Mail) Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	m.ID = strconv.Itoa(b.seq)
	if b.size <= 0 {
		return m
	}
	if len(b.msgs) >= b.size {
		b.msgs = append(b.msgs[:0], b.msgs[len(b.msgs)-b.size+1:]...)
	}
	b.msgs = append(b.msgs, m)
	return m
}

// list is the messages to an address (all when to is ""), newest first.
func (b *mailbox) list(to, kind string) []Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := []Mail{}
	for i := len(b.msgs) - 1; i >= 0; i-- {
		m := b.msgs[i]
		if (to == "" || strings.EqualFold(m.To, to)) && (kind == "" || m.Kind == kind) {
			out = append(out, m)
		}
	}
	return out
}

func (b *mailbox) get(id string) (Mail, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.msgs {
		if m.ID == id {
			return m, true
		}
	}
	return Mail{}, false
}

func (b *mailbox) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = nil
}

// deliver keeps an email in the mailbox, then sends it.
func (s *Server) deliver(ctx context.Context, m Mail) error {
	m.SentAt = s.store.now()
	m = s.box.add(m)
	return s.mail.Send(ctx, m)
}

// sendSMS "sends" a code through the dev provider: into the mailbox and
// the log.
func (s *Server) sendSMS(_ context.Context, u *User, to, code string) error {
	_, body, lang, err := s.tmpl.load(tmplSMS, u.Locale)
	if err != nil {
		return err
	}
	text := fill(body, mailVars{Ticket: code, DisplayName: u.DisplayName, Locale: lang, ServerURL: s.cfg.ServerURL, ClientURL: s.cfg.ClientURL}, false)
	m := s.box.add(Mail{Kind: "sms", To: to, Text: strings.TrimSpace(text), Code: code, Template: tmplSMS, Locale: lang, SentAt: s.store.now()})
	s.log.Info("Dev SMS kept in the mailbox", "id", m.ID, "to", to)
	return nil
}

// SMS is the last message to a number, as GET /emulator/sms gives it.
type SMS struct {
	PhoneNumber string `json:"phoneNumber"`
	Body        string `json:"body"`
	Code        string `json:"code"`
	SentAt      string `json:"sentAt"`
}

// devSMS is GET /emulator/sms?phoneNumber=…: the last SMS to a number.
// It exists only with the dev SMS provider switched on.
func (s *Server) devSMS(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	if !s.cfg.SMSOn || s.cfg.SMSProvider != "dev" {
		notFound(w)
		return nil
	}
	phone := r.URL.Query().Get("phoneNumber")
	got := s.box.list(phone, "sms")
	if phone == "" || len(got) == 0 {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no SMS was sent to " + phone})
		return nil
	}
	writeJSON(w, http.StatusOK, SMS{PhoneNumber: got[0].To, Body: got[0].Text, Code: got[0].Code, SentAt: got[0].SentAt})
	return nil
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("404 page not found"))
}

// mailList is GET /emulator/mail[?to=…&kind=email|sms]: the messages,
// newest first, as JSON, or as a page for a browser (Accept: text/html).
func (s *Server) mailList(w http.ResponseWriter, r *http.Request, _ map[string]string) error {
	q := r.URL.Query()
	msgs := s.box.list(q.Get("to"), q.Get("kind"))
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		for i := range msgs {
			msgs[i].HTML = "" // GET /emulator/mail/{id} has it
		}
		writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; form-action 'self'")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(mailPage(msgs)))
	return nil
}

// mailClear is DELETE /emulator/mail.
func (s *Server) mailClear(w http.ResponseWriter, _ *http.Request, _ map[string]string) error {
	s.box.clear()
	writeOK(w)
	return nil
}

// mailGet is GET /emulator/mail/{id}: one message with its HTML.
func (s *Server) mailGet(w http.ResponseWriter, _ *http.Request, p map[string]string) error {
	m, ok := s.box.get(p["id"])
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no message " + p["id"]})
		return nil
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// mailHTML is GET /emulator/mail/{id}/html: the email as its recipient
// sees it, in a sandbox (no scripts, links open a new tab).
func (s *Server) mailHTML(w http.ResponseWriter, _ *http.Request, p map[string]string) error {
	m, ok := s.box.get(p["id"])
	if !ok || m.Kind != "email" {
		notFound(w)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'")
	_, _ = w.Write([]byte(m.HTML))
	return nil
}

// mailPage is the mailbox as a page: a row per message with its link and
// code, the newest first; a message opens below in a sandboxed frame.
func mailPage(msgs []Mail) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mailbox · Nhost Auth emulator</title>
<style>
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #1f2937; background: #f5f5f5 }
header { padding: 16px 24px; background: #0052cd; color: #fff }
header h1 { margin: 0; font-size: 18px; font-weight: 600 }
header p { margin: 4px 0 0; opacity: .85 }
main { padding: 16px 24px }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #e5e7eb }
th, td { padding: 8px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top }
th { background: #f9fafb; font-weight: 600 }
code { font-size: 16px; letter-spacing: 2px }
.kind { font-size: 12px; text-transform: uppercase; color: #6b7280 }
.empty { padding: 24px; text-align: center; color: #6b7280; background: #fff; border: 1px solid #e5e7eb }
a { color: #0052cd }
iframe { width: 100%; height: 480px; border: 1px solid #e5e7eb; background: #fff; margin-top: 16px }
form { display: inline }
</style>
</head>
<body>
<header><h1>Mailbox</h1><p>Every email and SMS this emulator sent, newest first. For development only.</p></header>
<main>
<p><a href="mail">Refresh</a></p>
`)
	if len(msgs) == 0 {
		b.WriteString(`<div class="empty">No messages yet.</div>`)
	} else {
		b.WriteString(`<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th>Link or code</th><th></th></tr></thead><tbody>`)
		for _, m := range msgs {
			e := html.EscapeString
			subject := m.Subject
			if m.Kind == "sms" {
				subject = m.Text
			}
			b.WriteString(`<tr><td>` + e(m.SentAt) + `<div class="kind">` + e(m.Kind) + `</div></td><td>` + e(m.To) + `</td><td>` + e(subject) + `</td><td>`)
			if m.Link != "" {
				b.WriteString(`<a href="` + e(m.Link) + `" target="_blank" rel="noopener">Open link</a>`)
			} else if m.Code != "" {
				b.WriteString(`<code>` + e(m.Code) + `</code>`)
			}
			b.WriteString(`</td><td>`)
			if m.Kind == "email" {
				b.WriteString(`<a href="mail/` + e(m.ID) + `/html" target="message">View</a>`)
			}
			b.WriteString(`</td></tr>`)
		}
		b.WriteString(`</tbody></table><iframe name="message" title="message" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>`)
	}
	b.WriteString("\n</main>\n</body>\n</html>\n")
	return b.String()
}

package emulator

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Mail is one outgoing message: an email, or an SMS (Kind "sms": no
// subject, no HTML).
type Mail struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // "email" or "sms"
	To       string `json:"to"`
	Subject  string `json:"subject,omitempty"`
	Text     string `json:"text"`
	HTML     string `json:"html,omitempty"`
	Link     string `json:"link,omitempty"` // the link in the message, if any
	Code     string `json:"code,omitempty"` // the one-time password in the message, if any
	Template string `json:"template"`
	Locale   string `json:"locale"`
	SentAt   string `json:"sentAt"`
}

// Mailer delivers emails.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// logMailer notes emails in the log: the default when no SMTP server is
// set. Links and codes sign people in, so they stay out of the log: the
// mailbox (/emulator/mail) has them.
type logMailer struct{ log *slog.Logger }

func (l logMailer) Send(_ context.Context, m Mail) error {
	l.log.Info("email kept in the mailbox (no SMTP server configured)", "id", m.ID, "to", m.To, "subject", m.Subject)
	return nil
}

// smtpMailer sends through an SMTP server with PLAIN authentication, as
// the real server does (AUTH_SMTP_*).
type smtpMailer struct {
	cfg Config
	log *slog.Logger
}

func (s smtpMailer) Send(ctx context.Context, m Mail) error {
	addr := net.JoinHostPort(s.cfg.SMTPHost, strconv.Itoa(s.cfg.SMTPPort))
	d := net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	var err error
	if s.cfg.SMTPSecure {
		conn, err = tls.DialWithDialer(&d, "tcp", addr, &tls.Config{ServerName: s.cfg.SMTPHost})
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	c, err := smtp.NewClient(conn, s.cfg.SMTPHost)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !s.cfg.SMTPSecure {
		if err := c.StartTLS(&tls.Config{ServerName: s.cfg.SMTPHost}); err != nil {
			return err
		}
	}
	if s.cfg.SMTPUser != "" {
		if !strings.EqualFold(s.cfg.SMTPAuth, "PLAIN") {
			return errors.New("smtp: only the PLAIN auth method is supported")
		}
		// net/smtp refuses PLAIN without TLS except to localhost, which is
		// the safe rule for credentials.
		if err := c.Auth(smtp.PlainAuth("", s.cfg.SMTPUser, s.cfg.SMTPPass, s.cfg.SMTPHost)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.cfg.SMTPSender); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(buildMessage(s.cfg.SMTPSender, m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	s.log.Info("email sent", "to", m.To, "subject", m.Subject)
	return c.Quit()
}

// buildMessage renders a multipart/alternative message: text, then HTML.
func buildMessage(from string, m Mail) []byte {
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	boundary := "emulator-" + hex.EncodeToString(rnd[:])
	var b strings.Builder
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", from)
	hdr("To", m.To)
	hdr("Subject", mimeWord(m.Subject))
	hdr("Date", time.Now().Format(time.RFC1123Z))
	hdr("Message-ID", "<"+hex.EncodeToString(rnd[:])+"@nhost-auth-emulator>")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		b.WriteString("--" + boundary + "\r\n")
		hdr("Content-Type", part.typ+"; charset=utf-8")
		hdr("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		qp := quotedprintable.NewWriter(&b)
		_, _ = qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n")))
		_ = qp.Close()
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return []byte(b.String())
}

// mimeWord encodes a header value that is not plain ASCII (RFC 2047).
func mimeWord(s string) string {
	for _, r := range s {
		if r >= 0x80 {
			return "=?utf-8?q?" + strings.ReplaceAll(qpString(s), " ", "_") + "?="
		}
	}
	return s
}

func qpString(s string) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return strings.ReplaceAll(b.String(), "=\r\n", "")
}

// verifyLink builds {server}/verify?redirectTo=…&ticket=…&type=… (and
// codeChallenge when the flow has one) with the keys in alphabetical
// order, as the real server's links are.
func (s *Server) verifyLink(redirectTo, ticket, typ, challenge string) string {
	q := url.Values{"redirectTo": {redirectTo}, "ticket": {ticket}, "type": {typ}}
	if challenge != "" {
		q.Set("codeChallenge", challenge)
	}
	return s.cfg.ServerURL + "/verify?" + q.Encode()
}

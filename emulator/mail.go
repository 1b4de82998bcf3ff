package emulator

import (
	"context"
	"log/slog"
	"net/url"
)

// Mail is one outgoing email.
type Mail struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Link    string // the link in the message, if any
}

// Mailer delivers emails.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// logMailer writes emails to the log: the default when no SMTP server is set.
type logMailer struct{ log *slog.Logger }

func (l logMailer) Send(_ context.Context, m Mail) error {
	l.log.Info("email (not sent: no SMTP server configured)", "to", m.To, "subject", m.Subject, "link", m.Link)
	return nil
}

// verifyLink builds {server}/verify?redirectTo=…&ticket=…&type=… with the
// keys in alphabetical order, as the real server's links are.
func (s *Server) verifyLink(redirectTo, ticket, typ string) string {
	q := url.Values{"redirectTo": {redirectTo}, "ticket": {ticket}, "type": {typ}}
	return s.cfg.ServerURL + "/verify?" + q.Encode()
}

func verifyEmailMail(to, link string) Mail {
	return Mail{
		To:      to,
		Subject: "Verify your email",
		Text:    "Use this link to verify your email:\n\nVerify Email ( " + link + " )\n",
		HTML:    `<p>Use this link to verify your email:</p><p><a href="` + htmlEscape(link) + `">Verify Email</a></p>`,
		Link:    link,
	}
}

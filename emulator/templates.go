package emulator

import (
	"errors"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Emails and SMS are rendered from templates named as the real server's
// (email-verify, password-reset, email-confirm-change, signin-passwordless,
// signin-otp, signin-passwordless-sms), per locale. A directory set by
// AUTH_EMAIL_TEMPLATES_PATH holds {locale}/{template}/subject.txt and
// body.html (body.txt for SMS) over the built-in ones; ${name} in them is
// replaced by the message's values (HTML-escaped in body.html).

const (
	tmplEmailVerify   = "email-verify"
	tmplPasswordReset = "password-reset"
	tmplEmailChange   = "email-confirm-change"
	tmplMagicLink     = "signin-passwordless"
	tmplEmailOTP      = "signin-otp"
	tmplSMS           = "signin-passwordless-sms"
)

// mailVars are the values a template may use.
type mailVars struct {
	Link, DisplayName, Email, NewEmail, Ticket, RedirectTo, Locale, ServerURL, ClientURL string
}

func (v mailVars) lookup(name string) (string, bool) {
	switch name {
	case "link":
		return v.Link, true
	case "displayName":
		return v.DisplayName, true
	case "email":
		return v.Email, true
	case "newEmail":
		return v.NewEmail, true
	case "ticket", "code":
		return v.Ticket, true
	case "redirectTo":
		return v.RedirectTo, true
	case "locale":
		return v.Locale, true
	case "serverUrl":
		return v.ServerURL, true
	case "clientUrl":
		return v.ClientURL, true
	}
	return "", false
}

var placeholder = regexp.MustCompile(`\$\{(\w+)\}`)

// fill replaces each known ${name}; unknown ones stay as written.
func fill(text string, v mailVars, escape bool) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		val, ok := v.lookup(m[2 : len(m)-1])
		if !ok {
			return m
		}
		if escape {
			return html.EscapeString(val)
		}
		return val
	})
}

// message is one built-in template's words.
type message struct {
	subject, heading, intro, label, outro string
}

// chrome is what every built-in email of a locale says around its message.
type chrome struct{ fallback, footer, codeHint, sentTo string }

var chromes = map[string]chrome{
	"en": {"If the button does not work, copy this address into your browser:",
		"Sent by the Nhost Auth emulator, a local server for development and tests. No real email left this machine unless SMTP is configured.",
		"Type this code where you asked to sign in. It works once, and only for this address.", "Sent to"},
	"fr": {"Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :",
		"Envoyé par l'émulateur Nhost Auth, un serveur local pour le développement et les tests. Aucun e-mail réel n'est parti sans SMTP configuré.",
		"Saisissez ce code là où vous avez demandé à vous connecter. Il ne sert qu'une fois, et pour cette adresse seulement.", "Envoyé à"},
}

// builtins are the built-in templates by locale, then name. A link
// template has a label; signin-otp shows ${ticket} where the link would be.
var builtins = map[string]map[string]message{
	"en": {
		tmplEmailVerify:   {"Verify your email", "Verify your email", "Use this link to verify your email:", "Verify Email", "If you did not create an account, you can ignore this email."},
		tmplPasswordReset: {"Reset your password", "Reset your password", "Use this link to reset your password:", "Reset Password", "If you did not ask for a new password, you can ignore this email; your password stays as it is."},
		tmplEmailChange:   {"Change your email address", "Change your email address", "Use this link to confirm changing email:", "Change Email", "If you did not ask for this change, you can ignore this email."},
		tmplMagicLink:     {"Secure sign-in link", "Sign in", "Use this link to securely sign in:", "Magic Link", "If you did not try to sign in, you can ignore this email."},
		tmplEmailOTP:      {"One-time password for ${redirectTo}", "Your one-time password", "To sign in to ${redirectTo}, please, use the following one-time password:", "", "The code expires in 5 minutes. If you did not try to sign in, you can ignore this email."},
		tmplSMS:           {"", "", "Your code is ${code}.", "", ""},
	},
	"fr": {
		tmplEmailVerify:   {"Vérifiez votre adresse e-mail", "Vérifiez votre adresse e-mail", "Utilisez ce lien pour vérifier votre adresse e-mail :", "Vérifier l'adresse", "Si vous n'avez pas créé de compte, ignorez cet e-mail."},
		tmplPasswordReset: {"Réinitialisez votre mot de passe", "Réinitialisez votre mot de passe", "Utilisez ce lien pour réinitialiser votre mot de passe :", "Réinitialiser le mot de passe", "Si vous n'avez rien demandé, ignorez cet e-mail ; votre mot de passe ne change pas."},
		tmplEmailChange:   {"Changez votre adresse e-mail", "Changez votre adresse e-mail", "Utilisez ce lien pour confirmer le changement d'adresse :", "Changer l'adresse", "Si vous n'avez pas demandé ce changement, ignorez cet e-mail."},
		tmplMagicLink:     {"Lien de connexion sécurisé", "Connexion", "Utilisez ce lien pour vous connecter en toute sécurité :", "Se connecter", "Si vous n'avez pas essayé de vous connecter, ignorez cet e-mail."},
		tmplEmailOTP:      {"Code à usage unique pour ${redirectTo}", "Votre code à usage unique", "Pour vous connecter à ${redirectTo}, utilisez le code à usage unique suivant :", "", "Le code expire dans 5 minutes. Si vous n'avez pas essayé de vous connecter, ignorez cet e-mail."},
		tmplSMS:           {"", "", "Votre code est ${code}.", "", ""},
	},
}

// layout is the built-in emails' HTML: a heading banner, the message, a
// button (or the code) and a footer, with inline styles as mail clients
// need them.
func (m message) layout(lang string) string {
	ch := chromes[lang]
	var center, fallback string
	if m.label != "" {
		center = `<a href="${link}" target="_blank" style="display: inline-block; padding: 12px 24px; border-radius: 6px; background-color: #0052cd; color: #ffffff; font-size: 15px; font-weight: 600; text-decoration: none">` + html.EscapeString(m.label) + `</a>`
		fallback = `
            <p style="margin: 0 0 16px; font-size: 13px; line-height: 1.5; color: #6b7280">` + html.EscapeString(ch.fallback) + `</p>
            <p style="margin: 0 0 16px; font-size: 12px; line-height: 1.5; color: #0052cd; word-break: break-all">${link}</p>`
	} else {
		center = `<p style="font-size: 24px; font-weight: bold; letter-spacing: 4px; line-height: 32px; margin: 16px 0; color: #0052cd">${ticket}</p>`
		fallback = `
            <p style="margin: 0 0 16px; font-size: 13px; line-height: 1.5; color: #6b7280">` + html.EscapeString(ch.codeHint) + `</p>
            <table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0" style="margin: 0 0 16px; font-size: 12px; color: #6b7280">
              <tbody>
                <tr>
                  <td style="width: 80px; padding: 4px 0">` + html.EscapeString(ch.sentTo) + `</td>
                  <td style="padding: 4px 0; color: #3c4149">${email}</td>
                </tr>
              </tbody>
            </table>`
	}
	return `<!DOCTYPE html>
<html dir="ltr" lang="` + lang + `">
  <head>
    <meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>` + html.EscapeString(m.heading) + `</title>
  </head>
  <body style="margin: 0; padding: 0; background-color: #f5f5f5; font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif">
    <div style="display: none; overflow: hidden; max-height: 0; opacity: 0">` + html.EscapeString(m.intro) + `</div>
    <table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0" style="max-width: 560px; margin: 24px auto; background-color: #ffffff; border: 1px solid #ececec; border-radius: 8px">
      <tbody>
        <tr>
          <td style="padding: 20px 24px; background-color: #0052cd; border-radius: 8px 8px 0 0">
            <h1 style="margin: 0; font-size: 22px; line-height: 1.3; font-weight: 500; color: #ffffff">` + html.EscapeString(m.heading) + `</h1>
          </td>
        </tr>
        <tr>
          <td style="padding: 24px">
            <p style="margin: 0 0 16px; font-size: 15px; line-height: 1.5; color: #3c4149">` + html.EscapeString(m.intro) + `</p>
            <table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0">
              <tbody>
                <tr>
                  <td style="padding: 8px 0 16px">` + center + `</td>
                </tr>
              </tbody>
            </table>` + fallback + `
            <p style="margin: 0; font-size: 13px; line-height: 1.5; color: #6b7280">` + html.EscapeString(m.outro) + `</p>
          </td>
        </tr>
        <tr>
          <td style="padding: 16px 24px; border-top: 1px solid #eaeaea; font-size: 12px; line-height: 1.5; color: #9ca3af">
            ` + html.EscapeString(ch.footer) + `
          </td>
        </tr>
      </tbody>
    </table>
  </body>
</html>
`
}

// templates finds a template's text: the override directory first, then
// the built-in ones; in the wanted locale, else the default one, else en.
type templates struct {
	dir           string // "" when none
	defaultLocale string
}

var errNoTemplate = errors.New("no such template")

// load returns the subject and body of name in the first locale that has
// it, and that locale.
func (t templates) load(name, locale string) (subject, body, lang string, err error) {
	bodyFile := "body.html"
	if name == tmplSMS {
		bodyFile = "body.txt"
	}
	for _, l := range []string{locale, t.defaultLocale, "en"} {
		if l == "" {
			continue
		}
		if t.dir != "" {
			b, err := os.ReadFile(filepath.Join(t.dir, l, name, bodyFile))
			if err == nil {
				subj, serr := os.ReadFile(filepath.Join(t.dir, l, name, "subject.txt"))
				if serr != nil && !errors.Is(serr, fs.ErrNotExist) {
					return "", "", "", serr
				}
				if serr != nil {
					// A body without its subject keeps the built-in subject.
					subj = []byte(builtins["en"][name].subject)
					if m, ok := builtins[l][name]; ok {
						subj = []byte(m.subject)
					}
				}
				return strings.TrimSpace(string(subj)), string(b), l, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", "", "", err
			}
		}
		if m, ok := builtins[l][name]; ok {
			if name == tmplSMS {
				return "", m.intro, l, nil
			}
			return m.subject, m.layout(l), l, nil
		}
	}
	return "", "", "", errNoTemplate
}

// render makes the email of template name for to.
func (s *Server) render(name, to, locale string, v mailVars) (Mail, error) {
	subject, body, lang, err := s.tmpl.load(name, locale)
	if err != nil {
		return Mail{}, err
	}
	v.Locale, v.ServerURL, v.ClientURL = lang, s.cfg.ServerURL, s.cfg.ClientURL
	htmlBody := fill(body, v, true)
	return Mail{
		Kind: "email", To: to, Template: name, Locale: lang,
		Subject: fill(subject, v, false), HTML: htmlBody, Text: htmlText(htmlBody),
		Link: v.Link, Code: v.Ticket,
	}, nil
}

// htmlText is the text part of an HTML email: the words of each block on
// their own paragraph, a link as "label ( url )".
func htmlText(doc string) string {
	var out, para strings.Builder
	flush := func() {
		if p := strings.Join(strings.Fields(para.String()), " "); p != "" {
			if out.Len() > 0 {
				out.WriteString("\n\n")
			}
			out.WriteString(p)
		}
		para.Reset()
	}
	skip := 0 // inside <head>, <style> or <script>
	href := ""
	for len(doc) > 0 {
		lt := strings.IndexByte(doc, '<')
		if lt < 0 {
			lt = len(doc)
		}
		if skip == 0 {
			para.WriteString(html.UnescapeString(doc[:lt]) + " ")
		}
		if lt == len(doc) {
			break
		}
		gt := strings.IndexByte(doc[lt:], '>')
		if gt < 0 {
			break
		}
		tag := doc[lt+1 : lt+gt]
		doc = doc[lt+gt+1:]
		name := strings.ToLower(strings.TrimLeft(strings.Fields(tag + " ")[0], "/"))
		closing := strings.HasPrefix(tag, "/")
		switch name {
		case "head", "style", "script":
			if closing {
				skip--
			} else {
				skip++
			}
		case "a":
			if closing {
				if href != "" {
					para.WriteString(" ( " + href + " )")
				}
				href = ""
			} else if m := hrefAttr.FindStringSubmatch(tag); m != nil {
				para.WriteString(" ")
				href = html.UnescapeString(m[1])
			}
		case "p", "h1", "h2", "h3", "td", "tr", "div", "br", "li", "table":
			flush()
		}
	}
	flush()
	return out.String() + "\n"
}

var hrefAttr = regexp.MustCompile(`(?i)\bhref="([^"]*)"`)

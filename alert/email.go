package alert

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/textproto"
	"strings"
	"text/template"
	"time"

	mail "github.com/wneessen/go-mail"
)

// An Email notifier sends notifications through an SMTP server, as a text
// and an HTML part. Its [Email.SendMail] lets other packages (account
// watch, say) send their own mail through the same server. An Email is
// safe for concurrent use.
type Email struct {
	name    string
	c       NotifierConfig
	tls     *tls.Config
	subject *template.Template
	text    *template.Template
	html    *htmltemplate.Template
	timeout time.Duration
	clock   func() time.Time
}

var _ Notifier = (*Email)(nil)

// NotifierOptions are what notifiers take from their environment.
type NotifierOptions struct {
	// TLSConfig is the base TLS configuration for SMTP and HTTPS, e.g.
	// with private RootCAs. If nil, the system's roots.
	TLSConfig *tls.Config
	// Clock tells the time for Date headers. If nil, time.Now.
	Clock func() time.Time
}

// NewEmail returns the email notifier called name. c must be valid (see
// [NotifierConfig.Validate]); its template files are read now.
func NewEmail(name string, c NotifierConfig, o NotifierOptions) (*Email, error) {
	if c.Type != TypeEmail {
		return nil, fmt.Errorf("notifier %s: type %s is not email", name, c.Type)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	e := &Email{name: name, c: c, timeout: c.Timeout, clock: o.Clock}
	if e.timeout == 0 {
		e.timeout = 30 * time.Second
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	if e.c.TLS == "" {
		e.c.TLS = TLSStartTLS
	}
	if e.c.Port == 0 {
		e.c.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[e.c.TLS]
	}
	if o.TLSConfig != nil {
		e.tls = o.TLSConfig.Clone()
	} else {
		e.tls = &tls.Config{}
	}
	e.tls.ServerName = c.Host
	if e.tls.MinVersion == 0 {
		e.tls.MinVersion = tls.VersionTLS12
	}
	var err error
	if e.subject, err = textTemplate("email-subject.tmpl", c.Templates.Subject); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	if e.text, err = textTemplate("email.txt.tmpl", c.Templates.Text); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	if e.html, err = htmlTemplate("email.html.tmpl", c.Templates.HTML); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	return e, nil
}

// Name returns the notifier's name.
func (e *Email) Name() string { return e.name }

// Notify renders n with the templates and mails it to the configured
// recipients.
func (e *Email) Notify(ctx context.Context, n Notification) error {
	subject, err := render(e.subject, n)
	if err != nil {
		return Permanent(fmt.Errorf("rendering subject: %w", err))
	}
	text, err := render(e.text, n)
	if err != nil {
		return Permanent(fmt.Errorf("rendering text body: %w", err))
	}
	html, err := render(e.html, n)
	if err != nil {
		return Permanent(fmt.Errorf("rendering HTML body: %w", err))
	}
	return e.SendMail(ctx, Mail{To: e.c.To, Subject: strings.TrimSpace(subject), Text: text, HTML: html})
}

// A Mail is one message for [Email.SendMail].
type Mail struct {
	// To are the recipients. If empty, the notifier's.
	To      []string
	Subject string
	// Text is the plain-text body. Required.
	Text string
	// HTML is an alternative HTML body. If empty, the mail is text only.
	HTML string
}

// SendMail sends m from the configured sender through the configured SMTP
// server, in one connection.
func (e *Email) SendMail(ctx context.Context, m Mail) error {
	if len(m.To) == 0 {
		m.To = e.c.To
	}
	msg := mail.NewMsg()
	if err := msg.From(e.c.From); err != nil {
		return Permanent(fmt.Errorf("setting sender: %w", err))
	}
	if err := msg.To(m.To...); err != nil {
		return Permanent(fmt.Errorf("setting recipients: %w", err))
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(e.clock())
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	client, err := e.client()
	if err != nil {
		return Permanent(err)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return e.classify(err)
	}
	return nil
}

func (e *Email) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(e.c.Port), mail.WithTimeout(e.timeout), mail.WithTLSConfig(e.tls)}
	switch e.c.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if e.c.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(e.c.Username), mail.WithPassword(e.c.Password.Reveal()))
	}
	c, err := mail.NewClient(e.c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("setting up SMTP client for %s: %w", e.c.Host, err)
	}
	return c, nil
}

// classify marks SMTP rejections (5xx) as permanent; connection problems
// and 4xx replies are retried.
func (e *Email) classify(err error) error {
	err = fmt.Errorf("sending mail through %s:%d: %w", e.c.Host, e.c.Port, err)
	var se *mail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return Permanent(err)
	}
	var te *textproto.Error // a refused AUTH, for one
	if errors.As(err, &te) && te.Code >= 500 {
		return Permanent(err)
	}
	return err
}

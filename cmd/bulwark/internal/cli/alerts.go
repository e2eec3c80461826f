package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/alert"
)

// userMailer chooses how users are mailed (new-device logins, account
// changes): through the email notifier named by userMail, or the only one
// configured; with none, mails are written to an outbox directory next to
// the store, for a person or a script to send.
func userMailer(cfg fileConfig, a *alert.Alerter) (accounts.Mailer, error) {
	name := cfg.UserMail
	if name == "" {
		var emails []string
		for n, nc := range cfg.Alerts.Notifiers {
			if nc.Type == "email" {
				emails = append(emails, n)
			}
		}
		slices.Sort(emails)
		if len(emails) != 1 {
			dir := filepath.Join(filepath.Dir(cfg.Store.Path), "outbox")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("the users' mail outbox: %w", err)
			}
			return accounts.Outbox{Dir: dir}, nil
		}
		name = emails[0]
	}
	n, ok := a.Notifier(name)
	email, isEmail := n.(*alert.Email)
	if !ok || !isEmail {
		return nil, fmt.Errorf("userMail: %q is not an email notifier under alerts.notifiers", name)
	}
	return alertMailer{email}, nil
}

// alertMailer sends users' mail through an alert email notifier.
type alertMailer struct{ email *alert.Email }

func (m alertMailer) Send(ctx context.Context, x accounts.Mail) error {
	return m.email.SendMail(ctx, alert.Mail{To: []string{x.To}, Subject: x.Subject, Text: x.Text, HTML: x.HTML})
}

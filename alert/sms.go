package alert

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"text/template"
	"unicode/utf8"
)

// An SMS notifier sends a short text to each recipient through Twilio's
// Messages API (or a provider speaking its format): a form POST to
// {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json with basic
// auth. It is safe for concurrent use.
type SMS struct {
	name     string
	c        NotifierConfig
	endpoint string
	body     *template.Template
	client   *http.Client
}

var _ Notifier = (*SMS)(nil)

// NewSMS returns the SMS notifier called name; c must be valid.
func NewSMS(name string, c NotifierConfig, o NotifierOptions) (*SMS, error) {
	if c.Type != TypeSMS {
		return nil, fmt.Errorf("notifier %s: type %s is not sms", name, c.Type)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = "https://api.twilio.com"
	}
	body, err := textTemplate("sms.tmpl", c.Templates.Text)
	if err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	return &SMS{name: name, c: c, body: body, client: newHTTPClient(c.Timeout, o.TLSConfig),
		endpoint: base + "/2010-04-01/Accounts/" + url.PathEscape(c.AccountSID) + "/Messages.json"}, nil
}

// Name returns the notifier's name.
func (s *SMS) Name() string { return s.name }

// Notify sends the rendered text to every recipient in turn. A retry after
// a partial failure sends it again to those already reached.
func (s *SMS) Notify(ctx context.Context, n Notification) error {
	text, err := render(s.body, n)
	if err != nil {
		return Permanent(fmt.Errorf("rendering SMS: %w", err))
	}
	text = segment(strings.TrimSpace(text))
	for _, to := range s.c.To {
		if err := s.send(ctx, to, text); err != nil {
			return err
		}
	}
	return nil
}

func (s *SMS) send(ctx context.Context, to, text string) error {
	form := url.Values{"To": {to}, "Body": {text}}
	if s.c.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", s.c.MessagingServiceSID)
	} else {
		form.Set("From", s.c.From)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return Permanent(fmt.Errorf("building SMS request: %w", redactURL(err)))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(s.c.AccountSID, s.c.AuthToken.Reveal())
	return post(ctx, s.client, req, "the SMS API")
}

// segment shortens text to fit one SMS segment: 160 characters when it is
// plain ASCII (GSM-7 covers it), else 70 (UCS-2).
func segment(text string) string {
	limit := 160
	for _, r := range text {
		if r >= utf8.RuneSelf {
			limit = 70
			break
		}
	}
	if utf8.RuneCountInString(text) <= limit {
		return text
	}
	r := []rune(text)
	return string(r[:limit-3]) + "..."
}

// close releases idle connections.
func (s *SMS) close() { s.client.CloseIdleConnections() }

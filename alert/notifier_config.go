package alert

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Notifier types.
const (
	TypeEmail   = "email"
	TypeSMS     = "sms"
	TypeSlack   = "slack"
	TypeWebhook = "webhook"
)

// Email TLS modes.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "implicit"
	TLSNone     = "none"
)

// NotifierConfig is one notifier in bulwark.yaml. Type says which fields
// apply; the others must be left out. Secrets are best given from the
// environment: password: ${SMTP_PASSWORD}.
type NotifierConfig struct {
	// Type is email, sms, slack or webhook. Required.
	Type string `yaml:"type"`
	// To are the recipients: email addresses (email) or phone numbers in
	// E.164 form, +15551234567 (sms). Required for email and sms.
	To []string `yaml:"to"`
	// From is the sender: an email address (email) or a phone number
	// (sms; or give messagingServiceSid). Required for email and sms.
	From string `yaml:"from"`
	// Timeout bounds one delivery attempt. If zero, 10s (30s for email).
	Timeout time.Duration `yaml:"timeout"`
	// Templates replace the built-in message templates by files.
	Templates Templates `yaml:"templates"`

	// Host is the SMTP server (email). Required for email.
	Host string `yaml:"host"`
	// Port is the SMTP port (email). If zero, 587 for starttls, 465 for
	// implicit, 25 for none.
	Port int `yaml:"port"`
	// TLS is how the SMTP connection is protected (email): starttls
	// (required, not opportunistic), implicit (TLS from the first byte,
	// "SMTPS") or none (only to a server on this host). If empty, starttls.
	TLS string `yaml:"tls"`
	// Username for SMTP AUTH (email). If empty, no AUTH.
	Username string `yaml:"username"`
	// Password for SMTP AUTH (email).
	Password config.Secret `yaml:"password"`

	// AccountSID is the Twilio account (sms); it is the basic-auth user.
	// Required for sms.
	AccountSID string `yaml:"accountSid"`
	// AuthToken is the Twilio auth token (sms). Required for sms.
	AuthToken config.Secret `yaml:"authToken"`
	// MessagingServiceSID sends through a Twilio messaging service
	// instead of From (sms).
	MessagingServiceSID string `yaml:"messagingServiceSid"`
	// BaseURL is the Messages API's base (sms). If empty,
	// https://api.twilio.com; set it for a Twilio-compatible provider.
	BaseURL string `yaml:"baseUrl"`

	// URL is where slack and webhook notifiers POST. It often carries a
	// token, so it is a secret. Required for slack and webhook.
	URL config.Secret `yaml:"url"`
	// Secret, for a webhook, signs each body with HMAC-SHA256 in the
	// X-Bulwark-Signature header. If empty, bodies are not signed.
	Secret config.Secret `yaml:"secret"`
}

// Templates name files with text/template (html/template for HTML)
// sources, executed on a [Notification]. An empty field keeps the built-in
// template (see the templates directory of this package).
type Templates struct {
	// Subject of emails. If empty, the built-in: {{.Title}}.
	Subject string `yaml:"subject"`
	// Text is the plain-text body of emails, or the message of sms and
	// slack notifiers. If empty, the built-in one of the type.
	Text string `yaml:"text"`
	// HTML is the HTML body of emails. If empty, the built-in.
	HTML string `yaml:"html"`
}

var notifierTypes = []string{TypeEmail, TypeSMS, TypeSlack, TypeWebhook}

// Validate checks the fields the type needs and refuses those it does not
// use.
func (c NotifierConfig) Validate() error {
	if !slices.Contains(notifierTypes, c.Type) {
		return config.Field("type", fmt.Errorf("must be one of %s, got %q", strings.Join(notifierTypes, ", "), c.Type))
	}
	var errs []error
	need := func(key string, set bool) {
		if !set {
			errs = append(errs, config.Field(key, fmt.Errorf("required for a notifier of type %s", c.Type)))
		}
	}
	refuse := func(key string, set bool, types ...string) {
		if set && !slices.Contains(types, c.Type) {
			errs = append(errs, config.Field(key, fmt.Errorf("applies only to type %s, not %s", strings.Join(types, " or "), c.Type)))
		}
	}
	if c.Timeout < 0 {
		errs = append(errs, config.Field("timeout", fmt.Errorf("must be at least 0s, got %s", c.Timeout)))
	}
	refuse("to", len(c.To) > 0, TypeEmail, TypeSMS)
	refuse("from", c.From != "", TypeEmail, TypeSMS)
	refuse("host", c.Host != "", TypeEmail)
	refuse("port", c.Port != 0, TypeEmail)
	refuse("tls", c.TLS != "", TypeEmail)
	refuse("username", c.Username != "", TypeEmail)
	refuse("password", c.Password != "", TypeEmail)
	refuse("templates.subject", c.Templates.Subject != "", TypeEmail)
	refuse("templates.html", c.Templates.HTML != "", TypeEmail)
	refuse("templates.text", c.Templates.Text != "", TypeEmail, TypeSMS, TypeSlack)
	refuse("accountSid", c.AccountSID != "", TypeSMS)
	refuse("authToken", c.AuthToken != "", TypeSMS)
	refuse("messagingServiceSid", c.MessagingServiceSID != "", TypeSMS)
	refuse("baseUrl", c.BaseURL != "", TypeSMS)
	refuse("url", c.URL != "", TypeSlack, TypeWebhook)
	refuse("secret", c.Secret != "", TypeWebhook)
	switch c.Type {
	case TypeEmail:
		errs = append(errs, c.validateEmail()...)
	case TypeSMS:
		need("accountSid", c.AccountSID != "")
		need("authToken", c.AuthToken != "")
		need("to", len(c.To) > 0)
		if c.From == "" && c.MessagingServiceSID == "" {
			errs = append(errs, config.Field("from", errors.New("required for sms: a Twilio phone number, or set messagingServiceSid")))
		}
		for i, to := range c.To {
			if !isPhone(to) {
				errs = append(errs, config.Field(fmt.Sprintf("to[%d]", i), fmt.Errorf("%q is not a phone number in E.164 form, e.g. +15551234567", to)))
			}
		}
		if c.BaseURL != "" {
			if err := checkURL(c.BaseURL); err != nil {
				errs = append(errs, config.Field("baseUrl", err))
			}
		}
	case TypeSlack, TypeWebhook:
		need("url", c.URL != "")
		if c.URL != "" {
			if err := checkURL(c.URL.Reveal()); err != nil {
				errs = append(errs, config.Field("url", err))
			}
		}
	}
	return errors.Join(errs...)
}

func (c NotifierConfig) validateEmail() []error {
	var errs []error
	if c.Host == "" {
		errs = append(errs, config.Field("host", errors.New("required for email: the SMTP server, e.g. smtp.example.com")))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, config.Field("port", fmt.Errorf("must be from 1 to 65535, got %d", c.Port)))
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit:
	case TLSNone:
		if c.Host != "" && !isLoopback(c.Host) {
			errs = append(errs, config.Field("tls", fmt.Errorf("none sends mail (and the password) in clear text, so it is allowed only to a server on this host, not %s; use starttls or implicit", c.Host)))
		}
	default:
		errs = append(errs, config.Field("tls", fmt.Errorf("must be starttls, implicit or none, got %q", c.TLS)))
	}
	if c.Password != "" && c.Username == "" {
		errs = append(errs, config.Field("username", errors.New("required when a password is set")))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, config.Field("from", fmt.Errorf("needs an email address, e.g. bulwark@example.com: %v", err)))
	}
	if len(c.To) == 0 {
		errs = append(errs, config.Field("to", errors.New("required for email: one or more addresses")))
	}
	for i, to := range c.To {
		if _, err := mail.ParseAddress(to); err != nil {
			errs = append(errs, config.Field(fmt.Sprintf("to[%d]", i), fmt.Errorf("%q is not an email address", to)))
		}
	}
	return errs
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isPhone(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// checkURL accepts absolute http and https URLs; its errors never repeat
// the URL, which may hold a token.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("not a valid URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return errors.New("must be an absolute http or https URL")
	}
	return nil
}

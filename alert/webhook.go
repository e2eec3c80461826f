package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// A Webhook notifier POSTs each [Notification] as JSON. With a secret,
// the X-Bulwark-Signature header is "t=UNIX,v1=HEX" where HEX is the
// HMAC-SHA256, keyed by the secret, of "UNIX.BODY": the receiver
// recomputes it and refuses old timestamps, which stops replays. It is
// safe for concurrent use.
type Webhook struct {
	name   string
	url    string
	secret []byte
	client *http.Client
	clock  func() time.Time
}

var _ Notifier = (*Webhook)(nil)

// NewWebhook returns the webhook notifier called name; c must be valid.
func NewWebhook(name string, c NotifierConfig, o NotifierOptions) (*Webhook, error) {
	if c.Type != TypeWebhook {
		return nil, fmt.Errorf("notifier %s: type %s is not webhook", name, c.Type)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	clock := o.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Webhook{name: name, url: c.URL.Reveal(), secret: []byte(c.Secret.Reveal()),
		client: newHTTPClient(c.Timeout, o.TLSConfig), clock: clock}, nil
}

// Name returns the notifier's name.
func (w *Webhook) Name() string { return w.name }

// Notify posts n. The X-Bulwark-Notification header carries n.ID, the
// same on every retry, so the receiver can drop duplicates.
func (w *Webhook) Notify(ctx context.Context, n Notification) error {
	body, err := json.Marshal(n)
	if err != nil {
		return Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("building webhook request: %w", redactURL(err)))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "bulwark-alert")
	req.Header.Set("X-Bulwark-Notification", n.ID)
	if len(w.secret) > 0 {
		req.Header.Set("X-Bulwark-Signature", Sign(w.secret, w.clock(), body))
	}
	return post(ctx, w.client, req, "the webhook")
}

// Sign returns the X-Bulwark-Signature value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

func (w *Webhook) close() { w.client.CloseIdleConnections() }

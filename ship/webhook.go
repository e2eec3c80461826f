package ship

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Webhook headers. See the package doc for verifying them.
const (
	SignatureHeader = "X-Bulwark-Signature"
	TimestampHeader = "X-Bulwark-Timestamp"
)

// Webhook POSTs batches as {"events":[…]}, signed with HMAC-SHA256 over
// the timestamp and the body.
type Webhook struct {
	p      *poster
	secret config.Secret
	clock  func() time.Time
	buf    []byte
}

// NewWebhook returns a sink for a valid cfg of type webhook. A nil clock
// means time.Now.
func NewWebhook(cfg SinkConfig, clock func() time.Time) (*Webhook, error) {
	cfg = cfg.withDefaults()
	p, err := newPoster(cfg)
	if err != nil {
		return nil, err
	}
	if clock == nil {
		clock = time.Now
	}
	return &Webhook{p: p, secret: cfg.Secret, clock: clock}, nil
}

// Send posts the batch in one signed request.
func (w *Webhook) Send(ctx context.Context, batch []Record) error {
	w.buf = append(appendArray(append(w.buf[:0], `{"events":`...), batch), '}')
	ts := strconv.FormatInt(w.clock().Unix(), 10)
	h := http.Header{
		"Content-Type":  {"application/json"},
		TimestampHeader: {ts},
		SignatureHeader: {Sign(w.secret, ts, w.buf)},
	}
	return w.p.post(ctx, w.buf, h)
}

// Close releases idle connections.
func (w *Webhook) Close() error {
	w.p.close()
	return nil
}

// Sign returns the X-Bulwark-Signature value of a webhook request:
// "sha256=" and the hex HMAC-SHA256, keyed by secret, of the timestamp
// header's value, a ".", and the body.
func Sign(secret config.Secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret.Reveal()))
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a webhook request as a receiver should: the signature in
// constant time, and the timestamp within maxSkew of now (so a captured
// request cannot be replayed later). Receivers also drop events whose
// event.id they have seen (delivery is at least once).
func Verify(secret config.Secret, timestamp, signature string, body []byte, now time.Time, maxSkew time.Duration) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature))
}

package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

const twilioToken = "twilio-tok-9Kx2"

// twilio is a Messages API peer checking the request format.
type twilio struct {
	t      *testing.T
	mu     sync.Mutex
	forms  []url.Values
	status []int // answers, in order; then 201
	calls  int
	got    chan struct{}
}

func startTwilio(t *testing.T, status ...int) (*twilio, *httptest.Server) {
	tw := &twilio{t: t, status: status, got: make(chan struct{}, 100)}
	srv := httptest.NewServer(tw)
	t.Cleanup(srv.Close)
	return tw, srv
}

func (tw *twilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	user, pass, ok := r.BasicAuth()
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json":
		tw.t.Errorf("SMS request %s %s", r.Method, r.URL.Path)
	case r.Header.Get("Content-Type") != "application/x-www-form-urlencoded":
		tw.t.Errorf("SMS Content-Type %q", r.Header.Get("Content-Type"))
	case !ok || user != "AC123" || pass != twilioToken:
		tw.t.Errorf("SMS basic auth %q ok=%v", user, ok)
	}
	r.ParseForm()
	i := tw.calls
	tw.calls++
	if i < len(tw.status) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(tw.status[i])
		io.WriteString(w, `{"code": 20429, "message": "Too Many Requests"}`)
		return
	}
	tw.forms = append(tw.forms, r.PostForm)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, `{"sid": "SM1", "status": "queued"}`)
	tw.got <- struct{}{}
}

func (tw *twilio) all() []url.Values {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return append([]url.Values(nil), tw.forms...)
}

func smsConfig(base string) NotifierConfig {
	return NotifierConfig{Type: TypeSMS, AccountSID: "AC123", AuthToken: config.Secret(twilioToken),
		From: "+15550001111", To: []string{"+15552223333"}, BaseURL: base}
}

func TestSMSFormat(t *testing.T) {
	tw, srv := startTwilio(t)
	s, err := NewSMS("oncall", smsConfig(srv.URL), NotifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := testNotification()
	n.Summary = strings.Repeat("long summary ", 30)
	if err := s.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	f := tw.all()[0]
	if f.Get("To") != "+15552223333" || f.Get("From") != "+15550001111" || f.Get("MessagingServiceSid") != "" {
		t.Errorf("form = %v", f)
	}
	if body := f.Get("Body"); len(body) > 160 || !strings.HasPrefix(body, "Bulwark FIRING high: long summary") {
		t.Errorf("Body (%d chars) = %q, want one segment", len(body), body)
	}
}

func TestSMSStatus(t *testing.T) {
	tests := []struct {
		status    int
		permanent bool
	}{{429, false}, {500, false}, {503, false}, {400, true}, {401, true}, {404, true}}
	for _, tt := range tests {
		t.Run(itoa(tt.status), func(t *testing.T) {
			_, srv := startTwilio(t, tt.status)
			s, _ := NewSMS("oncall", smsConfig(srv.URL), NotifierOptions{})
			err := s.Notify(context.Background(), testNotification())
			if err == nil || IsPermanent(err) != tt.permanent {
				t.Errorf("Notify on %d = %v, want permanent %v", tt.status, err, tt.permanent)
			}
			if err != nil && strings.Contains(err.Error(), twilioToken) {
				t.Error("the error holds the token")
			}
		})
	}
}

func TestSlack(t *testing.T) {
	got := make(chan map[string]any, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/services/T0/B0/secretpart" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Slack request %s %q", r.URL.Path, r.Header.Get("Content-Type"))
		}
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Error(err)
		}
		got <- m
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	s, err := NewSlack("chat", NotifierConfig{Type: TypeSlack, URL: config.Secret(srv.URL + "/services/T0/B0/secretpart")}, NotifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Notify(context.Background(), testNotification()); err != nil {
		t.Fatal(err)
	}
	m := <-got
	blocks, _ := m["blocks"].([]any)
	if m["text"] != "[FIRING high] Attack burst from 192.0.2.1" || len(blocks) != 1 {
		t.Fatalf("Slack body = %v", m)
	}
	text := blocks[0].(map[string]any)["text"].(map[string]any)
	if text["type"] != "mrkdwn" || !strings.Contains(text["text"].(string), "source.ip=192.0.2.1") {
		t.Errorf("block = %v", text)
	}
	srv.Close()
	err = s.Notify(context.Background(), testNotification())
	if err == nil || strings.Contains(err.Error(), "secretpart") {
		t.Errorf("Notify to a closed server = %v, want an error without the URL", err)
	}
}

func TestWebhookSignature(t *testing.T) {
	secret := "hook-key-77"
	now := time.Unix(1767225600, 0)
	got := make(chan *http.Request, 1)
	bodies := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		bodies <- b
	}))
	defer srv.Close()
	w, err := NewWebhook("hook", NotifierConfig{Type: TypeWebhook, URL: config.Secret(srv.URL + "/hook"), Secret: config.Secret(secret)},
		NotifierOptions{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Notify(context.Background(), testNotification()); err != nil {
		t.Fatal(err)
	}
	r, body := <-got, <-bodies
	var n Notification
	if err := json.Unmarshal(body, &n); err != nil || n.Rule != "malicious-burst" || n.Alerts[0].Count != 981 {
		t.Errorf("webhook body %s: %v", body, err)
	}
	if r.Header.Get("X-Bulwark-Notification") != "n1" {
		t.Errorf("X-Bulwark-Notification = %q", r.Header.Get("X-Bulwark-Notification"))
	}
	sig := r.Header.Get("X-Bulwark-Signature")
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("1767225600."))
	m.Write(body)
	if want := "t=1767225600,v1=" + hex.EncodeToString(m.Sum(nil)); sig != want {
		t.Errorf("signature %q, want %q", sig, want)
	}
	if strings.Contains(string(body), secret) {
		t.Error("the body holds the secret")
	}
}

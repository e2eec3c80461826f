package ship

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// A webhookReceiver accepts only requests whose HMAC verifies.
type webhookReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	ids      []string
	rejected int
}

func newWebhookReceiver(t *testing.T, secret config.Secret) *webhookReceiver {
	r := &webhookReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if !Verify(secret, req.Header.Get(TimestampHeader), req.Header.Get(SignatureHeader), body, time.Now(), 5*time.Minute) {
			r.mu.Lock()
			r.rejected++
			r.mu.Unlock()
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var batch struct{ Events []event.Event }
		if err := json.Unmarshal(body, &batch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		for _, e := range batch.Events {
			r.ids = append(r.ids, e.ID)
		}
		r.mu.Unlock()
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *webhookReceiver) received() ([]string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...), r.rejected
}

func TestWebhookSignatureVerifiedByReceiver(t *testing.T) {
	recv := newWebhookReceiver(t, "s3cret")
	cfg := Config{Sinks: []SinkConfig{
		{Name: "hook", Type: TypeWebhook, URL: recv.URL, Secret: "s3cret", Batch: BatchConfig{Size: 7, Interval: 10 * time.Millisecond}},
		{Name: "forged", Type: TypeWebhook, URL: recv.URL, Secret: "wrong", Retry: RetryConfig{Initial: time.Millisecond, Max: 5 * time.Millisecond}},
	}}
	s, err := New(cfg, Options{Dir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 30 {
		s.Handle(testEvent(i))
		want = append(want, eventID(i))
	}
	testutil.Eventually(t, "30 signed events", func() bool { ids, rej := recv.received(); return len(ids) >= 30 && rej >= 2 })
	s.Close(context.Background())
	ids, _ := recv.received()
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
	if st := s.Stats()[1]; st.Delivered != 0 || st.Failures == 0 {
		t.Errorf("forged sink stats = %+v, want nothing delivered and failures counted", st)
	}
}

func TestVerifyRejectsReplayAndTampering(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"events":[]}`)
	ts := "1800000000"
	sig := Sign("k", ts, body)
	for _, tc := range []struct {
		name      string
		ts, sig   string
		body      []byte
		now       time.Time
		wantValid bool
	}{
		{"valid", ts, sig, body, now, true},
		{"replayed later", ts, sig, body, now.Add(10 * time.Minute), false},
		{"body changed", ts, sig, []byte(`{"events":[1]}`), now, false},
		{"timestamp changed", "1800000001", sig, body, now, false},
		{"not a timestamp", "soon", sig, body, now, false},
	} {
		if got := Verify("k", tc.ts, tc.sig, tc.body, tc.now, 5*time.Minute); got != tc.wantValid {
			t.Errorf("%s: Verify = %v, want %v", tc.name, got, tc.wantValid)
		}
	}
}

func TestLogstashHTTPHonoursRetryAfter(t *testing.T) {
	for _, format := range []string{"json", "ndjson"} {
		t.Run(format, func(t *testing.T) {
			var mu sync.Mutex
			var refusedAt time.Time
			var gap time.Duration
			var ids []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				if refusedAt.IsZero() {
					refusedAt = time.Now()
					w.Header().Set("Retry-After", "1")
					http.Error(w, "slow down", http.StatusTooManyRequests)
					return
				}
				if gap == 0 {
					gap = time.Since(refusedAt)
				}
				body, _ := io.ReadAll(r.Body)
				var batch []event.Event
				if format == "json" {
					if err := json.Unmarshal(body, &batch); err != nil {
						t.Errorf("body is not a JSON array: %v", err)
					}
				} else {
					sc := bufio.NewScanner(bytes.NewReader(body))
					for sc.Scan() {
						var e event.Event
						if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
							t.Errorf("NDJSON line: %v", err)
						}
						batch = append(batch, e)
					}
				}
				for _, e := range batch {
					ids = append(ids, e.ID)
				}
			}))
			defer srv.Close()
			cfg := Config{Sinks: []SinkConfig{{Name: "ls", Type: TypeLogstashHTTP, URL: srv.URL, Format: format,
				Batch: BatchConfig{Interval: 10 * time.Millisecond},
				Retry: RetryConfig{Initial: time.Millisecond, Max: 2 * time.Millisecond}}}}
			s, err := New(cfg, Options{Dir: t.TempDir(), Logger: testLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close(context.Background())
			for i := range 20 {
				s.Handle(testEvent(i))
			}
			testutil.Eventually(t, "20 events", func() bool { mu.Lock(); defer mu.Unlock(); return len(ids) >= 20 })
			mu.Lock()
			defer mu.Unlock()
			if gap < time.Second {
				t.Errorf("retried %s after a 429 with Retry-After: 1 (backoff alone would be ≤ 2ms)", gap)
			}
			if len(uniqueInOrder(ids)) != 20 {
				t.Errorf("got %d distinct events, want 20", len(uniqueInOrder(ids)))
			}
		})
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"120", 2 * time.Minute, true},
		{"Mon, 30 Nov 2026 15:00:30 GMT", 30 * time.Second, true},
		{"Mon, 30 Nov 2026 14:00:00 GMT", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
	} {
		got, ok := retryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A failed connection's error, which goes to the delivery log, does not
// carry the URL's credentials.
func TestPostErrorRedactsURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close() // nothing listens there now
	sink, err := NewLogstashHTTP(SinkConfig{Name: "ls", Type: TypeLogstashHTTP, URL: "http://user:pa55@" + u[len("http://"):] + "/?api_key=s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	err = sink.Send(context.Background(), []Record{{JSON: []byte(`{}`)}})
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	for _, secret := range []string{"s3cret", "pa55"} {
		if bytes.Contains([]byte(err.Error()), []byte(secret)) {
			t.Errorf("Send error = %q, holds %q", err, secret)
		}
	}
}

package console

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)

func attack(i int, ip, class, rule, path string) event.Event {
	return event.Event{Time: t0.Add(time.Duration(i) * time.Second), ID: "e" + string(rune('a'+i%26)),
		Category: event.CategoryMalicious, Type: "denied", Action: "attack-blocked",
		SourceIP: netip.MustParseAddr(ip), RuleID: rule, Path: path, UserName: "u" + ip[len(ip)-1:],
		Labels: map[string]string{"class": class, "rules": rule + ",999"}}
}

func getJSON(t *testing.T, h http.Handler, target string, v any) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	if v != nil && rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v\n%s", target, err, rec.Body)
		}
	}
	return rec.Code
}

// newHistory opens a fresh store in a temporary directory.
func newHistory(t testing.TB) (*SQLiteHistory, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	return openHistory(t, path), path
}

func openHistory(t testing.TB, path string) *SQLiteHistory {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Migrations{"console": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return NewSQLiteHistory(db.DB)
}

func newRecorder(t *testing.T, h History, opts RecorderOptions) *Recorder {
	t.Helper()
	r, err := NewRecorder(context.Background(), nil, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

func TestRecorderEvents(t *testing.T) {
	h, _ := newHistory(t)
	r := newRecorder(t, h, RecorderOptions{Max: 4, Clock: func() time.Time { return t0.Add(time.Hour) }})
	r.Record(event.Event{Time: t0, Category: event.CategoryWeb, Type: "access"})
	r.Record(attack(1, "203.0.113.1", "sqli", "942100", "/search"))
	r.Record(attack(2, "203.0.113.2", "xss", "941100", "/comment"))
	r.Record(attack(3, "203.0.113.1", "sqli", "942200", "/search"))
	r.Record(attack(4, "203.0.113.3", "traversal", "930100", "/files")) // the bound of 4 drops the first
	r.flush(context.Background())
	api := r.Handler()
	tests := []struct {
		query string
		want  []string // source IPs, newest first
	}{
		{"", []string{"203.0.113.3", "203.0.113.1", "203.0.113.2", "203.0.113.1"}},
		{"category=malicious&limit=2", []string{"203.0.113.3", "203.0.113.1"}},
		{"class=sqli", []string{"203.0.113.1", "203.0.113.1"}},
		{"rule=941100", []string{"203.0.113.2"}},
		{"rule=999", []string{"203.0.113.3", "203.0.113.1", "203.0.113.2", "203.0.113.1"}},
		{"ip=203.0.113.2", []string{"203.0.113.2"}},
		{"user=u3", []string{"203.0.113.3"}},
		{"path=sea", []string{"203.0.113.1", "203.0.113.1"}},
		{"since=" + url.QueryEscape(t0.Add(3*time.Second).Format(time.RFC3339)), []string{"203.0.113.3", "203.0.113.1"}},
		{"after=4", []string{"203.0.113.3"}},
		{"net=203.0.113.0/24&class=sqli", []string{"203.0.113.1", "203.0.113.1"}},
		{"net=198.51.100.0/24", nil},
		{"category=web", nil},
	}
	for _, tt := range tests {
		var got struct {
			Events []json.RawMessage
			Last   uint64
		}
		if code := getJSON(t, api, "/v1/events?"+tt.query, &got); code != http.StatusOK {
			t.Errorf("GET /v1/events?%s: %d", tt.query, code)
			continue
		}
		var ips []string
		for _, raw := range got.Events {
			var e event.Event
			json.Unmarshal(raw, &e)
			ips = append(ips, e.SourceIP.String())
		}
		if strings.Join(ips, " ") != strings.Join(tt.want, " ") || got.Last != 5 {
			t.Errorf("GET /v1/events?%s = %v (last %d), want %v (last 5)", tt.query, ips, got.Last, tt.want)
		}
	}
	for _, bad := range []string{"ip=nope", "since=yesterday", "limit=0", "limit=5000", "after=-1", "class=a&class=b", "net=203.0.113.0/16"} {
		if code := getJSON(t, api, "/v1/events?"+bad, nil); code != http.StatusBadRequest {
			t.Errorf("GET /v1/events?%s: %d, want 400", bad, code)
		}
	}

	var top map[string][]Count
	getJSON(t, api, "/v1/events/top?category=malicious", &top)
	if got := top["ips"]; len(got) != 3 || got[0] != (Count{"203.0.113.1", 2}) {
		t.Errorf("top ips = %v, want 203.0.113.1 twice first", got)
	}
	if got := top["paths"]; len(got) != 3 || got[0] != (Count{"/search", 2}) {
		t.Errorf("top paths = %v, want /search twice first", got)
	}
	if got := top["nets"]; len(got) != 1 || got[0] != (Count{"203.0.113.0/24", 4}) {
		t.Errorf("top nets = %v, want 203.0.113.0/24 four times", got)
	}
}

func TestRecorderSeries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, _ := newHistory(t)
		r, err := NewRecorder(context.Background(), nil, h, RecorderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		synctest.Wait() // the sampler waits for its first tick
		var p atomic.Pointer[Probe]
		p.Store(&Probe{Requests: 100, BansActive: 1, App: "ready"})
		r.SetProbe(func() Probe { return *p.Load() })
		time.Sleep(step + step/2) // the first sample is the base of the deltas
		p.Store(&Probe{Requests: 150, Banned: 5, BansActive: 2, App: "ready", Restarts: 1})
		r.Record(event.Event{Time: time.Now(), Type: "denied", Category: event.CategoryMalicious})
		r.Record(event.Event{Time: time.Now(), Category: event.CategoryAuthentication, Action: "login-failure"})
		time.Sleep(step)
		synctest.Wait()

		var s Series
		getJSON(t, r.Handler(), "/v1/series", &s)
		n := len(s.Requests)
		if n != 360 || s.Step != 10 || s.Window != "1h" {
			t.Fatalf("series: %d points of %ds over %q, want 360 of 10s over 1h", n, s.Step, s.Window)
		}
		// The second sample landed in the last step; the events in the one before.
		if s.Requests[n-1] == nil || *s.Requests[n-1] != 5 || *s.BansActive[n-1] != 2 || *s.Restarts[n-1] != 1 || s.App[n-1] != "ready" {
			t.Errorf("last point: requests %v, bans %v, restarts %v, app %q; want 5/s, 2, 1, ready",
				deref(s.Requests[n-1]), deref(s.BansActive[n-1]), deref(s.Restarts[n-1]), s.App[n-1])
		}
		if s.Blocked[n-1]+s.Blocked[n-2] != 0.1+0.5 || s.FailedLogins[n-1]+s.FailedLogins[n-2] != 0.1 {
			t.Errorf("blocked %v, failed logins %v in the last two points; want 0.6 and 0.1 per second in all",
				s.Blocked[n-2:], s.FailedLogins[n-2:])
		}
		if s.Requests[0] != nil {
			t.Errorf("an hour ago: %v requests/s, want no sample (null)", *s.Requests[0])
		}
		getJSON(t, r.Handler(), "/v1/series?window=24h", &s)
		if len(s.Requests) != 288 || s.Step != 300 {
			t.Errorf("24h series: %d points of %ds, want 288 of 300s", len(s.Requests), s.Step)
		}
		if code := getJSON(t, r.Handler(), "/v1/series?window=30d", nil); code != http.StatusBadRequest {
			t.Errorf("window=30d: %d, want 400", code)
		}
	})
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRecorderStream(t *testing.T) {
	h, _ := newHistory(t)
	r := newRecorder(t, h, RecorderOptions{})
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/events/stream?class=sqli", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	br := bufio.NewReader(resp.Body)
	br.ReadString('\n') // the opening comment: the watcher is registered after it
	br.ReadString('\n')
	waitWatchers(t, r, 1)
	r.Record(attack(1, "203.0.113.1", "xss", "941100", "/a")) // filtered out
	r.Record(attack(2, "203.0.113.2", "sqli", "942100", "/b"))
	id, _ := br.ReadString('\n')
	data, _ := br.ReadString('\n')
	if id != "id: 2\n" || !strings.HasPrefix(data, "data: {") || !strings.Contains(data, `"ip":"203.0.113.2"`) {
		t.Errorf("stream sent %q %q, want event 2 from 203.0.113.2", id, data)
	}
	cancel()
	waitWatchers(t, r, 0)
}

func waitWatchers(t *testing.T, r *Recorder, n int) {
	t.Helper()
	for range 500 {
		r.mu.Lock()
		got := len(r.watchers)
		r.mu.Unlock()
		if got == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("stream watchers never became %d", n)
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"category=malicious&ip=203.0.113.9&limit=10", "since=2026-01-02T03:04:05Z&after=3", "ip=%zz", "limit=-1", "path=%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl, err := parseFilter(q)
		if err == nil && (fl.Limit < 1 || fl.Limit > maxLimit) {
			t.Errorf("parseFilter(%q) limit %d out of range", raw, fl.Limit)
		}
	})
}

package event

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func sample() Event {
	return Event{
		Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), ID: "id1",
		Kind: KindAlert, Category: CategoryMalicious, Type: "denied", Action: "sqli",
		Outcome: OutcomeFailure, Severity: SeverityHigh, Message: "blocked",
		SourceIP: netip.MustParseAddr("203.0.113.9"), UserName: "alice", RequestID: "r1",
		Method: "GET", Status: 403, Path: "/search", UserAgent: "curl/8",
		RuleID: "942100", RuleName: "sqli-libinjection", TechniqueID: "T1190",
		Observer: "gw-a", Labels: map[string]string{"where": "query:q"},
	}
}

func TestJSONIsNestedECS(t *testing.T) {
	b, err := json.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"@timestamp": "2026-11-24T10:00:00Z",
		"event":      map[string]any{"id": "id1", "kind": "alert", "category": "malicious", "type": "denied", "action": "sqli", "outcome": "failure", "severity": 3.0},
		"message":    "blocked",
		"source":     map[string]any{"ip": "203.0.113.9"},
		"user":       map[string]any{"name": "alice"},
		"http":       map[string]any{"request": map[string]any{"id": "r1", "method": "GET"}, "response": map[string]any{"status_code": 403.0}},
		"url":        map[string]any{"path": "/search"},
		"user_agent": map[string]any{"original": "curl/8"},
		"rule":       map[string]any{"id": "942100", "name": "sqli-libinjection"},
		"threat":     map[string]any{"technique": map[string]any{"id": "T1190"}},
		"labels":     map[string]any{"where": "query:q"},
		"observer":   map[string]any{"name": "gw-a"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ECS JSON mismatch (-want +got):\n%s", diff)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	in := sample()
	b, _ := json.Marshal(in)
	var out Event
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
}

func TestJSONLeavesOutEmpty(t *testing.T) {
	b, _ := json.Marshal(Event{ID: "x", Kind: KindEvent})
	for _, key := range []string{"source", "user", "http", "url", "rule", "threat", "labels", "message", "observer"} {
		if bytes.Contains(b, []byte(`"`+key+`"`)) {
			t.Errorf("empty event JSON has %q: %s", key, b)
		}
	}
}

func TestBusDeliversInOrderAndCloseDrains(t *testing.T) {
	bus := NewBus(nil)
	var mu sync.Mutex
	var got []string
	bus.Subscribe("test", 100, func(e Event) {
		mu.Lock()
		got = append(got, e.Action)
		mu.Unlock()
	})
	for i := range 50 {
		bus.Publish(Event{Action: string(rune('a' + i%26))})
	}
	bus.Close()
	if len(got) != 50 || got[0] != "a" || got[26] != "a" {
		t.Fatalf("delivered %d events %v, want 50 in order", len(got), got)
	}
	st := bus.Stats()
	if st[0].Delivered != 50 || st[0].Dropped != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestBusNeverBlocksAndCountsDrops(t *testing.T) {
	bus := NewBus(nil)
	release := make(chan struct{})
	bus.Subscribe("stuck", 4, func(Event) { <-release })
	done := make(chan struct{})
	go func() {
		for range 1000 {
			bus.Publish(Event{})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Publish blocked on a stuck subscriber")
	}
	close(release)
	bus.Close()
	st := bus.Stats()[0]
	if st.Delivered+st.Dropped != 1000 || st.Dropped < 990 {
		t.Errorf("Stats = %+v, want 1000 accounted with most dropped", st)
	}
	bus.Publish(Event{}) // after Close: dropped, no panic
}

func TestBusFillsIDTimeKind(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bus := NewBus(func() time.Time { return now })
	ch := make(chan Event, 1)
	bus.Subscribe("t", 1, func(e Event) { ch <- e })
	bus.Publish(Event{})
	bus.Close()
	e := <-ch
	if e.ID == "" || !e.Time.Equal(now) || e.Kind != KindEvent {
		t.Errorf("Publish did not fill defaults: %+v", e)
	}
}

// TestBusNamesTheObserver: once a gateway has a name in a fleet, every
// event it publishes carries it (a sink or an alert tells gateways apart),
// and an event that names another gateway keeps its own.
func TestBusNamesTheObserver(t *testing.T) {
	bus := NewBus(nil)
	ch := make(chan Event, 3)
	bus.Subscribe("t", 3, func(e Event) { ch <- e })
	bus.Publish(Event{Message: "before"})
	bus.SetObserver("gw-a")
	bus.Publish(Event{Message: "after"})
	bus.Publish(Event{Message: "mirrored", Observer: "gw-b"})
	bus.Close()
	want := []string{"", "gw-a", "gw-b"}
	for i, w := range want {
		if e := <-ch; e.Observer != w {
			t.Errorf("event %d (%s): observer %q, want %q", i, e.Message, e.Observer, w)
		}
	}
}

func TestJSONLWriterOneLinePerEvent(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				w.Handle(sample())
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("got %d lines, want 800", len(lines))
	}
	for _, l := range lines {
		var e Event
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
	}
}

func BenchmarkPublish(b *testing.B) {
	bus := NewBus(nil)
	bus.Subscribe("discard", 1<<16, func(Event) {})
	e := sample()
	b.ReportAllocs()
	for b.Loop() {
		bus.Publish(e)
	}
	bus.Close()
}

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 5, "hello"},
		{"hello", 3, "hel"},
		{"héllo", 2, "h"}, // é is two bytes: never half of it
		{"héllo", 3, "hé"},
		{"日本", 4, "日"},
		{"日本", 0, ""},
	} {
		if got := Truncate(c.s, c.n); got != c.want || !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

// TestParseSeverity checks that every section of the file reads a
// severity alike: alert's rules were case-sensitive, ship's filters not.
func TestParseSeverity(t *testing.T) {
	for name, want := range map[string]Severity{"info": SeverityInfo, "LOW": SeverityLow, "Medium": SeverityMedium, "high": SeverityHigh, "critical": SeverityCritical} {
		if got, err := ParseSeverity(name); got != want || err != nil {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	for _, bad := range []string{"", "severe", "hi"} {
		if _, err := ParseSeverity(bad); err == nil || !strings.Contains(err.Error(), "info, low, medium, high, critical") {
			t.Errorf("ParseSeverity(%q) error = %v, want one naming the severities", bad, err)
		}
	}
}

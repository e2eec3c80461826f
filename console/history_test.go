package console

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// TestHistorySurvivesRestart records events and samples, closes the
// recorder and the store as a stopping gateway does, and opens the same
// file again: the events, the series and the sequence numbers go on.
func TestHistorySurvivesRestart(t *testing.T) {
	ctx := context.Background()
	_, path := newHistory(t)
	now := t0.Add(time.Minute)
	clock := func() time.Time { return now }

	db, err := sqlite.Open(ctx, path, sqlite.Migrations{"console": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRecorder(ctx, nil, NewSQLiteHistory(db.DB), RecorderOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		r.Record(attack(i, "203.0.113.7", "sqli", "942100", "/search"))
	}
	r.SetProbe(func() Probe { return Probe{Requests: 10, BansActive: 1, App: "ready"} })
	now = now.Add(step)
	r.SetProbe(func() Probe { return Probe{Requests: 30, Banned: 4, BansActive: 1, App: "ready"} })
	r.Close() // writes what is pending
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	r2 := newRecorder(t, openHistory(t, path), RecorderOptions{Clock: clock})
	r2.Record(attack(7, "203.0.113.8", "xss", "941100", "/c"))
	var got struct {
		Events []json.RawMessage
		Last   uint64
	}
	getJSON(t, r2.Handler(), "/v1/events?category=malicious", &got)
	if len(got.Events) != 7 || got.Last != 7 {
		t.Fatalf("after a restart: %d events, last %d; want the 6 from before and 1 new, last 7", len(got.Events), got.Last)
	}
	var newest event.Event
	json.Unmarshal(got.Events[0], &newest)
	if newest.SourceIP.String() != "203.0.113.8" {
		t.Errorf("newest event from %s, want the one recorded after the restart", newest.SourceIP)
	}
	var s Series
	getJSON(t, r2.Handler(), "/v1/series?window=1h", &s)
	if s.Totals["attacks"] != 7 || s.Totals["requests"] != 20 || s.Totals["banned"] != 4 || len(s.Attacks["sqli"]) == 0 {
		t.Errorf("series after a restart: totals %v, want 7 attacks, 20 requests, 4 banned", s.Totals)
	}
}

// TestHistoryRetention keeps events for RetentionDays and at most Max.
func TestHistoryRetention(t *testing.T) {
	h, path := newHistory(t)
	now := t0
	clock := func() time.Time { return now }
	r := newRecorder(t, h, RecorderOptions{Clock: clock, Retention: 24 * time.Hour, Max: 1000})
	old := attack(1, "203.0.113.1", "sqli", "942100", "/old")
	r.Record(old)
	r.Record(attack(2, "203.0.113.2", "sqli", "942100", "/new"))
	r.Close()

	// A day and a bit later, a new recorder on the same store prunes
	// what is past the retention as it starts.
	now = t0.Add(24*time.Hour + 1500*time.Millisecond)
	r2 := newRecorder(t, openHistory(t, path), RecorderOptions{Clock: clock, Retention: 24 * time.Hour, Max: 1000})
	evs, err := r2.hist.Events(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Errorf("past the retention: %d events kept, want 1 (the one under a day old)", len(evs))
	}

	// Past Max, the oldest go.
	r3 := newRecorder(t, openHistory(t, path), RecorderOptions{Clock: clock, Retention: 24 * time.Hour, Max: 3})
	for i := range 5 {
		r3.Record(attack(100+i, "203.0.113.3", "xss", "941100", "/x"))
	}
	r3.flush(context.Background())
	if evs, _ := r3.hist.Events(context.Background(), Filter{}); len(evs) != 3 {
		t.Errorf("with Max 3: %d events kept, want 3", len(evs))
	}
}

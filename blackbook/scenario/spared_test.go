package scenario

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestSpared: a target the Banner spares (allowlisted) is logged as not
// banned, counted as no decision, published as nothing, and left alone
// for the ban's duration instead of asked about on every event.
func TestSpared(t *testing.T) {
	b := banner{err: ErrSpared}
	var p published
	var logs bytes.Buffer
	e := newEngine(t, Config{}, Options{Banner: &b, Publish: p.publish, Clock: newClock().now,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	e.Handle(attack("127.0.0.1", "/.env", "sensitive-file", "bw-file-001", true))
	e.Handle(attack("127.0.0.1", "/.git/config", "sensitive-file", "bw-file-001", true))
	if !strings.Contains(logs.String(), `msg="not banned: allowlisted"`) || strings.Contains(logs.String(), "ban decided") || strings.Contains(logs.String(), "ban failed") {
		t.Errorf("log:\n%s\nwant \"not banned: allowlisted\", and no ban decided or failed", logs.String())
	}
	if es := p.events(); len(es) != 0 {
		t.Errorf("published %+v, want nothing", es)
	}
	if s := e.Stats(); s.Decisions != 0 || s.Failed != 0 {
		t.Errorf("stats = %+v, want no decision and no failure", s)
	}
	if got := len(b.decisions()); got != 1 {
		t.Errorf("Ban called %d times, want 1 (a spared target is left alone for the ban's duration)", got)
	}
}

package supervise

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestRecentKeepsTheLastLinesCut(t *testing.T) {
	r := newRecent(func() time.Time { return time.Unix(0, 0) })
	for i := range RecentLines + 5 {
		r.add(streamStdout, 7, fmt.Appendf(nil, "line %d\r\n", i))
	}
	got := r.last(0)
	if len(got) != RecentLines || got[0].Text != "line 5" || got[len(got)-1].Text != fmt.Sprintf("line %d", RecentLines+4) {
		t.Fatalf("after %d lines the ring holds %d, %q … %q; want %d, line 5 … line %d",
			RecentLines+5, len(got), got[0].Text, got[len(got)-1].Text, RecentLines, RecentLines+4)
	}
	if l := r.last(2); len(l) != 2 || l[1].Text != got[len(got)-1].Text || l[1].PID != 7 || l[1].Stream != "stdout" {
		t.Errorf("last(2) = %+v, want the newest two", l)
	}

	long := strings.Repeat("a", RecentLineMax-1) + "é and more\n" // é straddles the cut
	r.add(streamStderr, 7, []byte(long))
	l := r.last(1)[0]
	if !l.Cut || len(l.Text) != RecentLineMax-1 || l.Stream != "stderr" {
		t.Errorf("a %d-byte line was kept as %d bytes, cut %v; want %d bytes (no half rune), cut", len(long), len(l.Text), l.Cut, RecentLineMax-1)
	}
}

func TestScenarioRecentLinesOfARealApp(t *testing.T) {
	t.Parallel()
	cfg := Config{Command: []string{appPath, "-lines", "300", "-partial", "the end, no newline"},
		Restart: RestartNever, Logs: Logs{Console: ConsoleOff}}
	h := start(t, cfg, nil, Options{})
	if err := h.wait(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	got := h.s.RecentLines(0)
	if len(got) != RecentLines {
		t.Fatalf("RecentLines(0) gave %d lines after 601, want %d", len(got), RecentLines)
	}
	// The streams are read apart, so they interleave as they arrive; each
	// stream's lines are its last ones, in order, and the newest line kept
	// is the last its stream wrote.
	last := map[string]int{"stdout": -1, "stderr": -1}
	for _, l := range got {
		var n int
		var prefix string
		if l.Stream == "stdout" && l.Text == "the end, no newline" {
			n = 300
		} else if _, err := fmt.Sscanf(l.Text, "%s %d", &prefix, &n); err != nil || prefix != map[string]string{"stdout": "out", "stderr": "err"}[l.Stream] {
			t.Fatalf("line %+v: not what the app wrote to %s", l, l.Stream)
		}
		if last[l.Stream] >= 0 && n != last[l.Stream]+1 {
			t.Errorf("%s: line %d follows line %d", l.Stream, n, last[l.Stream])
		}
		last[l.Stream] = n
		if l.PID == 0 || l.Time.IsZero() {
			t.Errorf("line %+v: no pid or time", l)
		}
	}
	newest := got[len(got)-1]
	if want := map[string]int{"stdout": 300, "stderr": 299}[newest.Stream]; last[newest.Stream] != want {
		t.Errorf("the newest line kept is %+v, not the last its stream wrote (the partial line for stdout)", newest)
	}
	long := Config{Command: []string{appPath, "-long", "300000"}, Restart: RestartNever, Logs: Logs{Console: ConsoleOff}}
	h = start(t, long, nil, Options{})
	if err := h.wait(); err != nil {
		t.Fatal(err)
	}
	if l := h.s.RecentLines(0); len(l) != 1 || !l[0].Cut || len(l[0].Text) != RecentLineMax {
		t.Errorf("a 300000-byte line kept as %d lines; want 1 cut at %d bytes", len(l), RecentLineMax)
	}
}

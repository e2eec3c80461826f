package supervise

import (
	"sync"
	"time"
	"unicode/utf8"
)

// Bounds of the lines a [Supervisor] keeps for [Supervisor.RecentLines].
const (
	RecentLines   = 200     // lines kept, the oldest dropped first
	RecentLineMax = 2 << 10 // bytes kept of each line; the rest is cut
)

// A Line is one line of the app's output, as kept in memory for a status
// view. Text is the app's own output: untrusted, show it as text only.
type Line struct {
	Time   time.Time `json:"time"`
	Stream string    `json:"stream"` // "stdout" or "stderr"
	PID    int       `json:"pid"`
	Text   string    `json:"text"`          // without its line break, at most RecentLineMax bytes
	Cut    bool      `json:"cut,omitempty"` // Text is the start of a longer line
}

// recent is a ring of the app's last output lines, across restarts. It is
// safe for concurrent use.
type recent struct {
	mu    sync.Mutex
	lines []Line // ring: next is the oldest once full
	next  int
	now   func() time.Time
}

func newRecent(now func() time.Time) *recent {
	return &recent{lines: make([]Line, 0, RecentLines), now: now}
}

// add keeps a copy of line (its newline dropped, cut at RecentLineMax on
// a UTF-8 boundary).
func (r *recent) add(stream, pid int, line []byte) {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	l := Line{Stream: streamNames[stream], PID: pid, Time: r.now()}
	if n > RecentLineMax {
		n, l.Cut = RecentLineMax, true
		for n > RecentLineMax-utf8.UTFMax && !utf8.RuneStart(line[n]) {
			n--
		}
	}
	l.Text = string(line[:n])
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.lines) < cap(r.lines) {
		r.lines = append(r.lines, l)
		return
	}
	r.lines[r.next] = l
	r.next = (r.next + 1) % len(r.lines)
}

// last returns up to n lines, oldest first; n <= 0 means all.
func (r *recent) last(n int) []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Line, 0, len(r.lines))
	out = append(out, r.lines[r.next:]...)
	out = append(out, r.lines[:r.next]...)
	if n > 0 && n < len(out) {
		out = out[len(out)-n:]
	}
	return out
}

// RecentLines returns up to n of the app's last output lines (both
// streams, every process since New), oldest first; n <= 0 means all it
// keeps ([RecentLines], each cut at [RecentLineMax] bytes). The lines are
// kept whatever Logs.Console says.
func (s *Supervisor) RecentLines(n int) []Line { return s.recent.last(n) }

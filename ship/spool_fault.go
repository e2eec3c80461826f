package ship

import (
	"context"
	"log/slog"
	"time"
)

// While the disk refuses the spool's writes (full, over quota, read-only,
// failing), appended events are held in memory, up to a bound, and the
// flusher tries again with exponential backoff. The trouble is logged
// once when it starts and once when it ends, with what was held and what
// was dropped; the tries in between are logged at debug level only.
const (
	defaultMaxHeld      = 10_000
	defaultMaxHeldBytes = 16 << 20
	// maxWriteBackoff caps the wait between tries to write to a spool that
	// failed: the first wait is spool.interval, each next one twice the last.
	maxWriteBackoff = 5 * time.Second
)

// A writeFault is one episode of trouble: from a failed flush to the next
// flush that succeeds.
type writeFault struct {
	since    time.Time
	failing  bool // the last flush failed (always, while the episode lasts)
	attempts int  // failed flushes in a row
	err      error
	dropped  int // events dropped at the held bound in this episode
	maxHeld  int
}

// heldFull reports whether a record of size bytes must be dropped: the
// disk refuses writes and the held records are at their bound. A disk that
// takes writes is not held to the bound: records wait there only for the
// next group commit, and a burst faster than fsync must not cost events.
// s.mu is held.
func (s *spool) heldFull(size int64) bool {
	return s.fault != nil && s.fault.failing && s.held > 0 &&
		(s.held >= s.opts.MaxHeld || s.heldBytes+size > s.opts.MaxHeldBytes)
}

// dropHeld counts one event dropped at the held bound and reports whether
// it is the first of its episode. s.mu is held.
func (s *spool) dropHeld() (first bool) {
	s.heldDropped++
	f := s.fault // set: see heldFull
	f.dropped++
	if f.dropped > 1 {
		return false
	}
	s.warn("spool holds as many events as it may in memory; dropping new events until it can write again",
		slog.Int("held", s.held), slog.Int("max_held", s.opts.MaxHeld), slog.Int64("max_held_bytes", s.opts.MaxHeldBytes))
	return true
}

// flushTracked flushes and follows the episode of trouble: it starts at a
// failed flush and ends at the next one that succeeds. It returns how long
// the flusher waits before the next flush.
func (s *spool) flushTracked() time.Duration {
	written, err := s.flush()

	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fault
	if err != nil {
		s.writeFails++
		if f == nil {
			f = &writeFault{since: time.Now()}
			s.fault = f
		}
		if !f.failing {
			f.failing, f.err = true, err
			s.warn("spool cannot write; holding events in memory and trying again with backoff",
				slog.String("error", err.Error()), slog.Int("held", s.held), slog.Int("max_held", s.opts.MaxHeld))
		}
		f.attempts++
		f.maxHeld = max(f.maxHeld, s.held)
		wait := maxWriteBackoff
		if shift := f.attempts - 1; shift < 16 {
			wait = min(maxWriteBackoff, s.opts.Interval<<shift)
		}
		if s.opts.Log != nil {
			s.opts.Log.LogAttrs(context.Background(), slog.LevelDebug, "spool write failed", slog.String("spool", s.dir),
				slog.Int("attempt", f.attempts), slog.Duration("retry_in", wait), slog.String("error", err.Error()))
		}
		return wait
	}
	if f != nil {
		level := slog.LevelInfo
		if f.dropped > 0 {
			level = slog.LevelWarn
		}
		if s.opts.Log != nil {
			s.opts.Log.LogAttrs(context.Background(), level, "spool writes again; held events are written and will be delivered",
				slog.String("spool", s.dir), slog.Duration("for", time.Since(f.since)), slog.Int("failed_writes", f.attempts),
				slog.Int("written", written), slog.Int("max_held", max(f.maxHeld, s.held+written)), slog.Int("dropped", f.dropped))
		}
		s.fault = nil
	}
	return s.opts.Interval
}

// failing reports whether the last flush failed: the flusher is backing off.
func (s *spool) failing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fault != nil && s.fault.failing
}

type heldStats struct {
	held       int
	dropped    uint64
	writeFails uint64
}

// heldStats reports the records held in memory, those dropped at the bound
// (or lost at a failed close), and the failed flushes.
func (s *spool) heldStats() heldStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return heldStats{s.held, s.heldDropped, s.writeFails}
}

package ship

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// A fullDisk makes the spool's file writes fail with ENOSPC while full is
// set, as a full disk does: a write takes part of its data, then fails.
// Only the writes are faulted; reads, the files and the receiver are real.
type fullDisk struct {
	full    atomic.Bool
	refused atomic.Int64
}

func (d *fullDisk) open(name string, flag int, perm os.FileMode) (spoolFile, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &fullDiskFile{f, d}, nil
}

type fullDiskFile struct {
	*os.File
	d *fullDisk
}

func (f *fullDiskFile) WriteAt(p []byte, off int64) (int, error) {
	if !f.d.full.Load() {
		return f.File.WriteAt(p, off)
	}
	f.d.refused.Add(1)
	n, _ := f.File.WriteAt(p[:len(p)/2], off)
	return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func (f *fullDiskFile) Write(p []byte) (int, error) {
	if !f.d.full.Load() {
		return f.File.Write(p)
	}
	f.d.refused.Add(1)
	n, _ := f.File.Write(p[:len(p)/2])
	return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

// logBuffer collects text log lines for counting.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the lines that contain all of parts.
func (b *logBuffer) lines(parts ...string) []string {
	var out []string
	for l := range strings.Lines(b.String()) {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

const (
	logCannotWrite = "spool cannot write"
	logDropping    = "dropping new events"
	logWritesAgain = "spool writes again"
)

// TestSpoolFullDiskBacksOffBoundsAndWritesHeld: during 2s of a disk that
// refuses every write, the spool tries again with backoff (a handful of
// tries, not one per 50ms interval), warns once, holds exactly its bound in
// memory and counts every other event as dropped; once the disk takes
// writes, every held event is written and read back once, in order.
func TestSpoolFullDiskBacksOffBoundsAndWritesHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const maxHeld = 1000
		disk := &fullDisk{}
		var logs logBuffer
		o := testSpoolOptions()
		o.Interval, o.MaxHeld, o.OpenFile = 50*time.Millisecond, maxHeld, disk.open
		o.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		dir := t.TempDir()
		os.Chmod(dir, 0o700) // no warning about its mode
		s := mustOpen(t, dir, o)
		defer s.close()

		n := 0
		for ; n < 100; n++ {
			s.append(payload(n))
		}
		drain(t, s, 100)
		time.Sleep(2 * o.Interval) // the acknowledgement is written
		synctest.Wait()

		disk.full.Store(true)
		first := n
		drops := 0
		for range 200 { // 2s: 25 events every 10ms
			for range 25 {
				res, err := s.append(payload(n))
				if err != nil {
					t.Fatalf("append %d: %v", n, err)
				}
				if res.Held {
					drops++
				}
				n++
			}
			if h := s.heldStats().held; h > maxHeld {
				t.Fatalf("%d events held in memory, bound %d", h, maxHeld)
			}
			time.Sleep(10 * time.Millisecond)
		}
		st := s.heldStats()
		outage := n - first
		if st.held != maxHeld || drops != outage-maxHeld || st.dropped != uint64(drops) {
			t.Errorf("after the outage: held %d, dropped %d (counted %d); want held %d, dropped %d",
				st.held, drops, st.dropped, maxHeld, outage-maxHeld)
		}
		// Without backoff a try every 50ms makes 40; doubling from 50ms
		// makes 6.
		if st.writeFails < 3 || st.writeFails > 7 {
			t.Errorf("%d failed writes in a 2s outage, want 3 to 7 (backoff from 50ms)", st.writeFails)
		}
		if got := len(logs.lines(logCannotWrite)); got != 1 {
			t.Errorf("%q logged %d times, want once", logCannotWrite, got)
		}
		if got := len(logs.lines(logDropping)); got != 1 {
			t.Errorf("%q logged %d times, want once", logDropping, got)
		}
		if got := len(logs.lines("level=WARN")); got != 2 {
			t.Errorf("%d warnings during the outage, want 2:\n%s", got, logs.String())
		}

		disk.full.Store(false)
		time.Sleep(maxWriteBackoff + o.Interval)
		synctest.Wait()
		if st := s.heldStats(); st.held != 0 {
			t.Fatalf("%d events still held after the disk took writes again", st.held)
		}
		if got := logs.lines(logWritesAgain, "written=1000", "dropped=4000"); len(got) != 1 {
			t.Errorf("want one %q line with written=1000 dropped=4000, got:\n%s", logWritesAgain, logs.String())
		}
		got := drain(t, s, maxHeld)
		for i, p := range got {
			if want := payload(first + i); !bytes.Equal(p, want) {
				t.Fatalf("held record %d = %s, want %s", i, p, want)
			}
		}
		if b, recs := s.backlog(); recs != 0 {
			t.Errorf("backlog after reading the held records = %d records, %d bytes; want 0", recs, b)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if extra, err := s.next(ctx, 10, 0); err == nil {
			t.Errorf("%d more records after the held ones, want none (each exactly once)", len(extra))
		}
	})
}

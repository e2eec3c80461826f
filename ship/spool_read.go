package ship

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// next returns up to max records after the last ones it returned, waiting
// until at least one is committed. With wait > 0 it then keeps collecting
// for up to wait while fewer than max have come. It fails only when ctx is
// done or the spool is closed.
func (s *spool) next(ctx context.Context, max int, wait time.Duration) ([]entry, error) {
	// The batch's payloads share one slab, reused from batch to batch (a
	// batch is acknowledged before the next is read) but only appended to
	// within one: a batch may take several reads, across segments.
	s.slab = s.slab[:0]
	var out []entry
	var timeout <-chan time.Time
	for {
		got, ch, err := s.readSome(max - len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if len(out) >= max || (len(out) > 0 && wait <= 0) {
			return out, nil
		}
		if ch == nil {
			continue // there may be more at once
		}
		if len(out) > 0 && timeout == nil {
			t := time.NewTimer(wait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-ch:
		case <-timeout:
			return out, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// readSome reads up to max committed records from the read position. When
// none are committed it returns a channel closed at the next commit.
func (s *spool) readSome(max int) ([]entry, <-chan struct{}, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, nil, errSpoolClosed
		}
		if s.read.Seg < s.segs[0].id {
			s.read = position{Seg: s.segs[0].id} // dropped under the reader
		}
		seg := s.find(s.read.Seg)
		if seg == nil {
			s.read = position{Seg: s.after(s.read.Seg)}
			s.mu.Unlock()
			continue
		}
		end, last := seg.committed, seg == s.segs[len(s.segs)-1]
		if s.read.Off >= end {
			if !last && seg.committed == seg.size {
				s.read = position{Seg: s.after(seg.id)}
				s.mu.Unlock()
				continue
			}
			ch := s.notify
			s.mu.Unlock()
			return nil, ch, nil
		}
		at := s.read
		s.mu.Unlock()

		out, err := s.readSegment(at, end, max)
		if errors.Is(err, fs.ErrNotExist) {
			continue // dropped while we looked; the segment list has moved on
		}
		if err != nil {
			s.warn("spool segment unreadable; skipping the rest of it", slog.Uint64("segment", at.Seg), slog.String("error", err.Error()))
			s.read = position{Seg: at.Seg, Off: end}
			continue
		}
		s.read = out[len(out)-1].end
		return out, nil, nil
	}
}

// after returns the id of the first live segment after id. s.mu is held.
func (s *spool) after(id uint64) uint64 {
	for _, seg := range s.segs {
		if seg.id > id {
			return seg.id
		}
	}
	return s.segs[len(s.segs)-1].id
}

// readSegment reads up to max records of segment at.Seg between at.Off and
// end.
func (s *spool) readSegment(at position, end int64, max int) ([]entry, error) {
	if s.readFile == nil || s.readSeg != at.Seg {
		if s.readFile != nil {
			s.readFile.Close()
			s.readFile = nil
		}
		f, err := os.Open(filepath.Join(s.dir, segName(at.Seg)))
		if err != nil {
			return nil, err
		}
		s.readFile, s.readSeg = f, at.Seg
	}
	if s.readBR == nil {
		s.readBR = bufio.NewReaderSize(nil, 64<<10)
	}
	br := s.readBR
	br.Reset(io.NewSectionReader(s.readFile, at.Off, end-at.Off))
	// Payloads are appended to the batch's slab (see next).
	type span struct{ from, to int }
	var spans []span
	off := at.Off
	for len(spans) < max {
		p, err := readRecord(br, s.readBuf)
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(spans) > 0 {
				break // report it on the next call
			}
			return nil, err
		}
		s.readBuf = p
		spans = append(spans, span{len(s.slab), len(s.slab) + len(p)})
		s.slab = append(s.slab, p...)
	}
	out := make([]entry, len(spans))
	for i, sp := range spans {
		off += headerLen + int64(sp.to-sp.from)
		out[i] = entry{data: s.slab[sp.from:sp.to:sp.to], end: position{at.Seg, off}}
	}
	return out, nil
}

// ack records that every record up to and including batch's last is
// delivered. Segments wholly before the acknowledged position are removed
// by the flusher, after the position is persisted.
func (s *spool) ack(batch []entry) {
	if len(batch) == 0 {
		return
	}
	last := batch[len(batch)-1].end
	n := 0
	for _, e := range batch {
		if e.end.Seg == last.Seg {
			n++
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if last.Seg < s.segs[0].id {
		return // dropped meanwhile
	}
	if last.Seg == s.acked.Seg {
		s.ackRecs += n
	} else {
		s.ackRecs = n
	}
	s.acked, s.ackDirty = last, true
	for len(s.segs) > 1 {
		first := s.segs[0]
		done := first.id < s.acked.Seg || (first.id == s.acked.Seg && s.acked.Off >= first.size && first.committed == first.size)
		if !done {
			break
		}
		s.segs = s.segs[1:]
		s.total -= first.size
		s.toDelete = append(s.toDelete, first.id)
		if first.id == s.acked.Seg {
			s.acked, s.ackRecs = position{Seg: s.segs[0].id}, 0
		}
	}
}

// backlog reports the bytes and records not yet acknowledged.
func (s *spool) backlog() (bytes int64, records int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, seg := range s.segs {
		records += seg.records
	}
	records -= s.ackRecs
	return s.total - s.acked.Off, records
}

// close stops the flusher, writes what is pending and persists the
// acknowledged position. The delivery goroutine must have stopped.
func (s *spool) close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	<-s.done
	_, err := s.flush()
	if err != nil {
		s.mu.Lock()
		lost := s.held
		s.heldDropped += uint64(lost)
		s.mu.Unlock()
		if lost > 0 && s.opts.Log != nil {
			s.opts.Log.LogAttrs(context.Background(), slog.LevelError, "spool closed unable to write; events held in memory are lost",
				slog.String("spool", s.dir), slog.Int("lost", lost), slog.String("error", err.Error()))
		}
	}
	if s.w != nil {
		s.w.Close()
	}
	if s.readFile != nil {
		s.readFile.Close()
	}
	s.lock.Close()
	return err
}

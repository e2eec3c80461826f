package ship

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// flusher group-commits appended records every interval, or sooner when
// many wait, until close. After a failed flush it waits with backoff (see
// flushTracked), and many records waiting do not cut the wait short.
func (s *spool) flusher() {
	defer close(s.done)
	t := time.NewTimer(s.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.kick:
			if s.failing() {
				continue
			}
		case <-s.stop:
			return
		}
		t.Reset(s.flushTracked())
	}
}

// flush writes and fsyncs the pending records, makes them visible to the
// reader, persists a changed acknowledgement and removes dead segments. It
// returns how many records it wrote.
func (s *spool) flush() (int, error) {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()

	s.mu.Lock()
	chunks, del := s.pending, s.toDelete
	s.pending, s.toDelete, s.pendingRecs = nil, nil, 0
	ack, ackDirty := s.acked, s.ackDirty
	s.ackDirty = false
	s.mu.Unlock()

	var written []chunk
	var err error
	done := len(chunks) // chunks written or dropped, not requeued
	for i, c := range chunks {
		s.mu.Lock()
		seg := s.find(c.seg)
		var at int64
		if seg != nil {
			at = seg.committed
		}
		s.mu.Unlock()
		if seg == nil {
			continue // dropped for the disk budget while it waited
		}
		if err = s.write(c, at); err != nil {
			s.requeue(chunks[i:]) // keep them: nothing is lost on a write error
			done = i
			break
		}
		written = append(written, c)
	}
	if len(written) > 0 && s.w != nil {
		// A failed fsync leaves the data in the page cache at best; it
		// is reported, and the records are delivered all the same.
		if serr := s.w.Sync(); serr != nil {
			err = errors.Join(err, fmt.Errorf("syncing spool segment: %w", serr))
		}
	}
	nrecs := 0
	s.mu.Lock()
	for _, c := range chunks[:done] {
		s.held -= c.recs
		s.heldBytes -= int64(len(c.data))
	}
	s.mu.Unlock()
	if len(written) > 0 {
		s.mu.Lock()
		for _, c := range written {
			nrecs += c.recs
			if seg := s.find(c.seg); seg != nil {
				seg.committed += int64(len(c.data))
			}
		}
		close(s.notify)
		s.notify = make(chan struct{})
		for _, c := range written {
			if len(s.free) < 4 {
				s.free = append(s.free, c.data[:0]) // reused by append
			}
		}
		s.mu.Unlock()
	}
	if ackDirty {
		if serr := s.saveState(ack); serr != nil {
			s.mu.Lock()
			s.ackDirty = true
			s.mu.Unlock()
			err = errors.Join(err, serr)
		}
	}
	if ackDirty || len(del) > 0 {
		for _, id := range del {
			if id == s.wSeg && s.w != nil {
				s.w.Close()
				s.w = nil
			}
			if rerr := os.Remove(filepath.Join(s.dir, segName(id))); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
				err = errors.Join(err, rerr)
			}
		}
	}
	return nrecs, err
}

// write appends one chunk to its segment file, opening it if needed; a
// segment opened is written from committed, its bytes written and synced,
// so what a failed write left beyond them is overwritten.
func (s *spool) write(c chunk, committed int64) error {
	if s.w == nil || s.wSeg != c.seg {
		if s.w != nil {
			if err := s.w.Sync(); err != nil {
				return fmt.Errorf("syncing spool segment: %w", err)
			}
			s.w.Close()
			s.w = nil
		}
		f, err := s.opts.OpenFile(filepath.Join(s.dir, segName(c.seg)), os.O_WRONLY|os.O_CREATE, fileMode)
		if err != nil {
			return fmt.Errorf("opening spool segment: %w", err)
		}
		if err := syncDir(s.dir); err != nil {
			f.Close()
			return fmt.Errorf("syncing spool directory: %w", err)
		}
		s.w, s.wSeg, s.wOff = f, c.seg, committed
	}
	if _, err := s.w.WriteAt(c.data, s.wOff); err != nil {
		// Cut a partial write off, to give the space back; the retry
		// writes from the same offset, over what is left if this fails.
		if terr := s.w.Truncate(s.wOff); terr != nil {
			err = errors.Join(err, terr)
		}
		return fmt.Errorf("writing spool segment: %w", err)
	}
	s.wOff += int64(len(c.data))
	return nil
}

// requeue puts chunks that were not written back in front of the pending
// ones, to be tried again at the next flush.
func (s *spool) requeue(cs []chunk) {
	if s.w != nil {
		s.w.Close()
		s.w = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = append(append([]chunk(nil), cs...), s.pending...)
}

// find returns the live segment with id, or nil. s.mu is held.
func (s *spool) find(id uint64) *segment {
	for i := len(s.segs) - 1; i >= 0; i-- {
		if s.segs[i].id == id {
			return s.segs[i]
		}
	}
	return nil
}

package ship

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// flusher group-commits appended records every interval, or sooner when
// many wait, until close.
func (s *spool) flusher() {
	defer close(s.done)
	t := time.NewTicker(s.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.kick:
		case <-s.stop:
			return
		}
		if err := s.flush(); err != nil {
			s.warn("spool write failed; will retry", slog.String("error", err.Error()))
		}
	}
}

// flush writes and fsyncs the pending records, makes them visible to the
// reader, persists a changed acknowledgement and removes dead segments.
func (s *spool) flush() error {
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
	for i, c := range chunks {
		if err = s.write(c); err != nil {
			s.requeue(chunks[i:]) // keep them: nothing is lost on a write error
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
	if len(written) > 0 {
		s.mu.Lock()
		for _, c := range written {
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
	return err
}

// write appends one chunk to its segment file, opening it if needed.
func (s *spool) write(c chunk) error {
	if s.w == nil || s.wSeg != c.seg {
		if s.w != nil {
			if err := s.w.Sync(); err != nil {
				return fmt.Errorf("syncing spool segment: %w", err)
			}
			s.w.Close()
			s.w = nil
		}
		f, err := os.OpenFile(filepath.Join(s.dir, segName(c.seg)), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("opening spool segment: %w", err)
		}
		if err := syncDir(s.dir); err != nil {
			f.Close()
			return fmt.Errorf("syncing spool directory: %w", err)
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return fmt.Errorf("opening spool segment: %w", err)
		}
		s.w, s.wSeg, s.wOff = f, c.seg, st.Size()
	}
	if _, err := s.w.Write(c.data); err != nil {
		// Cut a partial write off so the retry does not leave a torn
		// record in the middle of the segment.
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

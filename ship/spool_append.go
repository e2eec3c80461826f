package ship

import "fmt"

// An appended reports what an append dropped.
type appended struct {
	// Budget counts undelivered records dropped, oldest first, to stay
	// within the disk budget.
	Budget int
	// Held is true when the record itself was dropped: the disk refuses
	// writes and as many records as the bound allows wait in memory.
	// FirstHeld marks the first such drop of an episode.
	Held, FirstHeld bool
}

// append adds one record. Until it is written, it is held in memory; while
// the disk refuses writes and the held records are at their bound
// (spool.maxHeld, spool.maxHeldBytes), the new record is dropped, not an
// older one: what is held stays a gapless run of events from the start of
// the trouble, and the bound counts the records a flush is writing.
func (s *spool) append(payload []byte) (res appended, err error) {
	if len(payload) == 0 || len(payload) > maxRecord {
		return res, fmt.Errorf("ship: event of %d bytes cannot be spooled (limit %d)", len(payload), maxRecord)
	}
	size := int64(headerLen + len(payload))
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return res, errSpoolClosed
	}
	if s.heldFull(size) {
		res.Held, res.FirstHeld = true, s.dropHeld()
		s.mu.Unlock()
		return res, nil
	}
	for s.total+size > s.opts.MaxBytes && len(s.segs) > 1 {
		res.Budget += s.dropOldest()
	}
	last := s.segs[len(s.segs)-1]
	if last.size > 0 && last.size+size > s.opts.SegmentSize {
		last = &segment{id: last.id + 1}
		s.segs = append(s.segs, last)
	}
	if n := len(s.pending); n > 0 && s.pending[n-1].seg == last.id {
		s.pending[n-1].data = appendRecord(s.pending[n-1].data, payload)
		s.pending[n-1].recs++
	} else {
		buf := make([]byte, 0, 64<<10)
		if n := len(s.free); n > 0 {
			buf, s.free = s.free[n-1], s.free[:n-1]
		}
		s.pending = append(s.pending, chunk{last.id, appendRecord(buf, payload), 1})
	}
	last.size += size
	last.records++
	s.total += size
	s.pendingRecs++
	s.held++
	s.heldBytes += size
	full := s.pendingRecs >= s.opts.MaxPending
	failing := s.fault != nil && s.fault.failing
	s.mu.Unlock()
	if s.opts.Always && !failing {
		// A failed write keeps the record held, to be written by the
		// flusher's next try: it is not lost unless the process is.
		s.flushTracked()
		return res, nil
	}
	if full {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return res, nil
}

// dropOldest removes the oldest segment and returns the number of its
// records not yet acknowledged. s.mu is held.
func (s *spool) dropOldest() int {
	old := s.segs[0]
	s.segs = s.segs[1:]
	s.total -= old.size
	lost := old.records
	if s.acked.Seg == old.id {
		lost -= s.ackRecs
	}
	if s.acked.Seg <= old.id {
		s.acked, s.ackRecs, s.ackDirty = position{Seg: s.segs[0].id}, 0, true
	}
	kept := s.pending[:0]
	for _, c := range s.pending {
		if c.seg != old.id {
			kept = append(kept, c)
		} else {
			s.held -= c.recs
			s.heldBytes -= int64(len(c.data))
		}
	}
	s.pending = kept
	s.toDelete = append(s.toDelete, old.id)
	return lost
}

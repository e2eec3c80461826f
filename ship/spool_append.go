package ship

import "fmt"

// append adds one record. It returns how many undelivered records it
// dropped, oldest first, to stay within the disk budget.
func (s *spool) append(payload []byte) (dropped int, err error) {
	if len(payload) == 0 || len(payload) > maxRecord {
		return 0, fmt.Errorf("ship: event of %d bytes cannot be spooled (limit %d)", len(payload), maxRecord)
	}
	size := int64(headerLen + len(payload))
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, errSpoolClosed
	}
	for s.total+size > s.opts.MaxBytes && len(s.segs) > 1 {
		dropped += s.dropOldest()
	}
	last := s.segs[len(s.segs)-1]
	if last.size > 0 && last.size+size > s.opts.SegmentSize {
		last = &segment{id: last.id + 1}
		s.segs = append(s.segs, last)
	}
	if n := len(s.pending); n > 0 && s.pending[n-1].seg == last.id {
		s.pending[n-1].data = appendRecord(s.pending[n-1].data, payload)
	} else {
		buf := make([]byte, 0, 64<<10)
		if n := len(s.free); n > 0 {
			buf, s.free = s.free[n-1], s.free[:n-1]
		}
		s.pending = append(s.pending, chunk{last.id, appendRecord(buf, payload)})
	}
	last.size += size
	last.records++
	s.total += size
	s.pendingRecs++
	full := s.pendingRecs >= s.opts.MaxPending
	s.mu.Unlock()
	if s.opts.Always {
		return dropped, s.flush()
	}
	if full {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return dropped, nil
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
		}
	}
	s.pending = kept
	s.toDelete = append(s.toDelete, old.id)
	return lost
}

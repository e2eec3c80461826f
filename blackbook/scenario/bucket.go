package scenario

import (
	"net/netip"
)

// A bucketKey identifies one bucket: a scenario and the key's values.
type bucketKey struct {
	scenario uint16
	ip       netip.Addr
	user     string
	service  string
}

// A bucket is one leaky bucket, stored as the time it will be empty (the
// generic cell rate algorithm's theoretical arrival time): pouring a unit
// adds leak to it, and its level at any time is (tat-now)/leak. So leaking
// costs nothing until the bucket is looked at. Times are Unix nanoseconds.
type bucket struct {
	tat      int64    // when the bucket will be empty
	quiet    int64    // after a decision, until when the key is left alone
	first    int64    // when the current fill began
	last     int64    // when an event last touched the bucket
	count    int32    // units poured in the current fill
	next     int32    // next slot of seen to overwrite once it is full
	seen     []uint64 // hashes of the distinct values of the current fill
	evidence []string // lines about the first events of the current fill
}

// maxEvidence bounds the lines a decision carries: the first ones of the
// fill and the one that triggered it.
const maxEvidence = 3

// drained reports whether the bucket holds nothing and remembers nothing
// worth keeping at now.
func (b *bucket) drained(now int64) bool { return b.tat <= now && b.quiet <= now }

// refill starts a new fill at now, keeping the storage.
func (b *bucket) refill(now int64) {
	b.tat, b.first, b.count, b.next = now, now, 0, 0
	b.seen = b.seen[:0]
	b.evidence = b.evidence[:0]
}

// fill is the bucket's level at now as a fraction of capacity; a bucket
// that is quiet after a decision counts as full, so it is evicted last.
func (b *bucket) fill(now int64, s *compiled) float64 {
	if b.tat <= now {
		if b.quiet > now {
			return 1
		}
		return 0
	}
	if s.capNs == 0 {
		return 1
	}
	return float64(b.tat-now) / float64(s.capNs)
}

// remember adds h to the distinct values unless it is there, reporting
// whether it was new. Beyond max values the oldest is forgotten.
func (b *bucket) remember(h uint64, max int) bool {
	for _, x := range b.seen {
		if x == h {
			return false
		}
	}
	if len(b.seen) < max {
		b.seen = append(b.seen, h)
		return true
	}
	b.seen[b.next] = h
	b.next = (b.next + 1) % int32(len(b.seen))
	return true
}

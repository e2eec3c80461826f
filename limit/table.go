package limit

import (
	"math/rand/v2"
	"slices"
	"sync"
)

// numShards is the number of shards of a table: a power of two, enough that
// two requests on different cores rarely want the same lock.
const numShards = 64

// A table maps keys to TATs for one limit, in shards that each hold at most
// perShard keys. It is safe for concurrent use.
type table struct {
	seed     uint64 // random per table, so an attacker cannot aim at one shard
	perShard int
	shards   [numShards]shard
}

type shard struct {
	mu   sync.Mutex
	m    map[key]int64
	peak int      // most keys held since the map was last rebuilt
	_    [40]byte // keep shards on separate cache lines
}

func newTable(maxKeys int) *table {
	t := &table{seed: rand.Uint64(), perShard: max(1, maxKeys/numShards)}
	for i := range t.shards {
		t.shards[i].m = make(map[key]int64)
	}
	return t
}

func (t *table) shard(k key) *shard {
	h := (k ^ t.seed) * 0x9e3779b97f4a7c15
	return &t.shards[h>>(64-6)]
}

// take runs one GCRA step for k and stores the result.
func (t *table) take(k key, now, interval, tolerance int64) verdict {
	s := t.shard(k)
	s.mu.Lock()
	tat, found := s.m[k]
	v := gcra(tat, now, interval, tolerance)
	if v.ok {
		if !found {
			s.makeRoom(now, t.perShard)
		}
		s.m[k] = v.tat
		s.peak = max(s.peak, len(s.m))
	}
	s.mu.Unlock()
	return v
}

// peek is the verdict take would give k at now, without storing it.
func (t *table) peek(k key, now, interval, tolerance int64) verdict {
	s := t.shard(k)
	s.mu.Lock()
	tat := s.m[k]
	s.mu.Unlock()
	return gcra(tat, now, interval, tolerance)
}

// refund gives back one interval taken by a request another limit refused.
func (t *table) refund(k key, interval int64) {
	s := t.shard(k)
	s.mu.Lock()
	if tat, ok := s.m[k]; ok {
		s.m[k] = tat - interval
	}
	s.mu.Unlock()
}

// set stores tat for k (what Redis said), making room if needed. A tat not
// after now is dropped: it is no debt.
func (t *table) set(k key, tat, now int64) {
	s := t.shard(k)
	s.mu.Lock()
	if tat <= now {
		delete(s.m, k)
	} else {
		if _, found := s.m[k]; !found {
			s.makeRoom(now, t.perShard)
		}
		s.m[k] = tat
		s.peak = max(s.peak, len(s.m))
	}
	s.mu.Unlock()
}

// makeRoom ensures the shard has room for one more key. It drops every
// expired key; if that frees less than an eighth of the shard, it also drops
// the keys with the lowest TATs (about a quarter of the rest, chosen from a
// sample): those owe the least and would be forgiven soonest anyway, while
// a client being refused owes the most and stays. Dropping a key forgives
// its debt, so eviction can only let requests through early, never refuse
// one. Each pass frees a fraction of the shard, so a spray costs a few
// entries scanned per new key. The caller holds s.mu.
func (s *shard) makeRoom(now int64, limit int) {
	if len(s.m) < limit {
		return
	}
	var sample [32]int64
	n := 0
	for k, tat := range s.m {
		if tat <= now {
			delete(s.m, k)
		} else if n < len(sample) {
			sample[n] = tat // map order is random: a fair sample
			n++
		}
	}
	if len(s.m) <= limit-limit/8 || n == 0 {
		return
	}
	slices.Sort(sample[:n])
	cut := sample[n/4]
	for k, tat := range s.m {
		if tat <= cut {
			delete(s.m, k)
		}
	}
}

// sweep drops expired keys and, when a shard holds under a quarter of its
// peak, rebuilds its map: Go maps do not shrink, and the memory a spray made
// a shard grow to should go back once the spray is over.
func (t *table) sweep(now int64) {
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		for k, tat := range s.m {
			if tat <= now {
				delete(s.m, k)
			}
		}
		if s.peak >= 64 && len(s.m) < s.peak/4 {
			m := make(map[key]int64, len(s.m))
			for k, tat := range s.m {
				m[k] = tat
			}
			s.m, s.peak = m, len(m)
		}
		s.mu.Unlock()
	}
}

// debts calls f for every key still owing at now, shard by shard, with no
// lock held during f.
func (t *table) debts(now int64, f func(k key, debt int64)) {
	type entry struct{ k, tat int64 }
	var buf []entry
	for i := range t.shards {
		s := &t.shards[i]
		buf = buf[:0]
		s.mu.Lock()
		for k, tat := range s.m {
			if tat > now {
				buf = append(buf, entry{int64(k), tat})
			}
		}
		s.mu.Unlock()
		for _, e := range buf {
			f(key(e.k), e.tat-now)
		}
	}
}

// len counts the keys held, expired ones included.
func (t *table) len() int {
	n := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

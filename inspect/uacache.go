package inspect

import "sync"

// uaCacheSize bounds the User-Agent cache; when full it starts over.
const uaCacheSize = 2048

// A uaCache remembers what the detectors found in User-Agent values:
// a site sees the same few hundred browsers over and over, and a User-Agent
// is the longest value most requests carry. The findings are kept before
// exclusions and modes apply, so a cached value is judged as a fresh one.
// It is safe for concurrent use.
type uaCache struct {
	mu sync.RWMutex
	m  map[string][]detection
}

// A detection is a rule matching an input, before exclusions and modes.
type detection struct {
	rule *rule
	frag string
}

func (c *uaCache) get(ua string) ([]detection, bool) {
	c.mu.RLock()
	d, ok := c.m[ua]
	c.mu.RUnlock()
	return d, ok
}

func (c *uaCache) put(ua string, d []detection) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= uaCacheSize {
		c.m = make(map[string][]detection, 64)
	}
	c.m[ua] = d
	c.mu.Unlock()
}

// userAgent inspects a User-Agent value, through the cache.
func (s *scan) userAgent(name, v string) {
	if len(v) > 512 {
		s.value(kindHeader, name, v)
		return
	}
	if d, ok := s.e.uas.get(v); ok {
		if !s.count() {
			return
		}
		in := &s.in
		*in = input{kind: kindHeader, name: name, raw: v}
		for _, x := range d {
			s.report(x.rule, in, x.frag)
		}
		return
	}
	var found []detection
	s.capture = &found
	s.value(kindHeader, name, v)
	s.capture = nil
	for i := range found {
		found[i].frag = fragment(found[i].frag)
	}
	if !s.stopped {
		s.e.uas.put(v, found)
	}
}

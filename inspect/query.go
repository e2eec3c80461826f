package inspect

import "strings"

// params inspects a query string or urlencoded body: every key (with qs
// bracket syntax, a[b][$ne]) and every value, repeated keys included.
func (s *scan) params(k kind, q string) {
	for q != "" && !s.stopped {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		if kv == "" {
			continue
		}
		rawKey, rawVal, hasVal := strings.Cut(kv, "=")
		key := s.urlDecode(rawKey, true)
		if !s.count() {
			return
		}
		s.inspect(&s.in, k, key, key, true)
		if hasVal && rawVal != "" {
			s.inspect(&s.in, k, key, s.urlDecode(rawVal, true), false)
		}
	}
}

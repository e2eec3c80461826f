package scenario

import (
	"hash/maphash"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-sec/bulwark/event"
)

// Bounds on attacker-controlled strings kept in buckets.
const (
	maxUser    = 128
	maxService = 32
	maxLine    = 160
)

// keyOf returns the bucket key of e in s, false if e lacks what the key
// needs (no IP, or no user name).
func keyOf(s *compiled, e *event.Event) (bucketKey, bool) {
	k := bucketKey{scenario: s.index}
	if s.key.hasIP() {
		if !e.SourceIP.IsValid() {
			return k, false
		}
		k.ip = e.SourceIP.Unmap()
	}
	if s.key.hasUser() {
		if k.user = normUser(e.UserName); k.user == "" {
			return k, false
		}
		k.service = event.Truncate(e.Labels["service"], maxService)
	}
	return k, true
}

// normUser folds a user name to lower case (Alice and alice are one
// account to most applications) and bounds its length.
func normUser(u string) string {
	u = event.Truncate(strings.TrimSpace(u), maxUser)
	for i := 0; i < len(u); i++ {
		if c := u[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(u)
		}
	}
	return u
}

// distinctHash hashes the value of s's distinct field in e; false if the
// event has none.
func distinctHash(seed maphash.Seed, s *compiled, e *event.Event) (uint64, bool) {
	if s.Distinct == FieldIP {
		if !e.SourceIP.IsValid() {
			return 0, false
		}
		return maphash.Comparable(seed, e.SourceIP.Unmap()), true
	}
	v, ok := distinctValue(s, e)
	if !ok {
		return 0, false
	}
	return maphash.String(seed, v), true
}

// distinctValue is the value of s's distinct field in e; false if the
// event has none.
func distinctValue(s *compiled, e *event.Event) (string, bool) {
	var v string
	switch s.Distinct {
	case FieldPath:
		v = e.Path
	case FieldUser:
		v = normUser(e.UserName)
	case FieldRule:
		v = e.RuleID
	case FieldUserAgent:
		v = e.UserAgent
	case FieldIP:
		if !e.SourceIP.IsValid() {
			return "", false
		}
		v = e.SourceIP.Unmap().String()
	}
	return v, v != ""
}

// evidenceLine describes e in one short line without secrets (events hold
// none; the query string is never in Path): "GET /.env: blocked
// sensitive-file in path".
func evidenceLine(e *event.Event) string {
	var b strings.Builder
	if e.Path != "" {
		if e.Method != "" {
			b.WriteString(event.Truncate(e.Method, 16))
			b.WriteByte(' ')
		}
		b.WriteString(event.Truncate(e.Path, 96))
		if e.Status != 0 && e.Category == event.CategoryWeb {
			b.WriteString(" → ")
			b.WriteString(itoa3(e.Status))
		}
	}
	if e.Message != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(event.Truncate(e.Message, maxLine-b.Len()))
	}
	if b.Len() == 0 {
		b.WriteString(e.Action)
	}
	return strings.ToValidUTF8(strings.Map(oneLine, b.String()), "?")
}

func oneLine(r rune) rune {
	if r == '\n' || r == '\r' || r == '\t' {
		return ' '
	}
	return r
}

func itoa3(n int) string {
	if n < 100 || n > 999 {
		return "???"
	}
	return string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
}

package console

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// A filter chooses recorded events: every field that is set must match.
type filter struct {
	category event.Category
	action   string
	class    string // labels.class: sqli, xss…
	rule     string // rule.id, or one of labels.rules
	ip       netip.Addr
	user     string
	path     string // a substring of url.path
	since    time.Time
	after    uint64 // only events recorded after this sequence number
	limit    int
}

const (
	defaultLimit = 100
	maxLimit     = 1000
	maxParam     = 256
)

// parseFilter reads a filter from a query string of GET /v1/events.
func parseFilter(q url.Values) (filter, error) {
	var f filter
	for k, vs := range q {
		if len(vs) != 1 || len(vs[0]) > maxParam {
			return f, fmt.Errorf("%s: give it once, at most %d characters", clip(k, 40), maxParam)
		}
	}
	f.category = event.Category(q.Get("category"))
	f.action = q.Get("action")
	f.class = q.Get("class")
	f.rule = q.Get("rule")
	f.user = q.Get("user")
	f.path = q.Get("path")
	if s := q.Get("ip"); s != "" {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return f, fmt.Errorf("ip: want an address such as 203.0.113.9, got %q", clip(s, 60))
		}
		f.ip = a.Unmap()
	}
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return f, fmt.Errorf("since: want an RFC 3339 time such as 2025-01-02T15:04:05Z, got %q", clip(s, 40))
		}
		f.since = t
	}
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return f, fmt.Errorf("after: want the last sequence number seen, got %q", clip(s, 40))
		}
		f.after = n
	}
	f.limit = defaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return f, fmt.Errorf("limit: want a number from 1 to %d, got %q", maxLimit, clip(s, 20))
		}
		f.limit = n
	}
	return f, nil
}

func (f filter) match(e event.Event) bool {
	switch {
	case f.category != "" && e.Category != f.category,
		f.action != "" && e.Action != f.action,
		f.class != "" && e.Labels["class"] != f.class,
		f.rule != "" && e.RuleID != f.rule && !hasRule(e.Labels["rules"], f.rule),
		f.ip.IsValid() && e.SourceIP.Unmap() != f.ip,
		f.user != "" && e.UserName != f.user,
		f.path != "" && !strings.Contains(e.Path, f.path),
		!f.since.IsZero() && e.Time.Before(f.since):
		return false
	}
	return true
}

func hasRule(rules, id string) bool {
	for r := range strings.SplitSeq(rules, ",") {
		if r == id {
			return true
		}
	}
	return false
}

// clip shortens s to at most n bytes, on a character boundary, marked.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return event.Truncate(s, n) + "…"
}

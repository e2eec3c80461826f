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

// A Filter chooses recorded events: every field that is set must match.
type Filter struct {
	Category event.Category
	Action   string
	Class    string // labels.class: sqli, xss…
	Rule     string // rule.id, or one of labels.rules
	IP       netip.Addr
	Net      netip.Prefix // the source is in this network
	User     string
	Path     string // a substring of url.path
	Since    time.Time
	After    uint64 // only events recorded after this sequence number
	Limit    int    // at most this many events; 0: no limit
}

const (
	defaultLimit = 100
	maxLimit     = 1000
	maxParam     = 256
)

// parseFilter reads a filter from a query string of GET /v1/events.
func parseFilter(q url.Values) (Filter, error) {
	var f Filter
	for k, vs := range q {
		if len(vs) != 1 || len(vs[0]) > maxParam {
			return f, fmt.Errorf("%s: give it once, at most %d characters", clip(k, 40), maxParam)
		}
	}
	f.Category = event.Category(q.Get("category"))
	f.Action = q.Get("action")
	f.Class = q.Get("class")
	f.Rule = q.Get("rule")
	f.User = q.Get("user")
	f.Path = q.Get("path")
	if s := q.Get("ip"); s != "" {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return f, fmt.Errorf("ip: want an address such as 203.0.113.9, got %q", clip(s, 60))
		}
		f.IP = a.Unmap()
	}
	if s := q.Get("net"); s != "" {
		p, err := netip.ParsePrefix(s)
		p = p.Masked()
		if err != nil || p != network(p.Addr()) {
			return f, fmt.Errorf("net: want an IPv4 /24 or IPv6 /48 such as 203.0.113.0/24, got %q", clip(s, 60))
		}
		f.Net = p
	}
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return f, fmt.Errorf("since: want an RFC 3339 time such as 2025-01-02T15:04:05Z, got %q", clip(s, 40))
		}
		f.Since = t
	}
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return f, fmt.Errorf("after: want the last sequence number seen, got %q", clip(s, 40))
		}
		f.After = n
	}
	f.Limit = defaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return f, fmt.Errorf("limit: want a number from 1 to %d, got %q", maxLimit, clip(s, 20))
		}
		f.Limit = n
	}
	return f, nil
}

// matchStored reports whether f chooses s, as [History.Events] does.
func (f Filter) matchStored(s Stored) bool {
	switch {
	case f.Category != "" && s.Category != string(f.Category),
		f.Action != "" && s.Action != f.Action,
		f.Class != "" && s.Class != f.Class,
		f.Rule != "" && s.Rule != f.Rule && !hasRule(s.Rules, f.Rule),
		f.IP.IsValid() && s.IP != f.IP.String(),
		f.Net.IsValid() && s.Net != f.Net.String(),
		f.User != "" && s.User != f.User,
		f.Path != "" && !strings.Contains(s.Path, f.Path),
		!f.Since.IsZero() && s.Time.Before(f.Since),
		s.Seq <= f.After:
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

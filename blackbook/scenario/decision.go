package scenario

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// A Banner carries out decisions; the black book is one. Ban is called
// from [Engine.Handle], one decision at a time, with a context that ends at
// the engine's BanTimeout or Close.
type Banner interface {
	Ban(ctx context.Context, d Decision) error
}

// ErrSpared is what a Banner returns for a target it must not ban, such
// as an allowlisted address (a local proxy, a health check): the engine
// logs "not banned: allowlisted", counts no decision and publishes
// nothing, and leaves the target alone for the ban's duration.
var ErrSpared = errors.New("scenario: target spared (allowlisted)")

// A Target is what a decision is about: an IP, a user, or the pair.
type Target struct {
	// IP is the client to ban; invalid (the zero Addr) when the decision
	// is about a user alone.
	IP netip.Addr
	// User is the user name, folded to lower case; empty when the
	// decision is about an IP alone. A decision with a User and no IP is
	// not an IP ban: the black book notifies about or locks the account.
	User string
	// Service is the service the user belongs to ("ssh"), from the
	// event's "service" label; empty for the web application.
	Service string
}

func (t Target) String() string {
	var b strings.Builder
	if t.User != "" {
		b.WriteString(t.User)
		if t.Service != "" {
			b.WriteString(" (" + t.Service + ")")
		}
	}
	if t.IP.IsValid() {
		if b.Len() > 0 {
			b.WriteString(" from ")
		}
		b.WriteString(t.IP.String())
	}
	return b.String()
}

// A Decision is what a scenario concluded: act on Target for Duration.
type Decision struct {
	Scenario string        // the scenario's name
	Target   Target        // whom to ban
	Duration time.Duration // the base duration, before escalation
	// Reason is one line for people, with no secret: "10 failed logins
	// for alice from 203.0.113.9 in 4m".
	Reason string
	// Evidence is a few of the events that filled the bucket, one short
	// line each ("GET /.env: blocked sensitive-file in path"), the last
	// one the event that triggered the decision.
	Evidence []string
	// Simulate is true when the decision is only published, not carried
	// out; a Banner never sees it true.
	Simulate bool
	Time     time.Time // when it was decided
}

// reason writes the one-line explanation of a decision.
func reason(s *compiled, t Target, count int, span time.Duration, last string) string {
	var b strings.Builder
	if count <= 1 {
		b.WriteString(s.Name)
	} else {
		b.WriteString(strconv.Itoa(count))
		b.WriteByte(' ')
		b.WriteString(s.what)
	}
	if t.User != "" {
		b.WriteString(" for ")
		b.WriteString(t.User)
		if t.Service != "" {
			b.WriteString(" on " + t.Service)
		}
	}
	if t.IP.IsValid() {
		b.WriteString(" from ")
		b.WriteString(t.IP.String())
	}
	if count > 1 {
		b.WriteString(" in ")
		b.WriteString(shortDuration(span))
	} else if last != "" {
		b.WriteString(": ")
		b.WriteString(last)
	}
	return b.String()
}

// shortDuration writes d rounded to what people read: "0s", "45s",
// "1m30s", "14m", "2h10m".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
	case d < 10*time.Minute:
		d = d.Round(time.Second)
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		if s == 0 {
			return strconv.Itoa(m) + "m"
		}
		return strconv.Itoa(m) + "m" + strconv.Itoa(s) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + "m"
	}
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + "h"
	}
	return strconv.Itoa(h) + "h" + strconv.Itoa(m) + "m"
}

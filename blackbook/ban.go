package blackbook

import (
	"errors"
	"time"
)

// Errors for callers' cases.
var (
	// ErrAllowlisted is returned when a ban names an allowlisted target.
	ErrAllowlisted = errors.New("blackbook: target is allowlisted")
	// ErrNotBanned is returned when a target has no active ban.
	ErrNotBanned = errors.New("blackbook: target is not banned")
	// ErrNotFound is returned when an offender or allowlist entry is unknown.
	ErrNotFound = errors.New("blackbook: not found")
	// ErrConfigured is returned when a change at run time would undo
	// bulwark.yaml.
	ErrConfigured = errors.New("blackbook: set in the configuration")
	// ErrClosed is returned by a Book after Close.
	ErrClosed = errors.New("blackbook: closed")
)

// A Ban keeps a target out until it expires or is lifted.
type Ban struct {
	ID       string    `json:"id"`                 // unique across gateways
	Target   Target    `json:"target"`             // who is banned
	Reason   string    `json:"reason"`             // for people; no secrets
	Source   string    `json:"source"`             // who banned: a scenario name, "admin", "cli", "watch:ssh"…
	Created  time.Time `json:"created"`            // when the ban was made
	Expires  time.Time `json:"expires,omitzero"`   // zero for a permanent ban
	Repeat   int       `json:"repeat"`             // earlier bans of the target inside the escalation window
	Lifted   time.Time `json:"lifted,omitzero"`    // when it was lifted early, replaced or found expired; zero while in force
	LiftedBy string    `json:"liftedBy,omitempty"` // why it was lifted
}

// Permanent reports whether b never expires.
func (b Ban) Permanent() bool { return b.Expires.IsZero() }

// Active reports whether b is in force at now.
func (b Ban) Active(now time.Time) bool {
	return b.Lifted.IsZero() && (b.Expires.IsZero() || now.Before(b.Expires))
}

// A BanRequest asks for a ban.
type BanRequest struct {
	Target Target
	// Duration is the base length before escalation. If zero, the
	// configured default.
	Duration time.Duration
	// Reason is shown to people; never put secrets in it. Bounded to 256
	// bytes.
	Reason string
	// Source names who asks: a scenario, "admin", "cli"… If empty, "api".
	Source string
	// Permanent makes the ban never expire.
	Permanent bool
	// Exact uses Duration as given, without escalation, and replaces any
	// ban in force (an operator's decision). Otherwise a ban in force that
	// outlasts the new one is kept and returned.
	Exact bool
}

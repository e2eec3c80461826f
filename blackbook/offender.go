package blackbook

import (
	"net/netip"
	"strings"
	"time"
	"unicode"
)

// Bounds on what an offender keeps.
const (
	maxEvidence    = 5   // samples kept per offender, newest first
	maxSampleBytes = 256 // bytes per sample
	maxLabelBytes  = 64  // bytes of a class or rule id
	maxReasonBytes = 256 // bytes of a ban reason
	maxUsers       = 20  // user names kept per offender
)

// An Offence is one bad thing a client did, as seen by a stage.
type Offence struct {
	IP   netip.Addr
	User string // the user name, where known
	// Class is what kind of offence: "sqli", "xss", "login-failed"…
	Class  string
	RuleID string
	// Evidence is a short sample, already redacted by the caller: it must
	// hold no password, token or cookie. It is truncated and stripped of
	// control characters here.
	Evidence string
	// Time is when it happened. If zero, the Book's clock.
	Time time.Time
}

// An Offender is everything the black book knows about one address.
type Offender struct {
	IP        netip.Addr       `json:"ip"`
	Users     []string         `json:"users,omitempty"`
	FirstSeen time.Time        `json:"firstSeen"`
	LastSeen  time.Time        `json:"lastSeen"`
	Counts    map[string]int64 `json:"counts"` // offences by class
	Evidence  []Evidence       `json:"evidence,omitempty"`
	Bans      []Ban            `json:"bans,omitempty"` // history, newest first; filled by Show only
}

// Evidence is one redacted sample of an offence.
type Evidence struct {
	Time   time.Time `json:"time"`
	Class  string    `json:"class"`
	RuleID string    `json:"ruleId,omitempty"`
	Sample string    `json:"sample"`
}

// sanitize makes s safe to keep and show: valid UTF-8, no control
// characters, cut to n bytes on a rune boundary (and marked with "…").
func sanitize(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, s)
	}
	return clip(s, n)
}

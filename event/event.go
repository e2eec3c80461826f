// Package event defines Bulwark's one event type, named with Elastic Common
// Schema fields, and the bus that carries events from the stages that emit
// them to the sinks and detectors that consume them.
//
// An Event holds no secret: it has no field for a password, token, cookie
// or header value, and URLs are kept as paths without their query string.
package event

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// RequestIDHeader is the HTTP header carrying a request's id (an event's
// RequestID): set by the gateway towards the app and back to the client.
const RequestIDHeader = "X-Request-Id"

// Kind is ECS event.kind: what sort of record an event is.
type Kind string

// Kinds used by Bulwark.
const (
	KindEvent Kind = "event" // something happened
	KindAlert Kind = "alert" // something to act on (an attack, a crash loop)
	KindState Kind = "state" // a periodic state record
)

// Category is ECS event.category, plus Bulwark's "malicious".
type Category string

// Categories used by Bulwark.
const (
	CategoryWeb            Category = "web"
	CategoryAuthentication Category = "authentication"
	CategoryIAM            Category = "iam"
	CategoryProcess        Category = "process"
	CategoryConfiguration  Category = "configuration"
	CategoryVulnerability  Category = "vulnerability"
	CategoryNetwork        Category = "network"
	// CategoryMalicious marks traffic that is an attack.
	CategoryMalicious Category = "malicious"
)

// Outcome is ECS event.outcome.
type Outcome string

// Outcomes.
const (
	OutcomeSuccess Outcome = "success"
	OutcomeFailure Outcome = "failure"
	OutcomeUnknown Outcome = "unknown"
)

// Severity is ECS event.severity, from 0 (information) to 4 (critical).
type Severity int

// Severities.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// ParseSeverity reads a severity by its name (info, low, medium, high,
// critical) in any case, as configuration files name them.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("must be one of %s, got %q", strings.Join(severityNames[:], ", "), name)
}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return "unknown"
	}
	return severityNames[s]
}

// An Event is one thing that happened, in ECS terms. The zero value of a
// field means "not known" and is left out of the JSON form.
type Event struct {
	Time     time.Time // @timestamp
	ID       string    // event.id, unique; set by the bus if empty
	Kind     Kind      // event.kind
	Category Category  // event.category
	Type     string    // event.type: access, denied, start, end, error, change, info…
	Action   string    // event.action: what exactly, e.g. "upstream-unavailable"
	Outcome  Outcome   // event.outcome
	Severity Severity  // event.severity
	Message  string    // message: one line for people

	SourceIP  netip.Addr // source.ip: the client, as decided from trusted proxies
	UserName  string     // user.name
	RequestID string     // http.request.id
	Method    string     // http.request.method
	Status    int        // http.response.status_code
	Path      string     // url.path (never the query: it may carry tokens)
	UserAgent string     // user_agent.original

	RuleID      string // rule.id
	RuleName    string // rule.name
	TechniqueID string // threat.technique.id (MITRE ATT&CK)

	// Observer is observer.name: the gateway that saw it, so a fleet's
	// console can tell its gateways' events apart. Empty outside a fleet.
	Observer string

	// Labels holds small extra facts (ECS labels). Never put secrets here.
	Labels map[string]string
}

var idEncoding = base32.HexEncoding.WithPadding(base32.NoPadding)

// NewID returns a random event id, 26 characters of base32hex.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return idEncoding.EncodeToString(b[:])
}

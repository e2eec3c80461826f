package scenario

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// A Scenario is one leaky-bucket rule: which events count, how they are
// grouped, how many trigger a decision and what the decision is.
type Scenario struct {
	// Name identifies the scenario in decisions, events and config keys:
	// lower-case letters, digits and hyphens. Required.
	Name string `yaml:"name"`
	// Description says what the scenario catches, for people. If empty,
	// none.
	Description string `yaml:"description,omitempty"`
	// Match selects the events that count: an event counts if any filter
	// matches it. Required (at least one filter).
	Match []Filter `yaml:"match"`
	// Reset selects events that empty the bucket of their key, e.g. a
	// successful login for a user+ip bucket. Only allowed when Key
	// includes the user, so that an attacker cannot reset a per-IP
	// count by logging in to an account of their own. If empty, none.
	Reset []Filter `yaml:"reset,omitempty"`
	// Key groups events into buckets: ip, user or user+ip. If empty, ip.
	Key Key `yaml:"key,omitempty"`
	// Distinct, if set, makes only events with a value of this field not
	// yet seen in the bucket count: path, user, ip, rule or userAgent.
	// Events with an empty value then do not count. If empty, every
	// matching event counts.
	Distinct Field `yaml:"distinct,omitempty"`
	// MaxDistinct bounds the distinct values a bucket remembers; older
	// ones are forgotten first. If zero, twice Capacity, at most 1024.
	MaxDistinct int `yaml:"maxDistinct,omitempty"`
	// Capacity is the number of events that triggers the decision when
	// they come in a burst, fail2ban's maxretry: the event that finds more
	// than Capacity-1 units left in the bucket triggers. 1 triggers on
	// the first event. Required.
	Capacity int `yaml:"capacity"`
	// Leak is the time in which one unit drains from the bucket; a steady
	// rate above one event per Leak fills it. Capacity×Leak is the time a
	// full bucket takes to drain, at most 30d. Required if Capacity > 1.
	Leak time.Duration `yaml:"leak,omitempty"`
	// Ban is what the decision is about: ip, user or user+ip; it must be
	// part of Key. If empty, the same as Key.
	Ban Key `yaml:"ban,omitempty"`
	// BanDuration is the base duration of the decision, before the black
	// book's escalation for repeat offenders. Required.
	BanDuration time.Duration `yaml:"banDuration"`
	// What names the counted events in a decision's reason, in the
	// plural: "failed logins" gives "10 failed logins for alice from
	// 203.0.113.9 in 4m". If empty, "events", or "distinct <field>s".
	What string `yaml:"what,omitempty"`
	// Simulate makes the scenario publish what it would decide (an event
	// with action ban-simulated) and decide nothing. If false, decisions
	// go to the Banner (unless Config.Simulate).
	Simulate bool `yaml:"simulate,omitempty"`
	// Disable turns the scenario off. If false, it runs.
	Disable bool `yaml:"disable,omitempty"`
}

// A Key names what events are grouped by, or what a decision is about.
type Key string

// Keys.
const (
	KeyIP     Key = "ip"      // the client address (source.ip)
	KeyUser   Key = "user"    // the user name (user.name), per service
	KeyUserIP Key = "user+ip" // the pair
)

func (k Key) valid() bool { return k == KeyIP || k == KeyUser || k == KeyUserIP }
func (k Key) hasIP() bool { return k == KeyIP || k == KeyUserIP }
func (k Key) hasUser() bool {
	return k == KeyUser || k == KeyUserIP
}

// A Field names an event field whose distinct values a bucket counts.
type Field string

// Fields.
const (
	FieldPath      Field = "path"
	FieldUser      Field = "user"
	FieldIP        Field = "ip"
	FieldRule      Field = "rule"
	FieldUserAgent Field = "userAgent"
)

var fields = []Field{FieldPath, FieldUser, FieldIP, FieldRule, FieldUserAgent}

const (
	maxWindow      = 30 * 24 * time.Hour
	maxCapacity    = 1_000_000
	maxDistinctCap = 1024
)

// Validate reports every mistake in s, each at its key ("capacity",
// "match[0].statusMin").
func (s Scenario) Validate() error {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if err := checkName(s.Name); err != nil {
		fail("name", "%v", err)
	}
	if len(s.Match) == 0 {
		fail("match", "a scenario needs at least one filter (e.g. match: {category: authentication, action: login-failure})")
	}
	for i, f := range s.Match {
		errs = append(errs, config.Within(fmt.Sprintf("match[%d]", i), f.Validate()))
	}
	for i, f := range s.Reset {
		errs = append(errs, config.Within(fmt.Sprintf("reset[%d]", i), f.Validate()))
	}
	key := s.key()
	if !key.valid() {
		fail("key", "%q is not ip, user or user+ip", s.Key)
	}
	if len(s.Reset) > 0 && key.valid() && !key.hasUser() {
		fail("reset", "only scenarios keyed by user or user+ip may reset: with key %s an attacker could empty the bucket by succeeding on an account of their own", key)
	}
	if s.Distinct != "" && !validField(s.Distinct) {
		fail("distinct", "%q is not one of %s", s.Distinct, fieldList())
	}
	if s.MaxDistinct < 0 || s.MaxDistinct > maxDistinctCap {
		fail("maxDistinct", "must be between 0 and %d, got %d", maxDistinctCap, s.MaxDistinct)
	}
	switch {
	case s.Capacity < 1 || s.Capacity > maxCapacity:
		fail("capacity", "must be between 1 and %d, got %d", maxCapacity, s.Capacity)
	case s.Leak < 0:
		fail("leak", "must not be negative, got %s", s.Leak)
	case s.Capacity > 1 && s.Leak == 0:
		fail("leak", "required when capacity is above 1: the time in which one event drains (capacity %d in 10m is leak %s)",
			s.Capacity, config.FormatDuration(10*time.Minute/time.Duration(s.Capacity)))
	case s.Leak > 0 && s.Leak > maxWindow/time.Duration(s.Capacity):
		fail("leak", "capacity×leak must be at most 30d, got %d×%s", s.Capacity, config.FormatDuration(s.Leak))
	}
	ban := s.ban()
	switch {
	case !ban.valid():
		fail("ban", "%q is not ip, user or user+ip", s.Ban)
	case key.valid() && (ban.hasIP() && !key.hasIP() || ban.hasUser() && !key.hasUser()):
		fail("ban", "%s is not part of the key %s: a bucket keyed by %s knows no %s to ban", ban, key, key, ban)
	}
	if s.BanDuration <= 0 {
		fail("banDuration", "required: how long the decision lasts, e.g. 4h")
	}
	if strings.ContainsAny(s.What, "\n\r") {
		fail("what", "must be one line")
	}
	return errors.Join(errs...)
}

func (s Scenario) key() Key {
	if s.Key == "" {
		return KeyIP
	}
	return s.Key
}

func (s Scenario) ban() Key {
	if s.Ban == "" {
		return s.key()
	}
	return s.Ban
}

func (s Scenario) maxDistinct() int {
	if s.MaxDistinct > 0 {
		return s.MaxDistinct
	}
	return min(2*s.Capacity, maxDistinctCap)
}

func (s Scenario) what() string {
	switch {
	case s.What != "":
		return s.What
	case s.Distinct != "":
		return "distinct " + string(s.Distinct) + "s"
	}
	return "events"
}

func checkName(name string) error {
	if name == "" {
		return errors.New("required: lower-case letters, digits and hyphens, e.g. login-api")
	}
	if len(name) > 64 {
		return fmt.Errorf("%q is longer than 64 characters", name)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%q may hold only lower-case letters, digits and hyphens", name)
		}
	}
	return nil
}

func validField(f Field) bool {
	for _, g := range fields {
		if f == g {
			return true
		}
	}
	return false
}

func fieldList() string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

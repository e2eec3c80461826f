package alert

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Config is the alerts: section of bulwark.yaml. Its zero value runs the
// default rules (see [DefaultRules]) with no notifier: alerts are
// published as events (and shown on the console) but sent nowhere.
type Config struct {
	// Disable turns alerting off: no rule is evaluated, nothing is sent.
	Disable bool `yaml:"disable"`
	// Notify names the notifiers used by rules that name none. If empty,
	// every configured notifier.
	Notify []string `yaml:"notify"`
	// Route holds the grouping and throttling timers of every rule; a rule
	// may override them.
	Route Route `yaml:"route"`
	// Notifiers are the places notifications go, by name, e.g.
	// {ops-mail: {type: email, …}, oncall: {type: sms, …}}. None by default.
	Notifiers map[string]NotifierConfig `yaml:"notifiers"`
	// Rules overrides default rules (by their name: change thresholds or
	// notifiers, or disable them with false) and adds new ones (which need
	// a match). If empty, the default rules as they are.
	Rules map[string]RuleConfig `yaml:"rules"`
	// MaxKeys bounds the keys (IPs, users…) each rule counts at once; the
	// least recently seen key is forgotten first. If zero, 10000.
	MaxKeys int `yaml:"maxKeys"`
	// CAFile is a PEM file of certificates the notifiers trust besides the
	// system's, e.g. a private SMTP relay's CA. If empty, the system's only.
	CAFile string `yaml:"caFile"`
}

// Route holds the Alertmanager-style timers of notification groups. A zero
// field takes the value from the enclosing route (for a rule, the
// section's; for the section, the default given on each field).
type Route struct {
	// GroupWait is how long a new group waits for more alerts before its
	// first notification. If zero, 30s.
	GroupWait time.Duration `yaml:"groupWait"`
	// GroupInterval is how long a group waits after a notification before
	// telling about alerts that fired or resolved since. If zero, 5m.
	GroupInterval time.Duration `yaml:"groupInterval"`
	// RepeatInterval is how long before a group whose alerts are all still
	// firing is notified again. If zero, 4h.
	RepeatInterval time.Duration `yaml:"repeatInterval"`
	// ResolveTimeout is how long an alert must go without a matching event
	// over its threshold before it counts as resolved. If zero, 5m.
	ResolveTimeout time.Duration `yaml:"resolveTimeout"`
}

var defaultRoute = Route{
	GroupWait:      30 * time.Second,
	GroupInterval:  5 * time.Minute,
	RepeatInterval: 4 * time.Hour,
	ResolveTimeout: 5 * time.Minute,
}

// over returns r with its zero fields taken from parent.
func (r Route) over(parent Route) Route {
	if r.GroupWait == 0 {
		r.GroupWait = parent.GroupWait
	}
	if r.GroupInterval == 0 {
		r.GroupInterval = parent.GroupInterval
	}
	if r.RepeatInterval == 0 {
		r.RepeatInterval = parent.RepeatInterval
	}
	if r.ResolveTimeout == 0 {
		r.ResolveTimeout = parent.ResolveTimeout
	}
	return r
}

// Validate reports negative durations.
func (r Route) Validate() error {
	var errs []error
	for _, f := range []struct {
		key string
		d   time.Duration
	}{{"groupWait", r.GroupWait}, {"groupInterval", r.GroupInterval}, {"repeatInterval", r.RepeatInterval}, {"resolveTimeout", r.ResolveTimeout}} {
		if f.d < 0 {
			errs = append(errs, config.Field(f.key, fmt.Errorf("must be at least 0s, got %s", f.d)))
		}
	}
	return errors.Join(errs...)
}

const defaultMaxKeys = 10000

// Validate checks the notifiers, and every rule as it results from the
// defaults and the overrides, including that each notifier a rule names
// exists.
func (c Config) Validate() error {
	var errs []error
	if c.MaxKeys < 0 {
		errs = append(errs, config.Field("maxKeys", fmt.Errorf("must be at least 0, got %d", c.MaxKeys)))
	}
	errs = append(errs, config.Within("route", c.Route.Validate()))
	for _, name := range sortedKeys(c.Notifiers) {
		errs = append(errs, config.Within("notifiers."+name, c.Notifiers[name].Validate()))
	}
	known := sortedKeys(c.Notifiers)
	if err := checkNotifiers(c.Notify, known); err != nil {
		errs = append(errs, config.Field("notify", err))
	}
	if _, err := c.rules(known); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkNotifiers reports names that are not among known.
func checkNotifiers(names, known []string) error {
	for _, n := range names {
		if !slices.Contains(known, n) {
			if len(known) == 0 {
				return fmt.Errorf("unknown notifier %q: no notifier is configured (add one under alerts.notifiers)", n)
			}
			return fmt.Errorf("unknown notifier %q (known: %s)", n, strings.Join(known, ", "))
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

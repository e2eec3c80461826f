package alert

import (
	"errors"
	"fmt"
	"text/template"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// RuleConfig is one rule in bulwark.yaml. For a default rule every field
// is optional and overrides the default's; a new rule needs a match.
type RuleConfig struct {
	// Disable turns the rule off; "NAME: false" is short for it.
	Disable bool `yaml:"disable"`
	// Match selects the events the rule counts. Replaces the default's
	// as a whole. Required for a new rule.
	Match *Match `yaml:"match"`
	// Immediate selects events that fire the rule at once, whatever the
	// count, e.g. a ban decided by a detection scenario. If unset, none.
	Immediate *Match `yaml:"immediate"`
	// Window is how far back events are counted. If zero, 1m.
	Window time.Duration `yaml:"window"`
	// Threshold is the count, within Window, at which the rule fires for
	// a key. If zero, 1: every matching event fires.
	Threshold int `yaml:"threshold"`
	// Distinct, if set, counts distinct values of this field (e.g.
	// user.name: different accounts tried from one IP) instead of events.
	Distinct string `yaml:"distinct"`
	// CountBy are the fields whose values make a key: events are counted,
	// and alerts fire, per key, e.g. [source.ip]. If empty, one count for
	// the whole rule.
	CountBy []string `yaml:"countBy"`
	// GroupBy are the fields (a subset of CountBy) whose values put alerts
	// in the same notification group. If empty, all the rule's alerts
	// share one group: one notification lists them all.
	GroupBy []string `yaml:"groupBy"`
	// Severity of the alert: info, low, medium, high or critical. If
	// empty, high.
	Severity string `yaml:"severity"`
	// Notify names the notifiers that receive the rule's notifications.
	// If empty, the section's notify list.
	Notify []string `yaml:"notify"`
	// Summary is a text/template for the one-line summary, executed on
	// the [Notification]. If empty, "NAME: N alert(s)".
	Summary string `yaml:"summary"`
	// Description is a text/template for the longer explanation, executed
	// on the [Notification]. If empty, none.
	Description string `yaml:"description"`
	// SendResolved sends a notice when the rule's alerts resolve. If
	// unset, true.
	SendResolved *bool `yaml:"sendResolved"`
	// InhibitedBy names rules whose firing alerts silence this rule's
	// alerts that share their key values (e.g. a ban of an IP already
	// reported as attacking). If empty, none.
	InhibitedBy []string `yaml:"inhibitedBy"`
	// Route overrides the section's grouping timers for this rule.
	Route Route `yaml:"route"`
}

// A Rule is a rule as it runs: defaults, overrides and section settings
// applied, templates parsed. It is read only once built.
type Rule struct {
	Name         string
	Match        Match
	Immediate    *Match
	Window       time.Duration
	Threshold    int
	Distinct     string
	CountBy      []string
	GroupBy      []string
	Severity     event.Severity
	Notify       []string
	SendResolved bool
	InhibitedBy  []string
	Route        Route

	match, immediate     *Match
	summary, description *template.Template
}

// override returns c with the fields set in o replacing its own.
func (c RuleConfig) override(o RuleConfig) RuleConfig {
	c.Disable = o.Disable
	if o.Match != nil {
		c.Match = o.Match
	}
	if o.Immediate != nil {
		c.Immediate = o.Immediate
	}
	if o.Window != 0 {
		c.Window = o.Window
	}
	if o.Threshold != 0 {
		c.Threshold = o.Threshold
	}
	if o.Distinct != "" {
		c.Distinct = o.Distinct
	}
	if o.CountBy != nil {
		c.CountBy = o.CountBy
	}
	if o.GroupBy != nil {
		c.GroupBy = o.GroupBy
	}
	if o.Severity != "" {
		c.Severity = o.Severity
	}
	if o.Notify != nil {
		c.Notify = o.Notify
	}
	if o.Summary != "" {
		c.Summary = o.Summary
	}
	if o.Description != "" {
		c.Description = o.Description
	}
	if o.SendResolved != nil {
		c.SendResolved = o.SendResolved
	}
	if o.InhibitedBy != nil {
		c.InhibitedBy = o.InhibitedBy
	}
	c.Route = o.Route.over(c.Route)
	return c
}

// rules returns the enabled rules, sorted by name: the defaults with the
// overrides applied, and the new rules. known are the notifier names.
func (c Config) rules(known []string) ([]*Rule, error) {
	all := DefaultRules()
	for name, o := range c.Rules {
		if d, ok := all[name]; ok {
			all[name] = d.override(o)
			continue
		}
		all[name] = o
	}
	route := c.Route.over(defaultRoute)
	notify := c.Notify
	if len(notify) == 0 {
		notify = known
	}
	var errs []error
	var out []*Rule
	for _, name := range sortedKeys(all) {
		rc := all[name]
		if rc.Disable {
			continue
		}
		r, err := rc.compile(name, route, notify, known)
		if err != nil {
			errs = append(errs, config.Within("rules."+name, err))
			continue
		}
		out = append(out, r)
	}
	for _, r := range out {
		for _, by := range r.InhibitedBy {
			if _, ok := all[by]; !ok {
				errs = append(errs, config.Field("rules."+r.Name+".inhibitedBy", fmt.Errorf("unknown rule %q", by)))
			}
		}
	}
	return out, errors.Join(errs...)
}

func (c RuleConfig) compile(name string, route Route, notify, known []string) (*Rule, error) {
	r := &Rule{Name: name, Window: c.Window, Threshold: c.Threshold, Distinct: c.Distinct,
		CountBy: c.CountBy, GroupBy: c.GroupBy, Notify: c.Notify, InhibitedBy: c.InhibitedBy,
		Route: c.Route.over(route), SendResolved: c.SendResolved == nil || *c.SendResolved}
	var errs []error
	if r.Window == 0 {
		r.Window = time.Minute
	}
	if r.Threshold == 0 {
		r.Threshold = 1
	}
	if c.Window < 0 {
		errs = append(errs, config.Field("window", fmt.Errorf("must be at least 0s, got %s", c.Window)))
	}
	if c.Threshold < 0 || c.Threshold > 100000 {
		errs = append(errs, config.Field("threshold", fmt.Errorf("must be from 1 to 100000, got %d", c.Threshold)))
	}
	if c.Match == nil || c.Match.isZero() {
		errs = append(errs, config.Field("match", errors.New("a rule needs a match (for example {categories: [malicious]}): it would match every event")))
	} else if m, err := c.Match.compile(); err != nil {
		errs = append(errs, config.Within("match", err))
	} else {
		r.Match, r.match = *m, m
	}
	if c.Immediate != nil {
		if m, err := c.Immediate.compile(); err != nil {
			errs = append(errs, config.Within("immediate", err))
		} else {
			r.Immediate, r.immediate = m, m
		}
	}
	if c.Distinct != "" {
		if err := checkField(c.Distinct); err != nil {
			errs = append(errs, config.Field("distinct", err))
		}
	}
	for i, f := range c.CountBy {
		if err := checkField(f); err != nil {
			errs = append(errs, config.Field(fmt.Sprintf("countBy[%d]", i), err))
		}
	}
	for i, f := range c.GroupBy {
		if err := checkField(f); err != nil {
			errs = append(errs, config.Field(fmt.Sprintf("groupBy[%d]", i), err))
		}
	}
	r.Severity = event.SeverityHigh
	if c.Severity != "" {
		s, err := event.ParseSeverity(c.Severity)
		if err != nil {
			errs = append(errs, config.Field("severity", err))
		}
		r.Severity = s
	}
	if len(r.Notify) == 0 {
		r.Notify = notify
	} else if err := checkNotifiers(r.Notify, known); err != nil {
		errs = append(errs, config.Field("notify", err))
	}
	if err := c.Route.Validate(); err != nil {
		errs = append(errs, config.Within("route", err))
	}
	var err error
	summary := c.Summary
	if summary == "" {
		summary = `{{.Rule}}: {{len .Alerts}} alert(s)`
	}
	if r.summary, err = template.New("summary").Funcs(templateFuncs).Parse(summary); err != nil {
		errs = append(errs, config.Field("summary", err))
	}
	if r.description, err = template.New("description").Funcs(templateFuncs).Parse(c.Description); err != nil {
		errs = append(errs, config.Field("description", err))
	}
	return r, errors.Join(errs...)
}

// selects reports whether e is counted by the rule, or fires it at once.
func (r *Rule) selects(e *event.Event) (counted, immediate bool) {
	if r.immediate != nil && r.immediate.matches(e) {
		return false, true
	}
	return r.match.matches(e), false
}

package scenario

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// A Filter selects events. Each field that is set must match (and); within
// a list field any value may match (or). The zero Filter matches every
// event.
type Filter struct {
	// Kind lists event kinds (event, alert, state). If empty, any.
	Kind []event.Kind `yaml:"kind,omitempty"`
	// Category lists event categories (web, authentication, malicious…).
	// If empty, any.
	Category []event.Category `yaml:"category,omitempty"`
	// Type lists event types (access, denied, info…). If empty, any.
	Type []string `yaml:"type,omitempty"`
	// Action lists event actions (attack-blocked, login-failure,
	// rate-limited…). If empty, any.
	Action []string `yaml:"action,omitempty"`
	// Outcome lists event outcomes (success, failure, unknown). If empty,
	// any.
	Outcome []event.Outcome `yaml:"outcome,omitempty"`
	// StatusMin and StatusMax bound the HTTP status, inclusive; an event
	// without a status does not match a bound. If zero, unbounded.
	StatusMin int `yaml:"statusMin,omitempty"`
	// StatusMax: see StatusMin. If zero, unbounded.
	StatusMax int `yaml:"statusMax,omitempty"`
	// Rule lists rule ids; a trailing "*" makes a prefix ("bw-sqli-*").
	// They are matched against rule.id and every id of the "rules" label
	// (all the rules a request matched). If empty, any.
	Rule []string `yaml:"rule,omitempty"`
	// Class lists attack classes, matched against the "class" label
	// (sqli, xss, scanner, sensitive-file…). If empty, any.
	Class []string `yaml:"class,omitempty"`
	// Path lists URL paths, compared without regard to case. "/.env"
	// matches a path ending in /.env (/.env, /api/.env); "/.git/*"
	// matches a path containing /.git/ (and "/.env*" /.env.local). If
	// empty, any.
	Path []string `yaml:"path,omitempty"`
	// SkipStatic leaves out paths of static assets (.js, .css, images,
	// fonts, source maps), which a page with broken links requests by the
	// dozen. If false, they match.
	SkipStatic bool `yaml:"skipStatic,omitempty"`
	// Labels must all be present with these values, e.g. {service: ssh}.
	// If empty, any.
	Labels map[string]string `yaml:"labels,omitempty"`
}

// Validate reports mistakes in f.
func (f Filter) Validate() error {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if f.StatusMin < 0 || f.StatusMin > 999 {
		fail("statusMin", "must be an HTTP status between 100 and 999, got %d", f.StatusMin)
	}
	if f.StatusMax < 0 || f.StatusMax > 999 {
		fail("statusMax", "must be an HTTP status between 100 and 999, got %d", f.StatusMax)
	}
	if f.StatusMax != 0 && f.StatusMin > f.StatusMax {
		fail("statusMax", "is below statusMin (%d > %d)", f.StatusMin, f.StatusMax)
	}
	for i, r := range f.Rule {
		if strings.TrimSuffix(r, "*") == "" || strings.Contains(strings.TrimSuffix(r, "*"), "*") {
			fail(fmt.Sprintf("rule[%d]", i), "%q is not a rule id or a prefix ending in * (e.g. bw-sqli-*)", r)
		}
	}
	for i, p := range f.Path {
		if !strings.HasPrefix(p, "/") || strings.Contains(strings.TrimSuffix(p, "*"), "*") {
			fail(fmt.Sprintf("path[%d]", i), "%q must start with / and may end in * only (e.g. /.env or /.git/*)", p)
		}
	}
	return errors.Join(errs...)
}

// match reports whether f selects e. It does not allocate.
func (f *Filter) match(e *event.Event) bool {
	if len(f.Kind) > 0 && !in(f.Kind, e.Kind) ||
		len(f.Category) > 0 && !in(f.Category, e.Category) ||
		len(f.Action) > 0 && !in(f.Action, e.Action) ||
		len(f.Type) > 0 && !in(f.Type, e.Type) ||
		len(f.Outcome) > 0 && !in(f.Outcome, e.Outcome) {
		return false
	}
	if f.StatusMin > 0 && e.Status < f.StatusMin || f.StatusMax > 0 && (e.Status == 0 || e.Status > f.StatusMax) {
		return false
	}
	if len(f.Class) > 0 && !in(f.Class, e.Labels["class"]) {
		return false
	}
	if len(f.Rule) > 0 && !f.matchRule(e) {
		return false
	}
	if len(f.Path) > 0 && !matchPath(f.Path, e.Path) {
		return false
	}
	if f.SkipStatic && isStatic(e.Path) {
		return false
	}
	for k, v := range f.Labels {
		if got, ok := e.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func (f *Filter) matchRule(e *event.Event) bool {
	if e.RuleID != "" && matchRule(f.Rule, e.RuleID) {
		return true
	}
	for rest := e.Labels["rules"]; rest != ""; {
		var id string
		id, rest, _ = strings.Cut(rest, ",")
		if id != "" && matchRule(f.Rule, id) {
			return true
		}
	}
	return false
}

func matchRule(patterns []string, id string) bool {
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(id, prefix) {
				return true
			}
		} else if id == p {
			return true
		}
	}
	return false
}

func in[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// anyMatch reports whether one of fs selects e.
func anyMatch(fs []Filter, e *event.Event) bool {
	for i := range fs {
		if fs[i].match(e) {
			return true
		}
	}
	return false
}

package ship

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// Filter chooses the events a sink gets. An event passes when it meets
// every condition that is set. Action patterns may end in "*" to match a
// prefix ("login-*").
type Filter struct {
	// MinSeverity is the lowest event.severity passed: info, low, medium,
	// high or critical. If empty, info (all).
	MinSeverity string `yaml:"minSeverity,omitempty"`
	// Kinds are the event.kind values passed (event, alert, state). If
	// empty, all.
	Kinds []string `yaml:"kinds,omitempty"`
	// Categories are the event.category values passed (e.g. malicious).
	// If empty, all.
	Categories []string `yaml:"categories,omitempty"`
	// Actions are the event.action values passed. If empty, all.
	Actions []string `yaml:"actions,omitempty"`
	// ExcludeCategories are categories never passed. If empty, none.
	ExcludeCategories []string `yaml:"excludeCategories,omitempty"`
	// ExcludeActions are actions never passed. If empty, none.
	ExcludeActions []string `yaml:"excludeActions,omitempty"`
}

// Validate reports an unknown severity or kind.
func (f Filter) Validate() error {
	var errs []error
	if _, err := minSeverity(f.MinSeverity); err != nil {
		errs = append(errs, config.Field("minSeverity", err))
	}
	for i, k := range f.Kinds {
		switch event.Kind(k) {
		case event.KindEvent, event.KindAlert, event.KindState:
		default:
			errs = append(errs, config.Field(fmt.Sprintf("kinds[%d]", i), fmt.Errorf("must be event, alert or state, got %q", k)))
		}
	}
	return errors.Join(errs...)
}

// minSeverity is the filter's lowest severity: info if none is given.
func minSeverity(s string) (event.Severity, error) {
	if s == "" {
		return event.SeverityInfo, nil
	}
	return event.ParseSeverity(s)
}

// match reports whether e passes f. f must be valid.
func (f Filter) match(e event.Event) bool {
	if min, _ := minSeverity(f.MinSeverity); e.Severity < min {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, string(e.Kind)) {
		return false
	}
	if len(f.Categories) > 0 && !slices.Contains(f.Categories, string(e.Category)) {
		return false
	}
	if slices.Contains(f.ExcludeCategories, string(e.Category)) {
		return false
	}
	if len(f.Actions) > 0 && !matchAny(f.Actions, e.Action) {
		return false
	}
	return !matchAny(f.ExcludeActions, e.Action)
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(s, prefix) {
				return true
			}
		} else if p == s {
			return true
		}
	}
	return false
}

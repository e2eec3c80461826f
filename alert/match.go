package alert

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// A Match selects events. Every field that is set must hold; a list holds
// when any of its values does. The zero Match selects every event.
type Match struct {
	// Kind is event.kind: event, alert or state. If empty, any.
	Kind string `yaml:"kind"`
	// Categories are event.category values, e.g. [malicious]. If empty, any.
	Categories []string `yaml:"categories"`
	// Actions are event.action values, e.g. [login-failure]. If empty, any.
	Actions []string `yaml:"actions"`
	// ExceptActions are event.action values that never match. If empty, none.
	ExceptActions []string `yaml:"exceptActions"`
	// Outcome is event.outcome: success, failure or unknown. If empty, any.
	Outcome string `yaml:"outcome"`
	// MinSeverity is the lowest event.severity that matches: info, low,
	// medium, high or critical. If empty, any.
	MinSeverity string `yaml:"minSeverity"`
	// RuleIDPrefixes match rule.id by prefix, e.g. ["942"]. If empty, any.
	RuleIDPrefixes []string `yaml:"ruleIdPrefixes"`
	// Labels must all be present with these values, e.g. {class: sqli}.
	// If empty, any.
	Labels map[string]string `yaml:"labels"`
	// PathPrefix matches url.path by prefix, e.g. /api/. If empty, any.
	PathPrefix string `yaml:"pathPrefix"`

	minSeverity event.Severity // parsed by compile
}

func (m *Match) isZero() bool {
	return m.Kind == "" && len(m.Categories) == 0 && len(m.Actions) == 0 && len(m.ExceptActions) == 0 &&
		m.Outcome == "" && m.MinSeverity == "" && len(m.RuleIDPrefixes) == 0 && len(m.Labels) == 0 && m.PathPrefix == ""
}

// Validate checks the enumerated values.
func (m Match) Validate() error {
	var errs []error
	if m.Kind != "" && !slices.Contains([]string{"event", "alert", "state"}, m.Kind) {
		errs = append(errs, config.Field("kind", fmt.Errorf("must be event, alert or state, got %q", m.Kind)))
	}
	if m.Outcome != "" && !slices.Contains([]string{"success", "failure", "unknown"}, m.Outcome) {
		errs = append(errs, config.Field("outcome", fmt.Errorf("must be success, failure or unknown, got %q", m.Outcome)))
	}
	if m.MinSeverity != "" {
		if _, err := event.ParseSeverity(m.MinSeverity); err != nil {
			errs = append(errs, config.Field("minSeverity", err))
		}
	}
	return errors.Join(errs...)
}

// compile returns a copy ready for matches.
func (m Match) compile() (*Match, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.MinSeverity != "" {
		m.minSeverity, _ = event.ParseSeverity(m.MinSeverity)
	}
	return &m, nil
}

// matches reports whether e is selected. It allocates nothing.
func (m *Match) matches(e *event.Event) bool {
	switch {
	case m.Kind != "" && string(e.Kind) != m.Kind,
		len(m.Categories) > 0 && !slices.Contains(m.Categories, string(e.Category)),
		len(m.Actions) > 0 && !slices.Contains(m.Actions, e.Action),
		slices.Contains(m.ExceptActions, e.Action),
		m.Outcome != "" && string(e.Outcome) != m.Outcome,
		e.Severity < m.minSeverity,
		m.PathPrefix != "" && !strings.HasPrefix(e.Path, m.PathPrefix):
		return false
	}
	if len(m.RuleIDPrefixes) > 0 && !slices.ContainsFunc(m.RuleIDPrefixes, func(p string) bool { return strings.HasPrefix(e.RuleID, p) }) {
		return false
	}
	for k, v := range m.Labels {
		if got, ok := e.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

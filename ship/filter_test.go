package ship

import (
	"testing"

	"github.com/bulwark-sec/bulwark/event"
)

func TestFilter(t *testing.T) {
	e := event.Event{Kind: event.KindAlert, Category: event.CategoryMalicious, Action: "login-failed", Severity: event.SeverityMedium}
	for _, tc := range []struct {
		name string
		f    Filter
		want bool
	}{
		{"empty passes all", Filter{}, true},
		{"severity at min", Filter{MinSeverity: "medium"}, true},
		{"severity below min", Filter{MinSeverity: "HIGH"}, false},
		{"category listed", Filter{Categories: []string{"web", "malicious"}}, true},
		{"category not listed", Filter{Categories: []string{"web"}}, false},
		{"category excluded", Filter{ExcludeCategories: []string{"malicious"}}, false},
		{"kind listed", Filter{Kinds: []string{"alert"}}, true},
		{"kind not listed", Filter{Kinds: []string{"event"}}, false},
		{"action prefix", Filter{Actions: []string{"login-*"}}, true},
		{"action exact miss", Filter{Actions: []string{"login"}}, false},
		{"action excluded by prefix", Filter{ExcludeActions: []string{"login-*"}}, false},
		{"all conditions", Filter{MinSeverity: "low", Kinds: []string{"alert"}, Categories: []string{"malicious"}, Actions: []string{"login-failed"}}, true},
	} {
		if got := tc.f.match(e); got != tc.want {
			t.Errorf("%s: %+v.match = %v, want %v", tc.name, tc.f, got, tc.want)
		}
	}
}

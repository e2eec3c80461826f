package alert

import (
	"fmt"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
)

// The event fields rules can count and group by, in ECS names; labels.NAME
// reads one of the event's labels.
var fieldNames = []string{"source.ip", "user.name", "url.path", "rule.id", "rule.name",
	"event.kind", "event.category", "event.action", "event.outcome", "labels.NAME"}

// fieldOf returns the value of a field of e, "" when it is not set.
func fieldOf(e *event.Event, name string) string {
	switch name {
	case "source.ip":
		if e.SourceIP.IsValid() {
			return e.SourceIP.String()
		}
		return ""
	case "user.name":
		return e.UserName
	case "url.path":
		return e.Path
	case "rule.id":
		return e.RuleID
	case "rule.name":
		return e.RuleName
	case "event.kind":
		return string(e.Kind)
	case "event.category":
		return string(e.Category)
	case "event.action":
		return e.Action
	case "event.outcome":
		return string(e.Outcome)
	}
	if l, ok := strings.CutPrefix(name, "labels."); ok {
		return e.Labels[l]
	}
	return ""
}

func checkField(name string) error {
	if l, ok := strings.CutPrefix(name, "labels."); ok && l != "" {
		return nil
	}
	for _, f := range fieldNames {
		if f == name {
			return nil
		}
	}
	return fmt.Errorf("unknown field %q (known: %s)", name, strings.Join(fieldNames, ", "))
}

package scenario

import (
	"log/slog"
	"net/netip"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

var netipZero netip.Addr

// CategoryIntrusionDetection is the ECS category of the events about
// decisions.
const CategoryIntrusionDetection event.Category = "intrusion_detection"

// decisionEvent describes d for the bus: action ban-simulated, or
// ban-failed with err. It carries the label "scenario", by which the
// engine knows not to count it.
func decisionEvent(d Decision, action string, err error) event.Event {
	e := event.Event{
		Time: d.Time, Kind: event.KindAlert, Category: CategoryIntrusionDetection,
		Type: "info", Action: action, Outcome: event.OutcomeUnknown, Severity: event.SeverityMedium,
		Message:  "would ban " + d.Target.String() + " for " + config.FormatDuration(d.Duration) + ": " + d.Reason,
		SourceIP: d.Target.IP, UserName: d.Target.User, RuleName: d.Scenario,
		Labels: map[string]string{
			"scenario": d.Scenario,
			"duration": config.FormatDuration(d.Duration),
		},
	}
	if d.Target.Service != "" {
		e.Labels["service"] = d.Target.Service
	}
	for i, line := range d.Evidence {
		e.Labels["evidence"+string(rune('1'+i))] = line
	}
	if err != nil {
		e.Type, e.Outcome, e.Severity = "error", event.OutcomeFailure, event.SeverityHigh
		e.Message = "could not ban " + d.Target.String() + " (" + d.Reason + "): the black book failed, see the log"
	}
	return e
}

// decisionAttrs are the log attributes of d.
func decisionAttrs(d Decision) []slog.Attr {
	attrs := []slog.Attr{
		slog.String("scenario", d.Scenario),
		slog.Duration("duration", d.Duration),
		slog.String("reason", d.Reason),
	}
	if d.Target.IP.IsValid() {
		attrs = append(attrs, slog.String("ip", d.Target.IP.String()))
	}
	if d.Target.User != "" {
		attrs = append(attrs, slog.String("user", d.Target.User))
	}
	if d.Target.Service != "" {
		attrs = append(attrs, slog.String("service", d.Target.Service))
	}
	return attrs
}

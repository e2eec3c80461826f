package alert

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"
)

// Notification statuses.
const (
	StatusFiring   = "firing"
	StatusResolved = "resolved"
)

// A Notification is what a notifier sends: one group of one rule, with the
// alerts that are firing and those that resolved since the last one. It
// holds no secret and is stored as JSON in the outbox until delivered.
type Notification struct {
	// ID is unique per notification; webhooks receive it to drop
	// duplicates of a retried delivery.
	ID string `json:"id"`
	// Rule is the rule's name, e.g. malicious-burst.
	Rule string `json:"rule"`
	// Status is "firing" if any alert fires, else "resolved".
	Status   string `json:"status"`
	Severity string `json:"severity"`
	// GroupLabels are the group's values of the rule's groupBy fields.
	GroupLabels map[string]string `json:"groupLabels,omitempty"`
	Summary     string            `json:"summary"`
	Description string            `json:"description,omitempty"`
	Alerts      []Alert           `json:"alerts"`
	Time        time.Time         `json:"time"`
	// Test marks the message of bulwark alert test.
	Test bool `json:"test,omitempty"`
}

// An Alert is one key of a rule over its threshold, e.g. one attacking IP.
type Alert struct {
	Status string `json:"status"`
	// Labels are the alert's values of the rule's countBy fields, plus
	// the first event's labels.class, labels.scenario and
	// labels.ban_source when set.
	Labels   map[string]string `json:"labels,omitempty"`
	StartsAt time.Time         `json:"startsAt"`
	EndsAt   time.Time         `json:"endsAt,omitzero"`
	// Count is the matching events seen while the alert fired.
	Count int `json:"count"`
	// Message is the last matching event's message.
	Message string `json:"message,omitempty"`
}

// Firing returns the alerts that fire.
func (n Notification) Firing() []Alert { return n.only(StatusFiring) }

// Resolved returns the alerts that resolved.
func (n Notification) Resolved() []Alert { return n.only(StatusResolved) }

func (n Notification) only(status string) []Alert {
	var out []Alert
	for _, a := range n.Alerts {
		if a.Status == status {
			out = append(out, a)
		}
	}
	return out
}

// Count sums the alerts' event counts.
func (n Notification) Count() int {
	c := 0
	for _, a := range n.Alerts {
		c += a.Count
	}
	return c
}

// Values lists the distinct values of one label over the alerts (and the
// group labels), at most five and then how many more: "a, b (+3 more)".
// Templates use it as {{.Values "source.ip"}}.
func (n Notification) Values(field string) string {
	var vals []string
	if v := n.GroupLabels[field]; v != "" {
		vals = append(vals, v)
	}
	for _, a := range n.Alerts {
		if v := a.Labels[field]; v != "" && !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	if len(vals) > 5 {
		return strings.Join(vals[:5], ", ") + fmt.Sprintf(" (+%d more)", len(vals)-5)
	}
	return strings.Join(vals, ", ")
}

// Title is the summary led by the status and severity, as used for
// subjects: "[FIRING high] Attack burst from 192.0.2.7".
func (n Notification) Title() string {
	prefix := "[" + strings.ToUpper(n.Status) + " " + n.Severity + "] "
	if n.Test {
		prefix = "[TEST] "
	}
	return prefix + n.Summary
}

var templateFuncs = template.FuncMap{
	"upper": strings.ToUpper,
	"join":  strings.Join,
	"time":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
}

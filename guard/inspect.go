package guard

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/inspect"
)

// reportVerdict turns a detection verdict into one event of the category
// malicious: an alert when the request was blocked. A body refused because
// it cannot be inspected (too large, an unknown coding or charset) is no
// attack: it is an event of the category web, which no ban counts, and
// only the verdict's other findings, if any, are malicious.
func (g *Gateway) reportVerdict(r *http.Request, v inspect.Verdict) {
	infoFrom(r.Context()).suspect = true
	if st := inspect.Refused(v); st != 0 && v.Action != inspect.Block {
		g.reportRefused(r, st, v)
		v.Findings = slices.DeleteFunc(slices.Clone(v.Findings), func(f inspect.Finding) bool { return f.Refusal() != 0 })
	}
	if len(v.Findings) == 0 {
		return
	}
	infoFrom(r.Context()).attack = true
	top := v.Findings[0]
	e := event.Event{
		Kind: event.KindAlert, Category: event.CategoryMalicious,
		Type: "denied", Action: "attack-blocked", Outcome: event.OutcomeFailure, Status: http.StatusForbidden,
		Severity: top.Severity, RuleID: top.RuleID, RuleName: string(top.Class),
		TechniqueID: technique(top.Class),
		Message:     "blocked " + string(top.Class) + " in " + top.Where,
		Labels: map[string]string{
			"where": top.Where, "class": string(top.Class), "score": strconv.Itoa(v.Score),
			"rules": ruleIDs(v.Findings), "fragment": top.Fragment,
		},
	}
	if v.Action != inspect.Block {
		e.Kind, e.Type, e.Action, e.Outcome, e.Status = event.KindEvent, "info", "attack-detected", event.OutcomeUnknown, 0
		e.Message = "detected " + string(top.Class) + " in " + top.Where
	} else if g.inText(r, v.Findings) {
		// Blocked, but counted apart from other attacks: an author quoting
		// code is not banned on the first offences (scenario attack-in-text).
		e.Action = "attack-blocked-in-text"
		e.Message = "blocked " + string(top.Class) + " in the free text of " + top.Where
	}
	g.publish(r, e)
}

// inText reports whether every finding is in a field of r's route learned
// as free text, and r comes from a logged-in user.
func (g *Gateway) inText(r *http.Request, fs []inspect.Finding) bool {
	types := infoFrom(r.Context()).types
	if len(types) == 0 || g.accounts == nil || g.accounts.UserFor(r) == "" {
		return false
	}
	for _, f := range fs {
		if !types[f.Where].Free() {
			return false
		}
	}
	return true
}

// reportRefused publishes the refusal of r with status st: a body the
// engine cannot inspect, a '#' in the target, or a client gone.
func (g *Gateway) reportRefused(r *http.Request, st int, v inspect.Verdict) {
	rule := ""
	for _, f := range v.Findings {
		if f.Refusal() != 0 {
			rule = f.RuleID
			break
		}
	}
	action := "body-unsupported"
	switch {
	case rule == "bw-target-001":
		action = "bad-request-target"
	case rule == "bw-limit-006":
		action = "client-gone"
	case st == http.StatusRequestEntityTooLarge:
		action = "body-too-large"
	case st == http.StatusBadRequest:
		action = "body-undecodable"
	}
	g.publish(r, event.Event{
		Category: event.CategoryWeb, Type: "denied", Action: action, Outcome: event.OutcomeFailure,
		Severity: event.SeverityLow, Status: st, RuleID: rule,
		Message: fmt.Sprintf("request refused with %d: %s", st, ruleName(rule)),
	})
}

// ruleName is the name of the rule with id, or id.
func ruleName(id string) string {
	for _, r := range inspect.Rules() {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

func ruleIDs(fs []inspect.Finding) string {
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.RuleID
	}
	return strings.Join(ids, ",")
}

// technique maps a class to its MITRE ATT&CK technique.
func technique(c inspect.Class) string {
	switch c {
	case inspect.Scanner:
		return "T1595.002" // Active Scanning: Vulnerability Scanning
	case inspect.SensitiveFile:
		return "T1595.003" // Active Scanning: Wordlist Scanning
	}
	return "T1190" // Exploit Public-Facing Application
}

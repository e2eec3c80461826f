package guard

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/inspect"
)

// reportVerdict turns a detection verdict into one event of the category
// malicious: an alert when the request was blocked.
func (g *Gateway) reportVerdict(r *http.Request, v inspect.Verdict) {
	if len(v.Findings) == 0 {
		return
	}
	top := v.Findings[0]
	e := event.Event{
		Kind: event.KindAlert, Category: event.CategoryMalicious,
		Type: "denied", Action: "attack-blocked", Outcome: event.OutcomeFailure,
		Severity: top.Severity, RuleID: top.RuleID, RuleName: string(top.Class),
		TechniqueID: technique(top.Class),
		Message:     "blocked " + string(top.Class) + " in " + top.Where,
		Labels: map[string]string{
			"where": top.Where, "class": string(top.Class), "score": strconv.Itoa(v.Score),
			"rules": ruleIDs(v.Findings), "fragment": top.Fragment,
		},
	}
	if v.Action != inspect.Block {
		e.Kind, e.Type, e.Action, e.Outcome = event.KindEvent, "info", "attack-detected", event.OutcomeUnknown
		e.Message = "detected " + string(top.Class) + " in " + top.Where
	}
	g.publish(r, e)
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

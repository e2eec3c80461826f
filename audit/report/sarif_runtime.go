package report

import "fmt"

// SARIF rules for what is not an advisory: a Node.js line past (or near)
// its end of life, and a dependency with no exact version.
const (
	RuleNodeEndOfLife = "bulwark/node-end-of-life"
	RuleUnpinned      = "bulwark/unpinned"
)

// addRuntimeResults adds a result per runtime whose line is past or near
// its end of life, and a note per unpinned dependency.
func addRuntimeResults(run *sarifRun, r *Report) {
	rule := func(id, short, level, score string) int {
		for i, x := range run.Tool.Driver.Rules {
			if x.ID == id {
				return i
			}
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifText{Text: short},
			FullDescription: sarifText{Text: short}, HelpURI: "https://github.com/nodejs/Release#release-schedule",
			Help: sarifText{Text: short}, DefaultConfig: sarifConfig{Level: level},
			Properties: sarifRuleProps{SecuritySeverity: score, Tags: []string{"security", "dependency"}}})
		return len(run.Tool.Driver.Rules) - 1
	}
	for _, rt := range r.Runtimes {
		st := rt.Status
		if !st.PastEnd && st.MoveTo == "" {
			continue
		}
		level, score := "warning", "5.5"
		if st.PastEnd {
			level, score = "error", "8.0"
		}
		i := rule(RuleNodeEndOfLife, "Node.js release line at or near its end of life: no security releases after it", level, score)
		run.Results = append(run.Results, sarifResult{RuleID: RuleNodeEndOfLife, RuleIndex: i, Level: level,
			Message:   sarifText{Text: r.StatusText(rt) + "."},
			Locations: []sarifLocation{{PhysicalLocation: physical(rt.File, rt.Line)}},
			PartialFingerprints: map[string]string{"bulwarkPackage/v1": fmt.Sprintf("%s/%s@%s/%s", rt.Ecosystem, rt.Name,
				rt.Spec(), RuleNodeEndOfLife)},
			Properties: map[string]any{"security-severity": score, "endOfLife": st.End, "moveTo": st.MoveTo}})
	}
	for _, u := range r.Unpinned {
		i := rule(RuleUnpinned, "Dependency without an exact version: not checked against advisories", "note", "0.0")
		run.Results = append(run.Results, sarifResult{RuleID: RuleUnpinned, RuleIndex: i, Level: "note",
			Message: sarifText{Text: fmt.Sprintf("%s (%s) is required as %s: no exact version, so no advisory was checked. "+
				"Pin it, or audit the lockfile that resolves it.", u.Name, u.Ecosystem, u.RequirementText())},
			Locations: []sarifLocation{{PhysicalLocation: physical(u.File, u.Line)}},
			PartialFingerprints: map[string]string{"bulwarkPackage/v1": fmt.Sprintf("%s/%s@%s/%s", u.Ecosystem, u.Name,
				u.RequirementText(), RuleUnpinned)},
			Properties: map[string]any{"security-severity": "0.0", "requirement": u.Requirement}})
	}
}

func physical(file string, line int) sarifPhysical {
	loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: file, URIBaseID: "%SRCROOT%"}}
	if line > 0 {
		loc.Region = &sarifRegion{StartLine: line}
	}
	return loc
}

package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bulwark-sec/bulwark/audit"
)

// SARIF writes the report as a SARIF 2.1.0 log: one rule per advisory
// group (with its security-severity score, which GitHub code scanning
// ranks by) and one result per group and lockfile line listing a
// vulnerable package, located by a URI relative to the scanned
// directory (uriBaseId %SRCROOT%) and the line, so that a code-scanning
// UI points at the lockfile entry. toolVersion is the driver's version.
func SARIF(w io.Writer, r *Report, toolVersion string) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "bulwark", InformationURI: "https://github.com/bulwark-sec/bulwark",
			Version: toolVersion, Rules: []sarifRule{}}},
		Results: []sarifResult{},
	}
	ruleIndex := map[string]int{}
	for _, p := range r.Packages {
		for _, v := range p.Vulns {
			i, ok := ruleIndex[v.ID]
			if !ok {
				i = len(run.Tool.Driver.Rules)
				ruleIndex[v.ID] = i
				run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, ruleOf(v))
			}
			for _, o := range p.Occurrences {
				run.Results = append(run.Results, resultOf(p, v, o, i))
			}
		}
	}
	addRuntimeResults(&run, r)
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func ruleOf(v Vuln) sarifRule {
	short := v.Summary
	if short == "" {
		short = v.ID
	}
	names := append([]string{}, v.IDs...)
	names = append(names, v.Aliases...)
	help := fmt.Sprintf("%s (%s). Severity: %s. Fixed in: %s. See %s", short, strings.Join(names, ", "),
		SeverityText(v.Severity), orNone(v.Fixed), AdvisoryURL(v.ID))
	return sarifRule{
		ID:               v.ID,
		ShortDescription: sarifText{Text: oneLine(short, 1000)},
		FullDescription:  sarifText{Text: oneLine(short, 1000)},
		HelpURI:          AdvisoryURL(v.ID),
		Help:             sarifText{Text: help},
		DefaultConfig:    sarifConfig{Level: ruleLevel(v)},
		Properties: sarifRuleProps{
			SecuritySeverity: securitySeverity(v.Severity),
			Tags:             append([]string{"security", "vulnerability", "dependency"}, v.Aliases...),
		},
	}
}

func resultOf(p Package, v Vuln, o Occurrence, rule int) sarifResult {
	msg := fmt.Sprintf("%s@%s (%s) is affected by %s: %s. Upgrade to %s.", p.Name, p.Version, p.Ecosystem, v.ID,
		strings.TrimSuffix(oneLine(v.Summary, 500), "."), p.FixText())
	level, severity := levelOf(v.Severity), securitySeverity(v.Severity)
	if v.Malicious {
		msg = fmt.Sprintf("%s@%s (%s) is malware (%s): %s. Remove it and rotate every secret the machine held.", p.Name, p.Version, p.Ecosystem,
			v.ID, strings.TrimSuffix(oneLine(v.Summary, 500), "."))
		level, severity = "error", "10.0"
	}
	if via := o.Via(); via != "" {
		msg += " Reached " + via + "."
	}
	loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: o.File, URIBaseID: "%SRCROOT%"}}
	if o.Line > 0 {
		loc.Region = &sarifRegion{StartLine: o.Line}
	}
	return sarifResult{
		RuleID:    v.ID,
		RuleIndex: rule,
		Level:     level,
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{{PhysicalLocation: loc}},
		PartialFingerprints: map[string]string{
			"bulwarkPackage/v1": p.Ecosystem + "/" + p.Name + "@" + p.Version + "/" + v.ID,
		},
		Properties: map[string]any{"security-severity": severity, "fixedVersion": p.FixText()},
	}
}

func ruleLevel(v Vuln) string {
	if v.Malicious {
		return "error"
	}
	return levelOf(v.Severity)
}

// levelOf maps a severity to a SARIF level: critical and high are
// errors, medium and unknown warnings, the rest notes.
func levelOf(s audit.Severity) string {
	switch s.Level {
	case audit.Critical, audit.High:
		return "error"
	case audit.Medium, audit.Unknown:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS score as GitHub reads it ("7.5"); without
// a score, the middle of the level's band.
func securitySeverity(s audit.Severity) string {
	if s.Score > 0 {
		return formatScore(s.Score)
	}
	switch s.Level {
	case audit.Critical:
		return "9.5"
	case audit.High:
		return "8.0"
	case audit.Medium, audit.Unknown:
		return "5.5"
	case audit.Low:
		return "2.0"
	}
	return "0.0"
}

func orNone(vs []string) string {
	if len(vs) == 0 {
		return "no known version"
	}
	return strings.Join(vs, ", ")
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	ShortDescription sarifText      `json:"shortDescription"`
	FullDescription  sarifText      `json:"fullDescription"`
	HelpURI          string         `json:"helpUri"`
	Help             sarifText      `json:"help"`
	DefaultConfig    sarifConfig    `json:"defaultConfiguration"`
	Properties       sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

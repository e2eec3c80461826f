package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
)

// JSONSchema names the shape JSON writes; it changes when a field does.
const JSONSchema = "bulwark.audit/1"

// JSON writes the report as one indented JSON document.
func JSON(w io.Writer, r *Report) error {
	doc := jsonReport{Schema: JSONSchema, Dir: r.Dir, Threshold: r.Threshold, Files: r.Files, Scanned: r.Scanned,
		Vulnerabilities: r.Vulns(), Failing: r.Failing(), Packages: []jsonPackage{}, Errors: r.Errors}
	for _, p := range r.Packages {
		jp := jsonPackage{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Severity: jsonSeverityOf(p.Severity), Malicious: p.Malicious}
		if p.Malicious {
			jp.Advice = audit.MaliciousAdvice
		}
		if p.Fix != nil {
			jp.Fix = &jsonFix{To: p.Fix.To, Major: p.Fix.Major, Fixes: p.Fix.Fixes, Unfixed: p.Fix.Unfixed}
		}
		for _, o := range p.Occurrences {
			jp.Locations = append(jp.Locations, jsonLocation{File: o.File, Line: o.Line, Path: o.Path, Direct: o.Direct, Dev: o.Dev})
		}
		for _, v := range p.Vulns {
			jp.Vulnerabilities = append(jp.Vulnerabilities, jsonVuln{ID: v.ID, IDs: v.IDs, Aliases: v.Aliases,
				Summary: v.Summary, Severity: jsonSeverityOf(v.Severity), Fixed: v.Fixed, URL: AdvisoryURL(v.ID), Malicious: v.Malicious})
		}
		doc.Packages = append(doc.Packages, jp)
	}
	for _, ig := range r.Ignored {
		doc.Ignored = append(doc.Ignored, jsonIgnored{Package: ig.Package, ID: ig.ID, Reason: ig.Reason, Until: ig.Until})
	}
	for _, ex := range r.Expired {
		doc.Expired = append(doc.Expired, jsonIgnored{ID: ex.ID, Reason: ex.Reason, Until: ex.Until})
	}
	for _, u := range r.Unpinned {
		doc.Unpinned = append(doc.Unpinned, jsonUnpinned{Ecosystem: u.Ecosystem, Name: u.Name, Requirement: u.Requirement,
			Version: u.Version, File: u.File, Line: u.Line})
	}
	for _, rt := range r.Runtimes {
		jr := jsonRuntime{Ecosystem: rt.Ecosystem, Name: rt.Name, Version: rt.Version, Requirement: rt.Requirement,
			File: rt.File, Line: rt.Line, ReleaseLine: rt.Status.Line, Codename: rt.Status.Codename, EndOfLife: rt.Status.End,
			PastEndOfLife: rt.Status.PastEnd, MoveTo: rt.Status.MoveTo, Summary: r.StatusText(rt)}
		if p := r.vulnerable(rt); p != nil {
			jr.Advisories = len(p.Vulns)
			if p.Fix != nil {
				jr.Fix = p.Fix.To
			}
		}
		doc.Runtimes = append(doc.Runtimes, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// AdvisoryURL is the advisory's page on osv.dev; for a Node.js core
// advisory (NSWG-COR-N), its file in the Security Working Group's
// repository, which osv.dev does not carry.
func AdvisoryURL(id string) string {
	if n, ok := strings.CutPrefix(id, nodejs.IDPrefix); ok {
		return "https://github.com/nodejs/security-wg/blob/main/vuln/core/" + n + ".json"
	}
	return "https://osv.dev/vulnerability/" + id
}

type jsonReport struct {
	Schema          string         `json:"schema"`
	Dir             string         `json:"dir"`
	Threshold       audit.Level    `json:"threshold"`
	Files           []string       `json:"files"`
	Scanned         int            `json:"scanned"`
	Vulnerabilities int            `json:"vulnerabilities"`
	Failing         int            `json:"failing"` // at or above threshold (or of unknown severity)
	Packages        []jsonPackage  `json:"packages"`
	Ignored         []jsonIgnored  `json:"ignored,omitempty"`
	Expired         []jsonIgnored  `json:"expiredIgnores,omitempty"`
	Errors          []string       `json:"errors,omitempty"`
	Unpinned        []jsonUnpinned `json:"unpinned,omitempty"`
	Runtimes        []jsonRuntime  `json:"runtimes,omitempty"`
}

// A jsonUnpinned is a dependency named without an exact version: never matched.
type jsonUnpinned struct {
	Ecosystem   string `json:"ecosystem"`
	Name        string `json:"name"`
	Requirement string `json:"requirement"`
	Version     string `json:"version,omitempty"` // what the file holds when it is not a version
	File        string `json:"file"`
	Line        int    `json:"line,omitempty"`
}

// A jsonRuntime is a place the project names its Node.js version.
type jsonRuntime struct {
	Ecosystem     string `json:"ecosystem"`
	Name          string `json:"name"`
	Version       string `json:"version,omitempty"`
	Requirement   string `json:"requirement,omitempty"` // a range, when no exact version is pinned
	File          string `json:"file"`
	Line          int    `json:"line,omitempty"`
	ReleaseLine   string `json:"releaseLine,omitempty"` // "20.x"
	Codename      string `json:"codename,omitempty"`
	EndOfLife     string `json:"endOfLife,omitempty"`
	PastEndOfLife bool   `json:"pastEndOfLife"`
	MoveTo        string `json:"moveTo,omitempty"`
	Advisories    int    `json:"advisories"`
	Fix           string `json:"fix,omitempty"` // the smallest version of the line fixing them all
	Summary       string `json:"summary"`
}

type jsonPackage struct {
	Ecosystem       string         `json:"ecosystem"`
	Name            string         `json:"name"`
	Version         string         `json:"version"`
	Severity        jsonSeverity   `json:"severity"`
	Fix             *jsonFix       `json:"fix,omitempty"`
	Locations       []jsonLocation `json:"locations"`
	Vulnerabilities []jsonVuln     `json:"vulnerabilities"`
	Malicious       bool           `json:"malicious,omitempty"` // a MAL- advisory: remove, do not upgrade
	Advice          string         `json:"advice,omitempty"`
}

type jsonSeverity struct {
	Level  audit.Level `json:"level"`
	Score  float64     `json:"score,omitempty"`
	Vector string      `json:"vector,omitempty"`
	Source string      `json:"source,omitempty"`
}

func jsonSeverityOf(s audit.Severity) jsonSeverity {
	return jsonSeverity{Level: s.Level, Score: s.Score, Vector: s.Vector, Source: s.Source}
}

type jsonFix struct {
	To      string   `json:"to,omitempty"`
	Major   bool     `json:"major,omitempty"`
	Fixes   []string `json:"fixes,omitempty"`
	Unfixed []string `json:"unfixed,omitempty"`
}

type jsonLocation struct {
	File   string   `json:"file"`
	Line   int      `json:"line,omitempty"`
	Path   []string `json:"path,omitempty"`
	Direct bool     `json:"direct,omitempty"`
	Dev    bool     `json:"dev,omitempty"`
}

type jsonVuln struct {
	ID        string       `json:"id"`
	IDs       []string     `json:"ids"`
	Aliases   []string     `json:"aliases,omitempty"`
	Summary   string       `json:"summary,omitempty"`
	Severity  jsonSeverity `json:"severity"`
	Fixed     []string     `json:"fixed,omitempty"`
	URL       string       `json:"url"`
	Malicious bool         `json:"malicious,omitempty"`
}

type jsonIgnored struct {
	Package string     `json:"package,omitempty"`
	ID      string     `json:"id"`
	Reason  string     `json:"reason"`
	Until   audit.Date `json:"until"`
}

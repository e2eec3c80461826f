// Package report writes the result of an audit for people (a table
// grouped by package, or Markdown for a pull request) and for programs
// (JSON, and SARIF 2.1.0 for code-scanning UIs, pointing at the lockfile
// line of each vulnerable package).
package report

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bulwark-sec/bulwark/audit"
)

// A Report is the result of one audit, grouped by package version.
type Report struct {
	Dir       string      // the directory scanned; Files and locations are relative to it
	Threshold audit.Level // findings at or above it fail the audit (Unknown counts as above)
	Files     []string    // the lockfiles read
	Scanned   int         // package occurrences read from them
	Packages  []Package   // vulnerable package versions, worst first
	Ignored   []Ignored   // findings silenced by the ignore file
	Expired   []audit.Ignore
	Errors    []string // lockfiles that could not be read, "file:line: message"
	// Unpinned lists dependencies named without an exact version, which
	// are never matched (see [Report.AddUnpinned]).
	Unpinned []Unpinned
	// Runtimes lists where the project names its Node.js version (see
	// [Report.AddRuntimes]); their advisories are among Packages.
	Runtimes []Runtime
}

// A Package is one vulnerable package version and everything known of it.
type Package struct {
	Ecosystem, Name, Version string
	Severity                 audit.Severity // the worst of Vulns
	Occurrences              []Occurrence   // where lockfiles list it, by file and line
	Vulns                    []Vuln         // by severity, worst first
	Fix                      *audit.Remediation
	// Malicious says one of Vulns is a malicious-package advisory
	// (MAL-): the package is to be removed, not upgraded.
	Malicious bool
}

// An Occurrence is one place a lockfile lists a package.
type Occurrence struct {
	File   string   // relative to Report.Dir
	Line   int      // 0 when unknown
	Path   []string // dependents from a direct dependency down to the parent, "name@version"
	Direct bool
	Dev    bool
}

// A Vuln is one alias group of advisories on a package version.
type Vuln struct {
	ID       string   // the group's first id, the one reports name
	IDs      []string // all ids of the group
	Aliases  []string
	Summary  string
	Severity audit.Severity
	Fixed    []string // per advisory, the smallest fixing version
	// Malicious says the group is a malicious-package advisory (MAL-).
	Malicious bool
}

// An Ignored is a finding silenced by an ignore in force.
type Ignored struct {
	Package string // name@version
	ID      string
	Reason  string
	Until   audit.Date
}

// New groups findings (as audit.Match returns them, one per occurrence
// and alias group) into one Package per ecosystem, name and version,
// merging occurrences across lockfiles. File names are made relative to
// dir.
func New(dir string, findings []audit.Finding) *Report {
	r := &Report{Dir: dir}
	type key struct{ eco, name, version string }
	index := map[key]int{}
	for _, f := range findings {
		k := key{f.Package.Ecosystem, f.Package.Name, f.Package.Version}
		i, ok := index[k]
		if !ok {
			i = len(r.Packages)
			index[k] = i
			r.Packages = append(r.Packages, Package{Ecosystem: k.eco, Name: k.name, Version: k.version, Fix: f.Remediation})
		}
		p := &r.Packages[i]
		o := Occurrence{File: Rel(dir, f.Package.File), Line: f.Package.Line, Path: f.Package.Path,
			Direct: f.Package.Direct, Dev: f.Package.Dev}
		if !slices.ContainsFunc(p.Occurrences, func(x Occurrence) bool { return x.File == o.File && x.Line == o.Line }) {
			p.Occurrences = append(p.Occurrences, o)
		}
		if !slices.ContainsFunc(p.Vulns, func(v Vuln) bool { return v.ID == f.IDs[0] }) {
			p.Vulns = append(p.Vulns, Vuln{ID: f.IDs[0], IDs: f.IDs, Aliases: f.Aliases, Summary: f.Summary,
				Severity: f.Severity, Fixed: f.Fixed, Malicious: f.Malicious()})
		}
		p.Malicious = p.Malicious || f.Malicious()
	}
	for i := range r.Packages {
		p := &r.Packages[i]
		slices.SortStableFunc(p.Vulns, func(a, b Vuln) int {
			return cmp.Or(compareBool(b.Malicious, a.Malicious), compareSeverity(b.Severity, a.Severity))
		})
		p.Severity = p.Vulns[0].Severity
		slices.SortFunc(p.Occurrences, func(a, b Occurrence) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
	}
	slices.SortStableFunc(r.Packages, func(a, b Package) int {
		// Malware first, whatever the scores say.
		return cmp.Or(compareBool(b.Malicious, a.Malicious), compareSeverity(b.Severity, a.Severity), cmp.Compare(a.Ecosystem, b.Ecosystem),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	})
	return r
}

// AddIgnored records the findings an ignore file silenced, one line per
// package version and advisory.
func (r *Report) AddIgnored(ig []audit.Ignored) {
	for _, x := range ig {
		i := Ignored{Package: x.Finding.Package.Name + "@" + x.Finding.Package.Version, ID: x.Finding.IDs[0],
			Reason: x.By.Reason, Until: x.By.Until}
		if !slices.Contains(r.Ignored, i) {
			r.Ignored = append(r.Ignored, i)
		}
	}
}

// Failing counts the vulnerabilities (package version and advisory
// group) at or above the threshold. Those of unknown severity count: a
// missing score is not a reason to pass; malicious packages always do.
func (r *Report) Failing() int {
	n := 0
	for _, p := range r.Packages {
		for _, v := range p.Vulns {
			if v.Malicious || v.Severity.Level == audit.Unknown || v.Severity.Level >= r.Threshold {
				n++
			}
		}
	}
	return n
}

// Vulns counts the vulnerabilities: package versions times advisory
// groups.
func (r *Report) Vulns() int {
	n := 0
	for _, p := range r.Packages {
		n += len(p.Vulns)
	}
	return n
}

// Rel returns file relative to dir with forward slashes, or file itself
// when it is not under dir.
func Rel(dir, file string) string {
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(file)
}

// Via describes how an occurrence is reached: "direct dependency" or
// "via express@4.18.2 > body-parser@1.20.1".
func (o Occurrence) Via() string {
	switch {
	case o.Direct:
		return "direct dependency"
	case len(o.Path) == 0:
		return ""
	}
	return "via " + strings.Join(o.Path, " > ")
}

// Where is "file:line", or the file alone when the line is unknown.
func (o Occurrence) Where() string {
	if o.Line > 0 {
		return o.File + ":" + itoa(o.Line)
	}
	return o.File
}

// FixText describes the remediation of a package: "1.20.3", "5.0.0
// (major)", or "none known"; for a malicious package, what to do instead.
func (p Package) FixText() string {
	if p.Malicious {
		return audit.MaliciousAdvice
	}
	if p.Fix == nil || p.Fix.To == "" {
		return "none known"
	}
	if p.Fix.Major {
		return p.Fix.To + " (major)"
	}
	return p.Fix.To
}

// Malware counts the malicious package versions.
func (r *Report) Malware() int {
	n := 0
	for _, p := range r.Packages {
		if p.Malicious {
			n++
		}
	}
	return n
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// compareSeverity orders severities by level then score.
func compareSeverity(a, b audit.Severity) int {
	return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(a.Score, b.Score))
}

// SeverityText is "high 7.5", "high" (no score) or "unknown".
func SeverityText(s audit.Severity) string {
	if s.Score > 0 {
		return s.Level.String() + " " + formatScore(s.Score)
	}
	return s.Level.String()
}

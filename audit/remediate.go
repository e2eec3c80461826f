package audit

import (
	"slices"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/audit/version"
)

// A Remediation is the upgrade that removes the findings of one package
// version.
type Remediation struct {
	Ecosystem, Name, From string
	// To is the smallest version named as a fix by any advisory on the
	// package that no fixable advisory affects; "" when there is none.
	To string
	// Major is set when To crosses a compatibility boundary (see
	// version.MajorBump): the upgrade may need code changes.
	Major bool
	// Fixes lists the first id of each finding To fixes; Unfixed those
	// of findings with no known fixed version (only last_affected or an
	// open range), which no upgrade is known to remove.
	Fixes, Unfixed []string
}

// Remediate returns one Remediation per package version among findings
// (keyed by ecosystem, name and version; in order of first appearance).
// To is not simply the largest of the per-advisory fixes: it is the
// smallest of all the fixed versions that is outside every fixable
// advisory's ranges, so a fix for one advisory that falls inside another
// advisory's later range is skipped.
func Remediate(findings []Finding) []*Remediation {
	type pv struct{ eco, name, version string }
	var order []pv
	byPkg := map[pv][]Finding{}
	for _, f := range findings {
		k := pv{f.Package.Ecosystem, f.Package.Name, f.Package.Version}
		if _, ok := byPkg[k]; !ok {
			order = append(order, k)
		}
		byPkg[k] = append(byPkg[k], f)
	}
	out := make([]*Remediation, 0, len(order))
	for _, k := range order {
		out = append(out, remediate(byPkg[k]))
	}
	return out
}

func remediate(fs []Finding) *Remediation {
	p := fs[0].Package
	r := &Remediation{Ecosystem: p.Ecosystem, Name: p.Name, From: p.Version}
	var fixable []*osv.Entry
	var all []string
	for _, f := range fs {
		groupFixable := false
		for _, e := range f.entries {
			if minimalFix(p, e) != "" {
				fixable = append(fixable, e)
				all = append(all, candidates(p, e)...)
				groupFixable = true
			}
		}
		if groupFixable {
			r.Fixes = append(r.Fixes, f.IDs[0])
		} else {
			r.Unfixed = append(r.Unfixed, f.IDs[0])
		}
	}
	all = sortVersions(p.Ecosystem, all)
	for _, c := range all {
		if !slices.ContainsFunc(fixable, func(e *osv.Entry) bool { return affectedBy(p, e, c) }) {
			r.To = c
			break
		}
	}
	if r.To == "" {
		// No single named version clears them all.
		r.Unfixed = append(r.Unfixed, r.Fixes...)
		r.Fixes = nil
	} else {
		r.Major = version.MajorBump(orderFor(p), p.Version, r.To)
	}
	return r
}

// orderFor returns the version order of p's ecosystem, SemVer when the
// ecosystem has none of its own here.
func orderFor(p lockfile.Package) string {
	if version.Supported(p.Ecosystem) {
		return p.Ecosystem
	}
	return version.NPM
}

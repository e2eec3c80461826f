package audit

import (
	"context"
	"fmt"
	"slices"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/audit/version"
)

// Match looks up every package's advisories in src (one batch) and
// returns a Finding per package occurrence and alias group of
// non-withdrawn advisories affecting its version, in the order of pkgs
// (packages that are not [Pinned] are never matched)
// and then of the groups' first ids. Each Finding carries the
// Remediation of its package version (see [Remediate]). Packages that
// appear several times with one version are evaluated once.
func Match(ctx context.Context, src Source, pkgs []lockfile.Package) ([]Finding, error) {
	pkgs = slices.DeleteFunc(slices.Clone(pkgs), func(p lockfile.Package) bool { return !Pinned(p) })
	seen := map[osv.Key]bool{}
	var keys []osv.Key
	for _, p := range pkgs {
		k := osv.Key{Ecosystem: p.Ecosystem, Name: p.Name}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	found, err := src.LookupBatch(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("matching packages with advisories: %w", err)
	}
	type pkgVersion struct{ eco, name, version string }
	done := map[pkgVersion][]Finding{}
	var out []Finding
	for _, p := range pkgs {
		pv := pkgVersion{p.Ecosystem, p.Name, p.Version}
		tmpl, ok := done[pv]
		if !ok {
			tmpl = matchOne(p, found[osv.Key{Ecosystem: p.Ecosystem, Name: p.Name}])
			done[pv] = tmpl
		}
		for _, f := range tmpl {
			f.Package = p
			out = append(out, f)
		}
	}
	return out, nil
}

// matchOne returns the findings of package p among the advisories naming
// it, with Package left to the caller and Remediation filled.
func matchOne(p lockfile.Package, entries []*osv.Entry) []Finding {
	var hits []*osv.Entry
	blocks := map[*osv.Entry]*osv.Affected{} // an affecting block of each hit, for severity
	for _, e := range entries {
		if e.IsWithdrawn() {
			continue
		}
		for _, a := range affectedBlocks(e, p) {
			if affects(p.Ecosystem, a, p.Version) {
				hits = append(hits, e)
				blocks[e] = a
				break
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	var findings []Finding
	for _, g := range groupByAliases(hits) {
		f := Finding{Package: p, entries: g}
		ids := map[string]bool{}
		for _, e := range g {
			f.IDs = append(f.IDs, e.ID)
			ids[e.ID] = true
		}
		aliases := map[string]bool{}
		for _, e := range g {
			for _, a := range e.Aliases {
				if !ids[a] && !aliases[a] {
					aliases[a] = true
					f.Aliases = append(f.Aliases, a)
				}
			}
			if f.Summary == "" {
				f.Summary = e.Summary
			}
			if s := severityOf(e, blocks[e]); s.worse(f.Severity) {
				f.Severity = s
			}
			if fix := minimalFix(p, e); fix != "" && !slices.Contains(f.Fixed, fix) {
				f.Fixed = append(f.Fixed, fix)
			}
		}
		slices.Sort(f.Aliases)
		sortVersions(p.Ecosystem, f.Fixed)
		findings = append(findings, f)
	}
	rems := Remediate(findings)
	for i := range findings {
		findings[i].Remediation = rems[0]
	}
	return findings
}

// affectedBlocks returns the blocks of e naming package p.
func affectedBlocks(e *osv.Entry, p lockfile.Package) []*osv.Affected {
	var out []*osv.Affected
	name := osv.NormalizeName(p.Ecosystem, p.Name)
	for i := range e.Affected {
		a := &e.Affected[i]
		if a.Package.Ecosystem == p.Ecosystem && osv.NormalizeName(a.Package.Ecosystem, a.Package.Name) == name {
			out = append(out, a)
		}
	}
	return out
}

// affectedBy reports whether version v of p is affected by e.
func affectedBy(p lockfile.Package, e *osv.Entry, v string) bool {
	for _, a := range affectedBlocks(e, p) {
		if affects(p.Ecosystem, a, v) {
			return true
		}
	}
	return false
}

// candidates returns the fixed versions e names for p after p.Version,
// sorted in the ecosystem's order. For the Node.js runtime only those of
// p's release line count: a fix is a release of the line in use, and
// moving to another line is the end-of-life advice's business.
func candidates(p lockfile.Package, e *osv.Entry) []string {
	var out []string
	for _, a := range affectedBlocks(e, p) {
		out = append(out, fixCandidates(p.Ecosystem, a, p.Version)...)
	}
	if p.Ecosystem == nodejs.Ecosystem {
		out = slices.DeleteFunc(out, func(c string) bool { return version.MajorBump(version.NPM, p.Version, c) })
	}
	sortVersions(p.Ecosystem, out)
	return out
}

// minimalFix returns the smallest fixed version e names that is after
// p.Version and not itself affected by e, or "".
func minimalFix(p lockfile.Package, e *osv.Entry) string {
	for _, c := range candidates(p, e) {
		if !affectedBy(p, e, c) {
			return c
		}
	}
	return ""
}

// sortVersions sorts and de-duplicates vs in eco's order (SemVer for
// ecosystems without one of their own).
func sortVersions(eco string, vs []string) []string {
	order := eco
	if !version.Supported(eco) {
		order = version.NPM
	}
	slices.SortStableFunc(vs, func(a, b string) int { return version.Compare(order, a, b) })
	return slices.Compact(vs)
}

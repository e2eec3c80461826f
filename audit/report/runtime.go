package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
)

// An Unpinned is a dependency whose file names no exact version: it is
// not matched against advisories (that would be a guess), only listed
// with the requirement so that someone pins it or audits the lockfile.
type Unpinned struct {
	Ecosystem, Name string
	Requirement     string // as written: ">=3.0,<3.1", "" when the file names none
	Version         string // a version string the ecosystem cannot read, if that is what the file holds
	File            string // relative to Report.Dir
	Line            int
}

// RequirementText is the requirement, or what stands in for it.
func (u Unpinned) RequirementText() string {
	switch {
	case u.Requirement != "":
		return u.Requirement
	case u.Version != "":
		return u.Version + " (not a version " + u.Ecosystem + " can read)"
	}
	return "any version"
}

// Where is "file:line", or the file alone when the line is unknown.
func (u Unpinned) Where() string { return Occurrence{File: u.File, Line: u.Line}.Where() }

// AddUnpinned lists the packages of pkgs that are not pinned (see
// [audit.Pinned]), sorted by file and line.
func (r *Report) AddUnpinned(pkgs []lockfile.Package) {
	for _, p := range audit.Unpinned(pkgs) {
		r.Unpinned = append(r.Unpinned, Unpinned{Ecosystem: p.Ecosystem, Name: p.Name, Requirement: p.Constraint,
			Version: p.Version, File: Rel(r.Dir, p.File), Line: p.Line})
	}
	slices.SortStableFunc(r.Unpinned, func(a, b Unpinned) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Name, b.Name))
	})
}

// A Runtime is one place the project names its Node.js version, with its
// release line's status and, for an exact version, its advisories (the
// Package of name node and that version, if vulnerable).
type Runtime struct {
	Ecosystem, Name string
	Version         string // exact, or ""
	Requirement     string // when Version is "": the range as written (">=18")
	File            string // relative to Report.Dir
	Line            int
	Status          nodejs.LineStatus
}

// AddRuntimes records the runtimes the audit found.
func (r *Report) AddRuntimes(rts []audit.Runtime) {
	for _, rt := range rts {
		p := rt.Package
		r.Runtimes = append(r.Runtimes, Runtime{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version,
			Requirement: p.Constraint, File: Rel(r.Dir, p.File), Line: p.Line, Status: rt.Line})
	}
}

// Where is "file:line", or the file alone when the line is unknown.
func (rt Runtime) Where() string { return Occurrence{File: rt.File, Line: rt.Line}.Where() }

// Spec is the version, or the requirement as written.
func (rt Runtime) Spec() string {
	if rt.Version != "" {
		return rt.Version
	}
	return rt.Requirement
}

// Vulnerable returns the package entry of the runtime's version, or nil.
func (r *Report) vulnerable(rt Runtime) *Package {
	if rt.Version == "" {
		return nil
	}
	for i, p := range r.Packages {
		if p.Ecosystem == rt.Ecosystem && p.Name == rt.Name && p.Version == rt.Version {
			return &r.Packages[i]
		}
	}
	return nil
}

// StatusText says in one line what the runtime's pin means: "node
// 20.11.0: 23 advisories, fix 20.20.2; 20.x end of life 2026-04-30
// (passed): move to 24.x", or ">=18: a range, no version to check".
func (r *Report) StatusText(rt Runtime) string {
	var parts []string
	if rt.Version == "" {
		parts = append(parts, fmt.Sprintf("node %s: a range, not one version: not matched (pin it to check its advisories)", rt.Requirement))
	} else if p := r.vulnerable(rt); p != nil {
		parts = append(parts, fmt.Sprintf("node %s: %s, fix %s", rt.Version, plural(len(p.Vulns), "advisory", "advisories"), p.FixText()))
	} else {
		parts = append(parts, fmt.Sprintf("node %s: no known advisory", rt.Version))
	}
	st := rt.Status
	switch {
	case st.Line == "":
	case st.End == "":
		parts = append(parts, st.Line+" line: end of life unknown (import the release schedule with bulwark db import or update)")
	case st.PastEnd:
		parts = append(parts, fmt.Sprintf("%s line: END OF LIFE since %s, no more security releases", st.Line, st.End))
	default:
		parts = append(parts, fmt.Sprintf("%s line: supported until %s", st.Line, st.End))
	}
	if st.MoveTo != "" {
		parts = append(parts, "move to "+st.MoveTo)
	}
	return strings.Join(parts, "; ")
}

// EndOfLife counts the runtimes whose line is past its end of life.
func (r *Report) EndOfLife() int {
	n := 0
	for _, rt := range r.Runtimes {
		if rt.Status.PastEnd {
			n++
		}
	}
	return n
}

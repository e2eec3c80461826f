package update

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/audit/version"
)

// Ecosystem names, as OSV and audit/lockfile spell them.
const (
	Go  = "Go"
	NPM = "npm"
)

// A Kind says how far a candidate moves from the installed version.
type Kind string

// Kinds of update.
const (
	Patch Kind = "patch"
	Minor Kind = "minor"
	Major Kind = "major"
)

// A Candidate is one newer version of one dependency.
type Candidate struct {
	Ecosystem    string   `json:"ecosystem"`
	Name         string   `json:"name"` // module path or npm package name
	From         string   `json:"from"` // installed version, as the ecosystem spells it (Go with "v")
	To           string   `json:"to"`
	Kind         Kind     `json:"kind"`
	Dev          bool     `json:"dev,omitempty"`          // an npm devDependency
	NewPath      string   `json:"newPath,omitempty"`      // a Go major: the module path the imports must move to
	Notes        []string `json:"notes,omitempty"`        // versions skipped on the way (deprecated, retracted) and other remarks
	Advisories   []string `json:"advisories,omitempty"`   // advisory IDs the update fixes
	ReleaseNotes string   `json:"releaseNotes,omitempty"` // a link, where the registry names a repository
	// Published is when the registry (npm's time, the Go proxy's .info)
	// says the version was published; zero if it does not say.
	Published time.Time `json:"published,omitzero"`
	// Early says the version is younger than the minimum release age and
	// is tried all the same because it fixes advisories.
	Early bool `json:"early,omitempty"`
	// Flags are what the version changes that deserves a look before
	// merging, tests or not.
	Flags []Flag `json:"flags,omitempty"`
}

// ID names the candidate uniquely: "npm:express@5.3.1".
func (c Candidate) ID() string { return c.Ecosystem + ":" + c.Name + "@" + c.To }

// dep names the dependency the candidate updates.
func (c Candidate) dep() string { return c.Ecosystem + ":" + c.Name }

// kindOf classifies a move from one version to another of ecosystem.
func kindOf(ecosystem, from, to string) Kind {
	f, t := strings.TrimPrefix(from, "v"), strings.TrimPrefix(to, "v")
	eco := ecosystem
	if version.MajorBump(eco, f, t) {
		return Major
	}
	fp, tp := strings.SplitN(f, ".", 3), strings.SplitN(t, ".", 3)
	if len(fp) >= 2 && len(tp) >= 2 && fp[0] == tp[0] && fp[1] == tp[1] {
		return Patch
	}
	return Minor
}

// newest returns, among versions newer than from, the newest patch, the
// newest minor (a different minor of the same major) and the newest major.
// Empty strings mean none. Versions must be valid for ecosystem.
func newest(ecosystem, from string, versions []string) (patch, minor, major string) {
	for _, v := range versions {
		if version.Compare(ecosystem, trimV(ecosystem, v), trimV(ecosystem, from)) <= 0 {
			continue
		}
		slot := &patch
		switch kindOf(ecosystem, from, v) {
		case Minor:
			slot = &minor
		case Major:
			slot = &major
		}
		if *slot == "" || version.Compare(ecosystem, trimV(ecosystem, v), trimV(ecosystem, *slot)) > 0 {
			*slot = v
		}
	}
	return patch, minor, major
}

func trimV(ecosystem, v string) string {
	if ecosystem == Go {
		return strings.TrimPrefix(v, "v")
	}
	return v
}

func compareVersions(ecosystem, a, b string) int {
	return version.Compare(ecosystem, trimV(ecosystem, a), trimV(ecosystem, b))
}

// pick returns the versions above from that [newest] picks per kind
// (patch, minor, major, in that order) and, for each one published after
// cutoff, the newest of its kind published by then too: the young one
// waits, the older one can be tried. published returns the zero time when
// it does not know (such a version does not wait); it is called at most
// maxAgeLookups times per kind. A zero cutoff holds nothing back.
func pick(ecosystem, from string, versions []string, cutoff time.Time, published func(string) time.Time) []string {
	byKind := map[Kind][]string{}
	for _, v := range versions {
		if compareVersions(ecosystem, v, from) > 0 {
			k := kindOf(ecosystem, from, v)
			byKind[k] = append(byKind[k], v)
		}
	}
	var out []string
	for _, k := range []Kind{Patch, Minor, Major} {
		vs := byKind[k]
		slices.SortFunc(vs, func(a, b string) int { return -compareVersions(ecosystem, a, b) })
		for i, v := range vs {
			if i >= maxAgeLookups {
				break
			}
			young := !cutoff.IsZero() && published(v).After(cutoff)
			if i == 0 || !young {
				out = append(out, v)
			}
			if !young {
				break
			}
		}
	}
	return out
}

// maxAgeLookups bounds the versions of one kind [pick] looks at for one
// old enough (each can cost a request to the Go proxy).
const maxAgeLookups = 10

// Ladders are the finders' ladders by dependency ([Candidate.dep]).
type ladders map[string]*ladder

// A ladder is what [bisect] needs of one dependency: the versions of the
// installed major above the installed one that may be tried, and how to
// make a candidate of one of them.
type ladder struct {
	// versions are ascending, without pre-releases and versions the
	// registry deprecates or the module retracts.
	versions []string
	// make returns the candidate of one of versions, with its publish
	// time, release notes and red flags. It is safe for concurrent use.
	make func(ctx context.Context, to string) Candidate
}

// sameMajor returns the versions of vs above from and in its major,
// ascending.
func sameMajor(ecosystem, from string, vs []string) []string {
	var out []string
	for _, v := range vs {
		if compareVersions(ecosystem, v, from) > 0 && kindOf(ecosystem, from, v) != Major {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return compareVersions(ecosystem, a, b) })
	return out
}

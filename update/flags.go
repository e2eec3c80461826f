package update

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// A Flag is something a candidate changes that deserves a look before
// merging, even when the tests pass: the signs that came before most
// takeovers of a package (a new install script, a new publisher, a
// dormant package suddenly released, new dependencies nobody has seen).
type Flag struct {
	Kind string `json:"kind"` // one of the Flag… constants
	Text string `json:"text"` // for people: "adds an install script (postinstall: node setup.js)"
}

// Kinds of [Flag].
const (
	FlagInstallScript = "install-script" // adds or changes a preinstall, install or postinstall script
	FlagMaintainers   = "maintainers"    // maintainers added or removed
	FlagPublisher     = "publisher"      // published by another account than the installed version
	FlagSize          = "size"           // unpacked size or file count jumps
	FlagNewDependency = "new-dependency" // depends on a package the installed version did not
	FlagDormant       = "dormant"        // the first release after a long silence
	FlagEarly         = "early"          // younger than the minimum release age, tried for its fix
)

// Thresholds of the flags.
const (
	sizeFactor   = 2                        // size or file count at least doubles…
	sizeMinBytes = 100 << 10                // …and grows by at least this many bytes
	sizeMinFiles = 20                       // …or files
	dormantAfter = 2 * 365 * 24 * time.Hour // no release for this long before the candidate
	youngPackage = 30 * 24 * time.Hour      // a new dependency created this recently is named as young
	maxDepLookup = 10                       // new dependencies whose age is looked up, per candidate
)

var installScriptNames = []string{"preinstall", "install", "postinstall"}

// npmFlags compares version to of a packument with the installed version
// from and returns the flags the registry's metadata alone can raise (the
// age of new dependencies needs their own packuments: see
// [npmFinder.flagNewDeps]).
func npmFlags(p *packument, from, to string) []Flag {
	fv, okFrom := p.Versions[from]
	tv := p.Versions[to]
	var flags []Flag
	for _, s := range installScriptNames {
		before, after := fv.Scripts.V[s], tv.Scripts.V[s]
		switch {
		case after == "" || before == after:
		case !okFrom:
			flags = append(flags, Flag{FlagInstallScript, fmt.Sprintf("has an install script (%s: %s)", s, oneLine(after, 80))})
		case before == "":
			flags = append(flags, Flag{FlagInstallScript, fmt.Sprintf("adds an install script (%s: %s)", s, oneLine(after, 80))})
		default:
			flags = append(flags, Flag{FlagInstallScript, fmt.Sprintf("changes its install script (%s: %s)", s, oneLine(after, 80))})
		}
	}
	if !okFrom {
		return flags // the installed version is not in the packument: nothing to compare with
	}
	was, is := fv.maintainers(), tv.maintainers()
	if added, removed := diff(was, is), diff(is, was); len(added) > 0 || len(removed) > 0 {
		var parts []string
		if len(added) > 0 {
			parts = append(parts, "adds maintainer "+strings.Join(added, ", "))
		}
		if len(removed) > 0 {
			parts = append(parts, "drops maintainer "+strings.Join(removed, ", "))
		}
		flags = append(flags, Flag{FlagMaintainers, strings.Join(parts, "; ")})
	}
	if a, b := fv.NpmUser.name(), tv.NpmUser.name(); a != "" && b != "" && a != b {
		flags = append(flags, Flag{FlagPublisher, fmt.Sprintf("published by %s (%s was by %s)", b, from, a)})
	}
	if a, b := fv.Dist.V.UnpackedSize, tv.Dist.V.UnpackedSize; a > 0 && b >= sizeFactor*a && b-a >= sizeMinBytes {
		flags = append(flags, Flag{FlagSize, fmt.Sprintf("unpacked size %s → %s", bytesText(a), bytesText(b))})
	} else if a, b := fv.Dist.V.FileCount, tv.Dist.V.FileCount; a > 0 && b >= sizeFactor*a && b-a >= sizeMinFiles {
		flags = append(flags, Flag{FlagSize, fmt.Sprintf("%d files → %d", a, b)})
	}
	if prev, gap := lastReleaseBefore(p, to); gap >= dormantAfter {
		flags = append(flags, Flag{FlagDormant, fmt.Sprintf("first release in %s (the one before, %s, was on %s)",
			yearsText(gap), prev, p.published(prev).UTC().Format("2006-01-02"))})
	}
	return flags
}

// newDeps returns the dependencies version to has and from had not.
func newDeps(p *packument, from, to string) []string {
	fv, ok := p.Versions[from]
	if !ok {
		return nil
	}
	var out []string
	for _, d := range slices.Sorted(maps.Keys(p.Versions[to].Dependencies.V)) {
		if _, had := fv.Dependencies.V[d]; !had {
			out = append(out, d)
		}
	}
	return out
}

// lastReleaseBefore returns the newest version published before to, and
// how long before.
func lastReleaseBefore(p *packument, to string) (string, time.Duration) {
	at := p.published(to)
	if at.IsZero() {
		return "", 0
	}
	prev, prevAt := "", time.Time{}
	for v := range p.Versions {
		t := p.published(v)
		if v != to && !t.IsZero() && t.Before(at) && t.After(prevAt) {
			prev, prevAt = v, t
		}
	}
	if prev == "" {
		return "", 0
	}
	return prev, at.Sub(prevAt)
}

// A person is a maintainer or publisher as a packument gives one: an
// object {"name", "email"} or a string "name <email>".
type person struct{ Name string }

func (p *person) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		name, _, _ := strings.Cut(s, "<")
		p.Name = strings.TrimSpace(name)
		return nil
	}
	var obj struct{ Name string }
	json.Unmarshal(data, &obj) // anything else: no name
	p.Name = obj.Name
	return nil
}

func (p person) name() string { return p.Name }

func (v pkgVersion) maintainers() []string {
	var out []string
	for _, m := range v.Maintainers.V {
		if m.Name != "" {
			out = append(out, m.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// diff returns the members of b not in a.
func diff(a, b []string) []string {
	var out []string
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, x)
		}
	}
	return out
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func yearsText(d time.Duration) string {
	y := d.Hours() / 24 / 365
	if y < 1.5 {
		return fmt.Sprintf("%d months", int(d.Hours()/24/30))
	}
	return fmt.Sprintf("%.0f years", y)
}

// ageText says how old something created at t is at now: "3 days", "5 hours".
func ageText(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	return yearsText(d)
}

// flagTexts joins the texts of flags for a table cell, or "-".
func flagTexts(flags []Flag) string {
	if len(flags) == 0 {
		return "-"
	}
	var out []string
	for _, f := range flags {
		out = append(out, f.Text)
	}
	return strings.Join(out, "; ")
}

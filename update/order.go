package update

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// Advisories tells which advisories an update fixes: those that affect
// version from of the package and no longer affect version to. Versions
// are as OSV spells them (Go without the leading "v"). The audit package's
// advisory database is adapted to it by the caller.
type Advisories interface {
	Fixes(ctx context.Context, ecosystem, name, from, to string) ([]string, error)
	// Malicious returns the malicious-package advisories (OSV's MAL-
	// entries) that name any of pkgs at its version.
	Malicious(ctx context.Context, pkgs []lockfile.Package) ([]Malware, error)
}

// A Malware is a package version a malicious-package advisory names.
type Malware struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Version   string `json:"version"`
	ID        string `json:"id"` // the MAL- id
	Summary   string `json:"summary,omitempty"`
	// Via is the candidate whose trial would have installed it, when it is
	// not the candidate itself.
	Via string `json:"via,omitempty"`
}

func (m Malware) String() string {
	s := fmt.Sprintf("%s@%s (%s) is malicious (%s)", m.Name, m.Version, m.Ecosystem, m.ID)
	if m.Via != "" {
		s += ", pulled in by " + m.Via
	}
	return s
}

// markSecurity fills in the advisories each candidate fixes and moves the
// candidates that fix any to the front, keeping the order otherwise. A
// lookup error is returned as a note; the candidates stay as they were.
func markSecurity(ctx context.Context, adv Advisories, cs []Candidate) []string {
	if adv == nil {
		return nil
	}
	var notes []string
	for i, c := range cs {
		from, to := c.From, c.To
		if c.Ecosystem == Go {
			from, to = strings.TrimPrefix(from, "v"), strings.TrimPrefix(to, "v")
		}
		ids, err := adv.Fixes(ctx, c.Ecosystem, c.Name, from, to)
		if err != nil {
			notes = append(notes, fmt.Sprintf("advisories of %s: %v (not ordered by security)", c.Name, err))
			continue
		}
		cs[i].Advisories = ids
	}
	slices.SortStableFunc(cs, func(a, b Candidate) int {
		switch {
		case len(a.Advisories) > 0 && len(b.Advisories) == 0:
			return -1
		case len(a.Advisories) == 0 && len(b.Advisories) > 0:
			return 1
		}
		return 0
	})
	return notes
}

package update

import (
	"context"
	"slices"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// FromSource adapts an advisory source (the local database, an
// [*osv.DB]) to [Advisories].
func FromSource(src audit.Source) Advisories { return sourceAdvisories{src} }

type sourceAdvisories struct{ src audit.Source }

// Fixes returns the advisory groups that affect from and not to, each by
// its first id.
func (a sourceAdvisories) Fixes(ctx context.Context, ecosystem, name, from, to string) ([]string, error) {
	pkgs := []lockfile.Package{
		{Ecosystem: ecosystem, Name: name, Version: from},
		{Ecosystem: ecosystem, Name: name, Version: to},
	}
	found, err := audit.Match(ctx, a.src, pkgs)
	if err != nil {
		return nil, err
	}
	after := map[string]bool{}
	for _, f := range found {
		if f.Package.Version == to {
			for _, id := range f.IDs {
				after[id] = true
			}
		}
	}
	var fixed []string
	for _, f := range found {
		if f.Package.Version == from && len(f.IDs) > 0 && !after[f.IDs[0]] {
			fixed = append(fixed, f.IDs[0])
		}
	}
	return fixed, nil
}

// Malicious returns the findings of pkgs that are malicious-package
// advisories, one per package version and advisory.
func (a sourceAdvisories) Malicious(ctx context.Context, pkgs []lockfile.Package) ([]Malware, error) {
	found, err := audit.Match(ctx, a.src, pkgs)
	if err != nil {
		return nil, err
	}
	var out []Malware
	seen := map[string]bool{}
	for _, f := range found {
		if !f.Malicious() {
			continue
		}
		id := f.IDs[0]
		for _, x := range append(slices.Clone(f.IDs), f.Aliases...) {
			if audit.IsMalicious(x) {
				id = x
				break
			}
		}
		m := Malware{Ecosystem: f.Package.Ecosystem, Name: f.Package.Name, Version: f.Package.Version, ID: id, Summary: f.Summary}
		if k := m.String(); !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out, nil
}

package cli

import (
	"context"
	"os"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/update"
)

// advisories tells bulwark update which advisories a version change fixes,
// from the local advisory database, so that security fixes are tried first.
type advisories struct{ src audit.Source }

var _ update.Advisories = advisories{}

// Fixes returns the advisory groups that affect from and not to, each by
// its first id.
func (a advisories) Fixes(ctx context.Context, ecosystem, name, from, to string) ([]string, error) {
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

// openUpdateAdvisories opens the advisory database at path when it exists;
// without one, updates are tried in their usual order. The closer is never
// nil.
func openUpdateAdvisories(ctx context.Context, path string) (update.Advisories, func(), error) {
	if _, err := os.Stat(path); err != nil {
		return nil, func() {}, nil
	}
	db, store, err := openAdvisoryDB(ctx, path, false)
	if err != nil {
		return nil, func() {}, err
	}
	return advisories{db}, func() { store.Close() }, nil
}

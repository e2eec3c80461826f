// Package audit matches dependencies read from lockfiles against OSV
// advisories: it evaluates each advisory's affected ranges in the
// package ecosystem's own version order, groups advisories that are
// aliases of one another into one finding, scores severity from CVSS
// vectors, and proposes for each vulnerable package the smallest
// version that fixes every advisory on it.
package audit

import (
	"context"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
)

// A Source finds the advisories naming packages. [*osv.DB] (the local
// database) is one; an online OSV API client can be another.
type Source interface {
	LookupBatch(ctx context.Context, keys []osv.Key) (map[osv.Key][]*osv.Entry, error)
}

var _ Source = (*osv.DB)(nil)

// A Finding is one vulnerability of one package occurrence: a group of
// advisories that are aliases of one another (one CVE reported as a
// GHSA, a GO- and a CVE id…) all affecting the package's version.
type Finding struct {
	Package  lockfile.Package // as the lockfile lists it, with File, Line and Path
	IDs      []string         // ids of the advisories in the group, sorted
	Aliases  []string         // their other names not among IDs, sorted
	Summary  string           // the first non-empty summary, in IDs order
	Severity Severity         // the highest of the group
	// Fixed holds, per advisory, the smallest version that fixes it
	// (sorted, de-duplicated); empty when no advisory names a fix.
	Fixed []string
	// Remediation is shared by all findings of the same package version.
	Remediation *Remediation

	entries []*osv.Entry // the advisories, for Remediate
}

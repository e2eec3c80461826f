package audit

import (
	"slices"

	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/audit/version"
)

// orderOf returns the ecosystem whose order a range of type typ uses for
// packages of ecosystem eco, or "" when the range cannot be evaluated:
// SEMVER ranges use SemVer (Go's own order for Go), ECOSYSTEM ranges the
// ecosystem's order, GIT ranges (commits) are ignored.
func orderOf(typ, eco string) string {
	switch typ {
	case osv.RangeSemver:
		if eco == version.Go {
			return version.Go
		}
		return version.NPM
	case osv.RangeEcosystem:
		if version.Supported(eco) {
			return eco
		}
	}
	return ""
}

// affects reports whether version v of a package of ecosystem eco is in
// a: listed in its versions, or inside one of its ranges.
func affects(eco string, a *osv.Affected, v string) bool {
	if slices.Contains(a.Versions, v) {
		return true
	}
	for i := range a.Ranges {
		if inRange(eco, &a.Ranges[i], v) {
			return true
		}
	}
	return false
}

// inRange evaluates one range as the OSV schema prescribes: events are
// sorted by version ("0" first; events at equal versions keep the order
// the advisory gives them, as osv-scanner does, so "last_affected 6.0.0,
// introduced 6.0.0" joins two ranges),
// then walked in order: v at or after an introduced version enters the
// range, v at or after a fixed version or after a last_affected version
// leaves it. A range with limit events covers only versions below one of
// its limits. A version that does not parse in the range's order is not
// in the range.
func inRange(eco string, r *osv.Range, v string) bool {
	order := orderOf(r.Type, eco)
	if order == "" {
		return false
	}
	pv, err := version.Parse(order, v)
	if err != nil {
		return false
	}
	type ev struct {
		kind int // 0 introduced, 1 fixed, 2 last_affected, 3 limit
		zero bool
		v    version.Version
	}
	evs := make([]ev, 0, len(r.Events))
	for _, e := range r.Events {
		var x ev
		var s string
		switch {
		case e.Introduced != "":
			x.kind, s = 0, e.Introduced
			x.zero = s == "0"
		case e.Fixed != "":
			x.kind, s = 1, e.Fixed
		case e.LastAffected != "":
			x.kind, s = 2, e.LastAffected
		case e.Limit != "":
			x.kind, s = 3, e.Limit
		default:
			continue
		}
		if !x.zero {
			if x.v, err = version.Parse(order, s); err != nil {
				if x.kind == 3 && s == "*" {
					continue // no limit
				}
				// An event we cannot place makes the range unusable;
				// better no verdict than a wrong one.
				return false
			}
		}
		evs = append(evs, x)
	}
	limited, below := false, false
	for _, e := range evs {
		if e.kind == 3 {
			limited = true
			below = below || pv.Compare(e.v) < 0
		}
	}
	if limited && !below {
		return false
	}
	slices.SortStableFunc(evs, func(a, b ev) int {
		switch {
		case a.zero && b.zero:
			return 0
		case a.zero:
			return -1
		case b.zero:
			return 1
		}
		return a.v.Compare(b.v)
	})
	affected := false
	for _, e := range evs {
		switch e.kind {
		case 0:
			if e.zero || pv.Compare(e.v) >= 0 {
				affected = true
			}
		case 1:
			if pv.Compare(e.v) >= 0 {
				affected = false
			}
		case 2:
			if pv.Compare(e.v) > 0 {
				affected = false
			}
		}
	}
	return affected
}

// fixCandidates returns the fixed versions of a's ranges that sort after
// v in the ecosystem's order.
func fixCandidates(eco string, a *osv.Affected, v string) []string {
	var out []string
	for _, r := range a.Ranges {
		order := orderOf(r.Type, eco)
		if order == "" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && version.Compare(order, e.Fixed, v) > 0 {
				out = append(out, e.Fixed)
			}
		}
	}
	return out
}

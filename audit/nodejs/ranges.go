package nodejs

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Version is a Node.js release version: major, minor, patch. Node.js
// releases carry no pre-release or build parts.
type Version [3]int

// ParseVersion parses "20.11.0" or "v20.11.0".
func ParseVersion(s string) (Version, bool) {
	var v Version
	parts := strings.Split(strings.TrimPrefix(strings.TrimSpace(s), "v"), ".")
	if len(parts) != 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 1<<20 || (len(p) > 1 && p[0] == '0') {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// String is "20.11.0".
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// Compare orders versions.
func (v Version) Compare(w Version) int {
	return cmp.Or(cmp.Compare(v[0], w[0]), cmp.Compare(v[1], w[1]), cmp.Compare(v[2], w[2]))
}

// infinity is an upper bound above every version.
var infinity = Version{1 << 30, 0, 0}

// An interval is the versions v with lo <= v < hi.
type interval struct{ lo, hi Version }

// A set is a sorted union of disjoint, non-adjacent intervals.
type set []interval

// maxRangeLen bounds a range expression: the advisories' are a few dozen
// bytes.
const maxRangeLen = 1024

var (
	opSpaceRE = regexp.MustCompile(`(<=|>=|<|>|=|~>|~|\^)\s+`)
	partialRE = regexp.MustCompile(`^(<=|>=|<|>|=|~>|~|\^)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$`)
)

// parseRange reads an npm semver range as the Security WG writes them
// ("18.x || 20.x", "^20.11.1 || ^21.6.2", ">= 10.9.0", "<= 10",
// ">=6.0.0 <6.2.0", "1.2.3 - 1.4.0") into the set of versions it allows.
func parseRange(s string) (set, error) {
	if len(s) > maxRangeLen {
		return nil, fmt.Errorf("range of %d bytes, more than the %d allowed", len(s), maxRangeLen)
	}
	var out set
	for _, alt := range strings.Split(s, "||") {
		alt = strings.TrimSpace(opSpaceRE.ReplaceAllString(alt, "$1"))
		iv := interval{Version{}, infinity}
		if f := strings.Fields(alt); len(f) == 3 && f[1] == "-" {
			lo, err := bound(f[0])
			if err != nil {
				return nil, fmt.Errorf("range %q: %w", s, err)
			}
			hi, err := bound("<=" + f[2])
			if err != nil {
				return nil, fmt.Errorf("range %q: %w", s, err)
			}
			iv = interval{lo.lo, hi.hi}
		} else {
			for _, c := range f {
				b, err := bound(c)
				if err != nil {
					return nil, fmt.Errorf("range %q: %w", s, err)
				}
				if b.lo.Compare(iv.lo) > 0 {
					iv.lo = b.lo
				}
				if b.hi.Compare(iv.hi) < 0 {
					iv.hi = b.hi
				}
			}
		}
		if iv.lo.Compare(iv.hi) < 0 {
			out = append(out, iv)
		}
	}
	return out.normalize(), nil
}

// bound turns one comparator ("^20.11.1", "8.x", ">=10.9.0") into the
// interval it allows.
func bound(c string) (interval, error) {
	m := partialRE.FindStringSubmatch(c)
	if m == nil {
		return interval{}, fmt.Errorf("%q is not a version comparator", c)
	}
	op := m[1]
	var v Version
	n := 0 // parts given as numbers, before the first wildcard or end
	for i, p := range m[2:5] {
		if p == "" || p == "x" || p == "X" || p == "*" {
			break
		}
		x, err := strconv.Atoi(p)
		if err != nil || x > 1<<20 {
			return interval{}, fmt.Errorf("%q: version part out of range", c)
		}
		v[i] = x
		n = i + 1
	}
	// next is the first version after every version matching the partial.
	next := func() Version {
		switch n {
		case 0:
			return infinity
		case 1:
			return Version{v[0] + 1, 0, 0}
		case 2:
			return Version{v[0], v[1] + 1, 0}
		}
		return Version{v[0], v[1], v[2] + 1}
	}
	switch op {
	case "", "=":
		return interval{v, next()}, nil
	case ">=":
		return interval{v, infinity}, nil
	case ">":
		return interval{next(), infinity}, nil
	case "<":
		return interval{Version{}, v}, nil
	case "<=":
		return interval{Version{}, next()}, nil
	case "~", "~>":
		if n <= 1 {
			return interval{v, next()}, nil
		}
		return interval{v, Version{v[0], v[1] + 1, 0}}, nil
	}
	// ^: the left-most non-zero part given stays.
	switch {
	case n == 0:
		return interval{Version{}, infinity}, nil
	case v[0] > 0 || n == 1:
		return interval{v, Version{v[0] + 1, 0, 0}}, nil
	case v[1] > 0 || n == 2:
		return interval{v, Version{0, v[1] + 1, 0}}, nil
	}
	return interval{v, next()}, nil
}

// normalize sorts s and merges overlapping or adjacent intervals.
func (s set) normalize() set {
	slices.SortFunc(s, func(a, b interval) int { return a.lo.Compare(b.lo) })
	var out set
	for _, iv := range s {
		if k := len(out) - 1; k >= 0 && iv.lo.Compare(out[k].hi) <= 0 {
			if iv.hi.Compare(out[k].hi) > 0 {
				out[k].hi = iv.hi
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// minus returns the versions of s not in t.
func (s set) minus(t set) set {
	var out set
	for _, iv := range s {
		rest := set{iv}
		for _, cut := range t {
			var next set
			for _, r := range rest {
				if cut.hi.Compare(r.lo) <= 0 || cut.lo.Compare(r.hi) >= 0 {
					next = append(next, r)
					continue
				}
				if r.lo.Compare(cut.lo) < 0 {
					next = append(next, interval{r.lo, cut.lo})
				}
				if cut.hi.Compare(r.hi) < 0 {
					next = append(next, interval{cut.hi, r.hi})
				}
			}
			rest = next
		}
		out = append(out, rest...)
	}
	return out.normalize()
}

// contains reports whether v is in s.
func (s set) contains(v Version) bool {
	for _, iv := range s {
		if v.Compare(iv.lo) >= 0 && v.Compare(iv.hi) < 0 {
			return true
		}
	}
	return false
}

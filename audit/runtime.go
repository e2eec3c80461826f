package audit

import (
	"regexp"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
)

// A Runtime is one place the project names the Node.js version it runs
// on (a package of ecosystem "Node.js" among those scanned), with the
// release line it belongs to and where that line stands. Its advisories
// are ordinary findings of package node.
type Runtime struct {
	Package lockfile.Package // Version when pinned exactly, else Constraint
	// Line is the release line's status; Line.Line is "" when the
	// requirement does not name one line (">=18", "lts/*").
	Line nodejs.LineStatus
}

// Runtimes returns the Node.js versions among pkgs with the status of
// their release line on day, from sched (nil: lines are named but their
// end of life is unknown). A requirement is given a line only when it
// names exactly one ("20", "v20.11", "^20.11.0", "20.x"): a range such
// as ">=18" is reported as written, never guessed.
func Runtimes(pkgs []lockfile.Package, sched nodejs.Schedule, day time.Time) []Runtime {
	var out []Runtime
	for _, p := range pkgs {
		if p.Ecosystem != nodejs.Ecosystem || p.Name != nodejs.Name {
			continue
		}
		r := Runtime{Package: p}
		if key := lineKey(p); key != "" {
			if sched != nil {
				r.Line = sched.Status(key, day)
			} else {
				r.Line = nodejs.LineStatus{Line: key[1:] + ".x"}
			}
		}
		out = append(out, r)
	}
	return out
}

// oneLineRE matches a requirement naming one release line: an optional
// ^ or ~, then major, optionally .minor and .patch (or x).
var oneLineRE = regexp.MustCompile(`^[\^~]?v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$`)

// lineKey returns the schedule key ("v20", "v0.12") of the line p names,
// or "".
func lineKey(p lockfile.Package) string {
	if v, ok := nodejs.ParseVersion(p.Version); ok {
		return nodejs.LineOf(v)
	}
	m := oneLineRE.FindStringSubmatch(p.Constraint)
	if m == nil {
		return ""
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return ""
	}
	if major > 0 {
		return "v" + m[1]
	}
	minor, err := strconv.Atoi(m[2])
	if err != nil || p.Constraint[0] == '^' && minor == 0 {
		return "" // "0", "0.x": several lines
	}
	return "v0." + strconv.Itoa(minor)
}

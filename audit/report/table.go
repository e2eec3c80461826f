package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/bulwark-sec/bulwark/audit"
)

// Table writes the report for a terminal: one block per vulnerable
// package version (its worst severity, the fix, where lockfiles list it
// and through which dependency), its advisories in aligned columns, then
// a summary.
func Table(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	for i, p := range r.Packages {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		if p.Malicious {
			fmt.Fprintf(tw, "%s@%s (%s)  MALICIOUS  %s\n", p.Name, p.Version, p.Ecosystem, audit.MaliciousAdvice)
		} else {
			fmt.Fprintf(tw, "%s@%s (%s)  %s  fix: %s\n", p.Name, p.Version, p.Ecosystem, SeverityText(p.Severity), p.FixText())
		}
		for _, v := range p.Vulns {
			fixed := "no fix"
			if len(v.Fixed) > 0 {
				fixed = "fixed in " + strings.Join(v.Fixed, ", ")
			}
			if v.Malicious {
				fmt.Fprintf(tw, "  %s\tmalicious\t-\t%s\n", v.ID, oneLine(v.Summary, 72))
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", v.ID, SeverityText(v.Severity), fixed, oneLine(v.Summary, 72))
		}
		for _, o := range p.Occurrences {
			fmt.Fprintf(tw, "  at %s", o.Where())
			if via := o.Via(); via != "" {
				fmt.Fprintf(tw, " %s", via)
			}
			if o.Dev {
				fmt.Fprint(tw, " (dev)")
			}
			fmt.Fprintln(tw)
		}
	}
	if len(r.Packages) > 0 {
		fmt.Fprintln(tw)
	}
	tw.Flush()
	writeRuntimes(bw, r, "")
	writeNotes(bw, r)
	fmt.Fprintln(bw, Summary(r))
	return bw.Flush()
}

// writeRuntimes writes the Node.js runtimes and the unpinned
// dependencies, each line after prefix.
func writeRuntimes(w io.Writer, r *Report, prefix string) {
	for _, rt := range r.Runtimes {
		fmt.Fprintf(w, "%sruntime at %s: %s\n", prefix, rt.Where(), r.StatusText(rt))
	}
	for _, u := range r.Unpinned {
		fmt.Fprintf(w, "%sunpinned %s (%s) %s at %s: no exact version, not checked\n", prefix, u.Name, u.Ecosystem, u.RequirementText(), u.Where())
	}
	if len(r.Runtimes) > 0 || len(r.Unpinned) > 0 {
		fmt.Fprintln(w)
	}
}

// writeNotes writes ignored findings and expired ignores.
func writeNotes(w io.Writer, r *Report) {
	for _, ig := range r.Ignored {
		fmt.Fprintf(w, "ignored %s on %s until %s: %s\n", ig.ID, ig.Package, ig.Until, ig.Reason)
	}
	for _, ex := range r.Expired {
		fmt.Fprintf(w, "ignore for %s expired on %s: it no longer silences anything (%s)\n", ex.ID, ex.Until, ex.Reason)
	}
}

// Summary is the report's last line: "3 vulnerabilities (1 critical,
// 2 high) in 2 packages, of 412 scanned in 1 lockfile; 3 at or above low".
func Summary(r *Report) string {
	var b strings.Builder
	if m := r.Malware(); m > 0 {
		fmt.Fprintf(&b, "%s (%s); ", plural(m, "malicious package", "malicious packages"), audit.MaliciousAdvice)
	}
	n := r.Vulns()
	if n == 0 {
		fmt.Fprintf(&b, "no known vulnerabilities in %d packages", r.Scanned)
	} else {
		fmt.Fprintf(&b, "%s (%s) in %s, of %d scanned", plural(n, "vulnerability", "vulnerabilities"), byLevel(r),
			plural(len(r.Packages), "package", "packages"), r.Scanned)
	}
	fmt.Fprintf(&b, " in %s", plural(len(r.Files), "lockfile", "lockfiles"))
	if len(r.Ignored) > 0 {
		fmt.Fprintf(&b, "; %d ignored", len(r.Ignored))
	}
	if len(r.Unpinned) > 0 {
		fmt.Fprintf(&b, "; %s not checked", plural(len(r.Unpinned), "unpinned dependency", "unpinned dependencies"))
	}
	if n := r.EndOfLife(); n > 0 {
		fmt.Fprintf(&b, "; Node.js past its end of life in %s", plural(n, "place", "places"))
	}
	if n > 0 {
		fmt.Fprintf(&b, "; %d at or above %s", r.Failing(), r.Threshold)
	}
	return b.String()
}

// byLevel counts vulnerabilities per level, worst first: "1 critical, 2 high".
func byLevel(r *Report) string {
	counts := map[string]int{}
	order := []string{"critical", "high", "medium", "low", "none", "unknown"}
	for _, p := range r.Packages {
		for _, v := range p.Vulns {
			counts[v.Severity.Level.String()]++
		}
	}
	var parts []string
	for _, l := range order {
		if counts[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[l], l))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// oneLine trims s to one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

func formatScore(s float64) string { return strconv.FormatFloat(s, 'f', 1, 64) }

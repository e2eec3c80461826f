package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as GitHub-flavoured Markdown, for a pull
// request comment or a job summary: a table with one row per package
// version and advisory, then the fixes and notes.
func Markdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## Dependency audit\n\n%s.\n", Summary(r))
	if len(r.Packages) > 0 {
		fmt.Fprint(bw, "\n| Package | Severity | Advisory | Summary | Fixed in | Where |\n|---|---|---|---|---|---|\n")
		for _, p := range r.Packages {
			var where []string
			for _, o := range p.Occurrences {
				s := "`" + o.Where() + "`"
				if via := o.Via(); via != "" {
					s += " " + via
				}
				where = append(where, s)
			}
			for i, v := range p.Vulns {
				pkg, loc := "", ""
				if i == 0 {
					pkg = fmt.Sprintf("**%s@%s** (%s)", p.Name, p.Version, p.Ecosystem)
					loc = strings.Join(where, "<br>")
				}
				sev := SeverityText(v.Severity)
				if v.Malicious {
					sev = "**malicious**: remove it, rotate every secret the machine held"
				}
				fmt.Fprintf(bw, "| %s | %s | [%s](%s) | %s | %s | %s |\n", pkg, sev, v.ID,
					AdvisoryURL(v.ID), cell(oneLine(v.Summary, 120)), cell(orNone(v.Fixed)), cell(loc))
			}
		}
		fmt.Fprint(bw, "\n### Upgrades\n\n")
		for _, p := range r.Packages {
			fmt.Fprintf(bw, "- `%s@%s` → %s\n", p.Name, p.Version, p.FixText())
		}
	}
	if len(r.Runtimes) > 0 {
		fmt.Fprint(bw, "\n### Node.js runtime\n\n| Where | Version | Advisories | Fix | Release line | End of life |\n|---|---|---|---|---|---|\n")
		for _, rt := range r.Runtimes {
			advs, fix := "not checked: a range", "-"
			if rt.Version != "" {
				advs, fix = "none known", "-"
				if p := r.vulnerable(rt); p != nil {
					var ids []string
					for _, v := range p.Vulns[:min(len(p.Vulns), 3)] {
						ids = append(ids, fmt.Sprintf("[%s](%s)", v.ID, AdvisoryURL(v.ID)))
					}
					advs, fix = fmt.Sprintf("%d (worst: %s; all in the table above)", len(p.Vulns), strings.Join(ids, " ")), p.FixText()
				}
			}
			eol := "-"
			switch st := rt.Status; {
			case st.End == "":
			case st.PastEnd:
				eol = "**passed on " + st.End + "**"
			default:
				eol = st.End
			}
			if rt.Status.MoveTo != "" {
				eol += ": move to " + rt.Status.MoveTo
			}
			fmt.Fprintf(bw, "| `%s` | %s | %s | %s | %s | %s |\n", rt.Where(), cell(rt.Spec()), advs, cell(fix), cell(orDash(rt.Status.Line)), eol)
		}
	}
	if len(r.Unpinned) > 0 {
		fmt.Fprint(bw, "\n### Unpinned (not checked: no exact version)\n\n| Package | Requirement | Where |\n|---|---|---|\n")
		for _, u := range r.Unpinned {
			fmt.Fprintf(bw, "| %s (%s) | %s | `%s` |\n", cell(u.Name), u.Ecosystem, cell(u.RequirementText()), u.Where())
		}
	}
	if len(r.Ignored) > 0 || len(r.Expired) > 0 || len(r.Errors) > 0 {
		fmt.Fprint(bw, "\n### Notes\n\n")
		for _, ig := range r.Ignored {
			fmt.Fprintf(bw, "- ignored %s on `%s` until %s: %s\n", ig.ID, ig.Package, ig.Until, cell(ig.Reason))
		}
		for _, ex := range r.Expired {
			fmt.Fprintf(bw, "- **ignore for %s expired on %s**: it no longer silences anything (%s)\n", ex.ID, ex.Until, cell(ex.Reason))
		}
		for _, e := range r.Errors {
			fmt.Fprintf(bw, "- not scanned: %s\n", cell(e))
		}
	}
	return bw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cell escapes text for a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

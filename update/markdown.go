package update

import (
	"fmt"
	"strings"
)

// Markdown returns a PR description: what changed, with links to release
// notes, the advisories fixed, what was left out and why, and the test
// runs.
func (r *Report) Markdown() string {
	var b strings.Builder
	keep := r.Passing()
	fmt.Fprintf(&b, "# Dependency updates (%s)\n\n", r.Date.Format("2006-01-02"))
	if len(r.Malicious) > 0 {
		b.WriteString("> [!CAUTION]\n> Malicious packages were found among the updates and never installed:\n")
		for _, m := range r.Malicious {
			fmt.Fprintf(&b, "> - %s\n", m)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d update(s), each tried against the project's own tests in an isolated copy", len(keep))
	if r.Applied != nil {
		b.WriteString(", then all together")
	}
	b.WriteString(".\n\n## Updated\n\n| dependency | from | to | kind | advisories fixed | release notes | red flags: look before merging |\n|---|---|---|---|---|---|---|\n")
	for _, c := range keep {
		notes := "-"
		if c.ReleaseNotes != "" {
			notes = "[notes](" + c.ReleaseNotes + ")"
		}
		adv := "-"
		if len(c.Advisories) > 0 {
			adv = strings.Join(c.Advisories, ", ")
		}
		fmt.Fprintf(&b, "| `%s` (%s) | %s | %s | %s | %s | %s | %s |\n", c.Name, c.Ecosystem, c.From, c.To, c.Kind, adv, notes,
			strings.ReplaceAll(flagTexts(c.Flags), "|", `\|`))
	}
	var failed, skipped []Result
	for _, x := range r.Results {
		switch x.Status {
		case Failed:
			failed = append(failed, x)
		case Skipped:
			if x.How != "a newer version passed" {
				skipped = append(skipped, x)
			}
		case Waiting, Blocked:
			skipped = append(skipped, x)
		}
	}
	if len(failed) > 0 {
		b.WriteString("\n## Left out: they break the tests\n\n")
		for _, x := range failed {
			fmt.Fprintf(&b, "<details><summary><code>%s</code> %s → %s (%s): %s</summary>\n\n```\n%s\n```\n", x.Name, x.From, x.To, x.Kind, x.How, x.Tail)
			if h := scriptHint(x.ScriptsSkipped); h != "" {
				fmt.Fprintf(&b, "\nNote: %s.\n", h)
			}
			b.WriteString("</details>\n\n")
		}
	}
	if len(skipped) > 0 {
		b.WriteString("\n## Not tried\n\n")
		for _, x := range skipped {
			fmt.Fprintf(&b, "- `%s` %s → %s: %s", x.Name, x.From, x.To, x.How)
			if len(x.Flags) > 0 {
				fmt.Fprintf(&b, "; red flags: %s", flagTexts(x.Flags))
			}
			if len(x.Notes) > 0 {
				fmt.Fprintf(&b, " (%s)", strings.Join(x.Notes, "; "))
			}
			b.WriteString("\n")
		}
	}
	if len(r.Bisections) > 0 {
		b.WriteString("\n## Highest passing versions\n\n")
		for _, x := range r.Bisections {
			fmt.Fprintf(&b, "- %s\n", strings.ReplaceAll(x.Summary(), "\n", "\n  "))
		}
	}
	b.WriteString("\n## Tests\n\n")
	mode := "one by one"
	if r.Group {
		mode = "grouped, failing groups bisected to the culprits"
	}
	fmt.Fprintf(&b, "- %d test run(s), %s.\n", r.Runs, mode)
	if r.Applied != nil {
		fmt.Fprintf(&b, "- The updates together pass the tests (commit %s on `%s`).\n", short(r.Applied.Commit), r.Applied.Branch)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

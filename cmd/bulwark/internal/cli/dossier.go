package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bulwark-sec/bulwark/blackbook"
)

// printDossier writes what bans show knows of a target for a person: the
// ban in force, the offences by class with samples, then the history.
//
//	203.0.113.9  banned until 2026-12-07 19:00:00 (1h left) by cli: credential stuffing
//
//	offences   sqli 3, xss 1 (first 2026-12-07 17:58:00, last 17:59:10)
//	users      alice
//	samples    17:59:10  sqli  bw-sqli-001  GET /search: …
//
//	history    TARGET ...
func printDossier(w io.Writer, d blackbook.Dossier, now time.Time, p palette) error {
	head := p.bold(d.Target.String()) + "  "
	switch b := d.Current; {
	case b == nil:
		head += p.green("not banned")
	case b.Permanent():
		head += p.red("banned for good") + " by " + b.Source
	default:
		head += p.red("banned until "+b.Expires.Local().Format(time.DateTime)) +
			fmt.Sprintf(" (%s left) by %s", roundLeft(b.Expires.Sub(now)), b.Source)
	}
	if b := d.Current; b != nil && b.Reason != "" {
		head += ": " + b.Reason
	}
	fmt.Fprintln(w, head)

	if o := d.Offender; o != nil {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		var counts []string
		for _, class := range slices.Sorted(maps.Keys(o.Counts)) {
			counts = append(counts, fmt.Sprintf("%s %d", class, o.Counts[class]))
		}
		fmt.Fprintf(tw, "offences\t%s (first %s, last %s)\n", strings.Join(counts, ", "),
			o.FirstSeen.Local().Format(time.DateTime), o.LastSeen.Local().Format(time.DateTime))
		if len(o.Users) > 0 {
			fmt.Fprintf(tw, "users\t%s\n", strings.Join(o.Users, ", "))
		}
		for i, e := range o.Evidence {
			label := ""
			if i == 0 {
				label = "samples"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", label, e.Time.Local().Format(time.DateTime), e.Class, orDefault(e.RuleID, "-"), e.Sample)
		}
		tw.Flush()
	}
	if len(d.History) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, p.bold("history"))
		return printBans(w, d.History, p)
	}
	return nil
}

// roundLeft writes a time left to the minute, or the second under one.
func roundLeft(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

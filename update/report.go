package update

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// A Status is what trying decided about a candidate.
type Status string

// Statuses of a [Result].
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"   // not tried: a major without --major, a Go major, or a lower version when a higher one passed
	Listed  Status = "not tried" // --dry-run, or the run was cut short
	Waiting Status = "waiting"   // younger than the minimum release age: tried from Eligible on
	Blocked Status = "blocked"   // it, or what it pulls in, is a malicious package: never installed
)

// A Result is one candidate with what trying it decided.
type Result struct {
	Candidate
	Status  Status        `json:"status"`
	How     string        `json:"how,omitempty"` // how it was decided: "alone", "in a group of 18", …
	Time    time.Duration `json:"-"`
	Seconds float64       `json:"seconds"`
	Tail    string        `json:"tail,omitempty"` // the end of the failing run's output
	// ScriptsSkipped names, for a failed candidate, the packages whose
	// install scripts did not run in its trial: the failure may come
	// from that.
	ScriptsSkipped []string `json:"scriptsSkipped,omitempty"`
	Keep           bool     `json:"keep"` // in the set Apply writes
	// Eligible is when a waiting candidate reaches the minimum release
	// age and will be tried.
	Eligible time.Time `json:"eligible,omitzero"`
}

// A Report is the outcome of [Run].
type Report struct {
	Dir      string    `json:"dir"`
	Date     time.Time `json:"date"`
	Group    bool      `json:"group"`
	Results  []Result  `json:"results"`
	Notes    []string  `json:"notes,omitempty"`
	Runs     int       `json:"runs"` // test runs with candidates (the baseline run not counted)
	Baseline []string  `json:"baseline,omitempty"`
	Applied  *Applied  `json:"applied,omitempty"`
	// Malicious lists the malicious packages found among the candidates
	// and their trees: none was installed, and each is an alert.
	Malicious []Malware `json:"malicious,omitempty"`
	// TestsOffline says the test runs had no network (a namespace with
	// only a loopback); when false, Notes says why.
	TestsOffline bool `json:"testsOffline"`
	// Bisections are the searches for the highest passing version of the
	// dependencies whose newest version failed, with every version tried.
	Bisections []Bisection `json:"bisections,omitempty"`
}

// Failed reports whether any tried candidate failed its tests, or was
// blocked as malicious.
func (r *Report) Failed() bool {
	if len(r.Malicious) > 0 {
		return true
	}
	for _, x := range r.Results {
		if x.Status == Failed || x.Status == Blocked {
			return true
		}
	}
	return false
}

// Passing returns the candidates to keep: per dependency, the newest that
// passed.
func (r *Report) Passing() []Candidate {
	var out []Candidate
	for _, x := range r.Results {
		if x.Keep {
			out = append(out, x.Candidate)
		}
	}
	return out
}

// WriteTable writes the report as a table for a terminal.
func (r *Report) WriteTable(w io.Writer) error {
	for _, m := range r.Malicious {
		fmt.Fprintf(w, "ALERT: %s: not installed. %s\n", m, strings.TrimSpace(m.Summary))
	}
	if len(r.Malicious) > 0 {
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPENDENCY\tFROM\tTO\tKIND\tRESULT\tTIME\tADVISORIES FIXED\tRED FLAGS")
	for _, x := range r.Results {
		res := string(x.Status)
		switch {
		case x.Keep:
			res += " (keep)"
		case x.Status == Waiting:
			res += " until " + x.Eligible.UTC().Format("2006-01-02")
		}
		t := "-"
		if x.Time > 0 {
			t = x.Time.Round(100 * time.Millisecond).String()
		}
		adv := strings.Join(x.Advisories, ", ")
		if adv == "" {
			adv = "-"
		} else if x.Early {
			adv += " (young: tried early)"
		}
		fmt.Fprintf(tw, "%s (%s)\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Name, x.Ecosystem, x.From, x.To, x.Kind, res, t, adv, flagTexts(x.Flags))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, x := range r.Results {
		if x.Status == Failed {
			fmt.Fprintf(w, "\n%s %s → %s failed (%s):\n%s\n", x.Name, x.From, x.To, x.How, indent(x.Tail, "    "))
			if h := scriptHint(x.ScriptsSkipped); h != "" {
				fmt.Fprintf(w, "  note: %s\n", h)
			}
		}
	}
	for _, b := range r.Bisections {
		fmt.Fprintf(w, "\n%s\n", b.Summary())
	}
	seen := map[string]bool{}
	for _, x := range r.Results {
		for _, n := range x.Notes {
			if line := x.Name + ": " + n; !seen[line] {
				seen[line] = true
				fmt.Fprintf(w, "note: %s\n", line)
			}
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if r.Runs > 0 {
		mode := "one by one"
		if r.Group {
			mode = "grouped, bisecting failures"
		}
		_, err := fmt.Fprintf(w, "%d test run(s), %s\n", r.Runs, mode)
		return err
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	for i := range r.Results {
		r.Results[i].Seconds = r.Results[i].Time.Round(time.Millisecond).Seconds()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func indent(s, prefix string) string {
	if s == "" {
		return prefix + "(no output)"
	}
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

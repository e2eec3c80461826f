package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// familyNames says what each CRS rule family detects.
var familyNames = map[string]string{
	"913": "scanners", "920": "protocol", "921": "protocol attacks", "922": "multipart",
	"930": "LFI", "931": "RFI", "932": "RCE", "933": "PHP", "934": "generic",
	"941": "XSS", "942": "SQLi", "943": "session fixation", "944": "Java",
}

// setTitles heads each set's rows.
var setTitles = map[string]string{
	corpus.CRS:     "Recall: CRS regression tests, per family",
	corpus.PATT:    "Recall: PayloadsAllTheThings, each payload in query, form and JSON",
	corpus.CSIC:    "False positives: CSIC 2010 normal traffic (without its Accept-Charset header)",
	corpus.Modern:  "False positives: modern API traffic (internal/corpus/testdata/modern)",
	corpus.Prose:   "False positives: English prose in query, form and JSON",
	corpus.Content: "False positives: real documentation posted as a blog receives it (benign/content: articles, comments, searches)",
}

// runStats says how a run went, for the report's header.
type runStats struct {
	took      time.Duration
	end       time.Time
	cached    int // Coraza passes over a set whose verdicts came from the cache
	cacheable int // Coraza passes over a set in all
}

// report renders the run as markdown: how it was made, then one table with
// a column per engine. levels maps CRS rule ids to their paranoia level
// (see ruleLevels).
func report(cfg config, m machine, sets []set, results []result, levels map[int]int, st runStats) string {
	var b strings.Builder
	args := ""
	if len(cfg.args) > 0 {
		args = " " + strings.Join(cfg.args, " ")
	}
	fmt.Fprintf(&b, "Command, from `bench/`: `go run ./cmd/eval%s`\n\n", args)
	fmt.Fprintf(&b, "Machine: %s.\n", m)
	fmt.Fprintf(&b, "Detection ran on %d goroutines; the cost rows time each engine alone on one goroutine. "+
		"The run took %s on %s", cfg.workers, st.took.Round(time.Second), st.end.UTC().Format("2006-01-02"))
	if st.cached > 0 {
		fmt.Fprintf(&b, ", with Coraza's verdicts on %d of its %d corpus runs taken from the verdict cache (-cache)", st.cached, st.cacheable)
	}
	b.WriteString(".\n\n")

	t := table{cols: len(results)}
	head := []string{"", "cases"}
	for _, r := range results {
		head = append(head, r.engine.label())
	}
	t.row(head...)
	t.rule()
	for si, s := range sets {
		t.section(setTitles[s.name])
		if s.attack {
			recallRows(&t, s, si, results, levels)
		} else {
			fpRow(&t, s, si, results)
		}
	}
	costRows(&t, results)
	b.WriteString(t.String())
	b.WriteString("\nRecall cells count the attacks each engine let through; false-positive cells the benign requests it would have blocked. " +
		"\"Flagged\" is a Coraza interruption or inbound anomaly score ≥ 5, or a Bulwark verdict of Block.\n")
	return b.String()
}

// recallRows writes a row per group of an attack set, then the totals;
// for the CRS tests also the totals over the tests of rules at paranoia
// levels 1 and 2, the levels compared here.
func recallRows(t *table, s set, si int, results []result, levels map[int]int) {
	gs := groups(s.cases)
	meanCells := make([]float64, len(results))
	for _, g := range gs {
		name := g
		if f, ok := familyNames[g]; ok && s.name == corpus.CRS {
			name = g + " " + f
		}
		n := 0
		cells := []string{name, ""}
		for ri, r := range results {
			hit, total := count(s, r.verdicts[si], func(c *corpus.Case) bool { return c.Group == g })
			n = total
			cells = append(cells, recallCell(hit, total))
			meanCells[ri] += ratio(hit, total) / float64(len(gs))
		}
		cells[1] = fmt.Sprint(n)
		t.row(cells...)
	}
	all := []string{"**all**", fmt.Sprint(len(s.cases))}
	for _, r := range results {
		hit, total := count(s, r.verdicts[si], nil)
		all = append(all, "**"+recallCell(hit, total)+"**")
	}
	t.row(all...)
	if s.name == corpus.CRS && len(levels) > 0 {
		low := func(c *corpus.Case) bool { l := levels[caseRule(c.ID)]; return l == 1 || l == 2 }
		cells := []string{"tests of rules at PL 1–2", ""}
		for _, r := range results {
			hit, total := count(s, r.verdicts[si], low)
			cells[1] = fmt.Sprint(total)
			cells = append(cells, recallCell(hit, total))
		}
		t.row(cells...)
	}
	if len(gs) > 1 && s.name == corpus.PATT {
		mean := []string{"mean of the lists", ""}
		for ri := range results {
			mean = append(mean, fmt.Sprintf("%.1f%%", 100*meanCells[ri]))
		}
		t.row(mean...)
	}
}

// codeGroup is the modern corpus's group of comments with code snippets,
// which an engine may flag with reason; its rate is also shown apart.
const codeGroup = "code"

// fpRow writes the false-positive row of a benign set, and for the modern
// corpus the rows without and of its code snippets.
func fpRow(t *table, s set, si int, results []result) {
	type subset struct {
		name string
		keep func(*corpus.Case) bool // nil: all
	}
	rows := []subset{{"benign requests blocked", nil}}
	if s.name == corpus.Modern && slices.Contains(groups(s.cases), codeGroup) {
		rows = append(rows,
			subset{"… without the code snippets", func(c *corpus.Case) bool { return c.Group != codeGroup }},
			subset{"… the code snippets alone", func(c *corpus.Case) bool { return c.Group == codeGroup }})
	}
	for _, row := range rows {
		cells := []string{row.name, ""}
		for _, r := range results {
			flagged, total := count(s, r.verdicts[si], row.keep)
			cells[1] = fmt.Sprint(total)
			cells = append(cells, fmt.Sprintf("%s (%d)", percent(ratio(flagged, total)), flagged))
		}
		t.row(cells...)
	}
}

// costRows writes what each engine spends per benign request.
func costRows(t *table, results []result) {
	if len(results) == 0 || results[0].cost.N == 0 {
		return
	}
	t.section(fmt.Sprintf("Cost per benign request (%d requests, equal shares of each benign set, one goroutine, quietest of %d rounds)",
		results[0].cost.N, results[0].cost.Rounds))
	rows := []struct {
		name string
		cell func(c cost) string
	}{
		{"median time", func(c cost) string { return duration(c.Median) }},
		{"99th percentile time", func(c cost) string { return duration(c.P99) }},
		{"allocations", func(c cost) string { return fmt.Sprintf("%.0f", c.Allocs) }},
		{"bytes allocated", func(c cost) string { return fmt.Sprintf("%.1f KB", c.Bytes/1024) }},
	}
	for _, row := range rows {
		cells := []string{row.name, ""}
		for _, r := range results {
			cells = append(cells, row.cell(r.cost))
		}
		t.row(cells...)
	}
	if results[0].article.N == 0 {
		return
	}
	t.section(fmt.Sprintf("Cost per article of %d KB or more (the content corpus's %d largest, one goroutine, quietest of %d rounds)",
		minArticle>>10, results[0].article.N, results[0].article.Rounds))
	for _, row := range rows[:2] {
		cells := []string{row.name, ""}
		for _, r := range results {
			cells = append(cells, row.cell(r.article))
		}
		t.row(cells...)
	}
}

// count returns how many of the cases of s that keep selects (all when
// keep is nil) were flagged, and how many there are.
func count(s set, vs []verdict, keep func(*corpus.Case) bool) (flagged, total int) {
	for i := range s.cases {
		if keep != nil && !keep(&s.cases[i]) {
			continue
		}
		total++
		if vs[i].Flagged {
			flagged++
		}
	}
	return flagged, total
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func recallCell(hit, total int) string {
	if hit == total {
		return "100%"
	}
	return fmt.Sprintf("%.1f%% (%d missed)", 100*ratio(hit, total), total-hit)
}

// percent shows small rates with enough digits to tell 0.008% from 0.
func percent(r float64) string {
	switch {
	case r == 0:
		return "0%"
	case r < 0.01:
		return fmt.Sprintf("%.3f%%", 100*r)
	}
	return fmt.Sprintf("%.2f%%", 100*r)
}

func duration(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// A table is a markdown table whose first two columns are the row's name
// and its number of cases, then one per engine.
type table struct {
	cols int // engine columns
	b    strings.Builder
}

func (t *table) row(cells ...string) {
	t.b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

func (t *table) rule() {
	t.b.WriteString("|---|---:|" + strings.Repeat("---:|", t.cols) + "\n")
}

func (t *table) section(title string) {
	t.row(append([]string{"**" + title + "**", ""}, make([]string, t.cols)...)...)
}

func (t *table) String() string { return t.b.String() }

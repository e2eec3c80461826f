package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// config is the evaluation's settings, from the command line.
type config struct {
	args     []string // as given, for the report
	engines  []string
	corpora  []string
	families []string
	limit    int
	workers  int
	timing   int
	rounds   int
	// separatePL runs Coraza once per paranoia level instead of once for
	// both (see plan).
	separatePL bool
	cache      string // directory of the verdict cache; "" for none
	dir        string
	out        string
	misses     string
}

// allCorpora lists the corpora in report order.
var allCorpora = []string{corpus.CRS, corpus.PATT, corpus.CSIC, corpus.Modern, corpus.Prose, corpus.Content}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	c := config{args: args}
	var engines, corpora, families string
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&engines, "engines", strings.Join(engineNames, ","), "comma-separated engines to run, of "+strings.Join(engineNames, ", "))
	fs.StringVar(&corpora, "corpora", strings.Join(allCorpora, ","), "comma-separated corpora to run, of "+strings.Join(allCorpora, ", "))
	fs.StringVar(&families, "families", strings.Join(corpus.CRSFamilies, ","), "comma-separated CRS rule families (crs-regression/REQUEST-<family>-*)")
	fs.IntVar(&c.limit, "limit", 0, "at most this many cases per corpus, spread evenly over it (0: all)")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "goroutines that run the detection")
	fs.IntVar(&c.timing, "timing", 3000, "benign requests timed per engine, on one goroutine, for the cost rows")
	fs.IntVar(&c.rounds, "rounds", 3, "rounds of timing per engine; the quietest round's times are reported")
	fs.BoolVar(&c.separatePL, "separate-pl", false, "run Coraza once per paranoia level rather than once for both (slower; the same verdicts)")
	fs.StringVar(&c.cache, "cache", defaultCacheDir(), "directory where Coraza's verdicts are kept between runs; \"\" to run Coraza afresh and keep nothing")
	fs.StringVar(&c.dir, "corpus", "", "the shared corpus directory (default: ../shared/corpus found from here, or $"+corpus.EnvDir+")")
	fs.StringVar(&c.out, "out", "", "also write the report into this markdown file, between its <!-- eval:begin --> and <!-- eval:end --> lines")
	fs.StringVar(&c.misses, "misses", "", "write Bulwark's misses and false positives to this JSONL file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: eval [flags]\n\nMeasures recall, false positives and cost of Bulwark's engine and Coraza + CRS on the same requests.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q; all settings are flags (see -h)", fs.Arg(0))
	}
	var err error
	if c.engines, err = list("-engines", engines, engineNames); err != nil {
		return c, err
	}
	if c.corpora, err = list("-corpora", corpora, allCorpora); err != nil {
		return c, err
	}
	c.families = split(families)
	switch {
	case len(c.families) == 0 && slices.Contains(c.corpora, corpus.CRS):
		return c, errors.New("-families is empty: give CRS families such as 942, or leave crs out of -corpora")
	case c.limit < 0:
		return c, fmt.Errorf("-limit %d: give a number of cases, or 0 for all", c.limit)
	case c.workers < 1:
		return c, fmt.Errorf("-workers %d: give at least 1", c.workers)
	case c.timing < 0:
		return c, fmt.Errorf("-timing %d: give a number of requests, or 0 to skip the cost rows", c.timing)
	case c.rounds < 1:
		return c, fmt.Errorf("-rounds %d: give at least 1", c.rounds)
	case c.misses != "" && !slices.Contains(c.engines, bulwarkName):
		return c, fmt.Errorf("-misses lists Bulwark's misses: add %s to -engines", bulwarkName)
	}
	return c, nil
}

// list splits a comma-separated flag value and checks each item is known.
func list(flagName, value string, known []string) ([]string, error) {
	items := split(value)
	if len(items) == 0 {
		return nil, fmt.Errorf("%s is empty: give some of %s", flagName, strings.Join(known, ", "))
	}
	for _, it := range items {
		if !slices.Contains(known, it) {
			return nil, fmt.Errorf("%s: unknown %q; give some of %s", flagName, it, strings.Join(known, ", "))
		}
	}
	return items, nil
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

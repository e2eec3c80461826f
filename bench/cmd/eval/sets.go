package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// A set is the cases of one corpus.
type set struct {
	name   string // the corpus, one of allCorpora
	attack bool   // its cases are attacks (recall) or benign (false positives)
	cases  []corpus.Case
}

// loadSets loads the corpora cfg asks for, in report order, each cut to
// cfg.limit cases spread evenly over it.
func loadSets(cfg config, log io.Writer) ([]set, error) {
	dir := cfg.dir
	needsDir := slices.ContainsFunc(cfg.corpora, func(c string) bool {
		return c == corpus.CRS || c == corpus.PATT || c == corpus.CSIC || c == corpus.Content
	})
	if dir == "" && needsDir {
		var err error
		if dir, err = corpus.Dir(); err != nil {
			return nil, err
		}
	}
	var sets []set
	for _, name := range allCorpora {
		if !slices.Contains(cfg.corpora, name) {
			continue
		}
		start := time.Now()
		var (
			cases []corpus.Case
			err   error
		)
		switch name {
		case corpus.CRS:
			cases, err = corpus.LoadCRS(dir, cfg.families)
		case corpus.PATT:
			cases, err = corpus.LoadPATT(dir)
		case corpus.CSIC:
			cases, err = corpus.LoadCSIC(dir, cfg.limit)
		case corpus.Modern:
			cases, err = corpus.LoadModern()
		case corpus.Prose:
			cases, err = corpus.LoadProse()
		case corpus.Content:
			cases, err = corpus.LoadContent(dir)
		}
		if err != nil {
			return nil, err
		}
		cases = spread(cases, cfg.limit)
		if name == corpus.CSIC {
			dropAcceptCharset(cases)
		}
		if len(cases) == 0 {
			return nil, fmt.Errorf("corpus %s has no cases; check the corpus directory %s", name, dir)
		}
		sets = append(sets, set{name: name, attack: cases[0].Attack, cases: cases})
		fmt.Fprintf(log, "loaded %s: %d cases in %s\n", name, len(cases), time.Since(start).Round(time.Millisecond))
	}
	return sets, nil
}

// groups returns the distinct groups of cases in order of first appearance.
func groups(cases []corpus.Case) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cases {
		if !seen[c.Group] {
			seen[c.Group] = true
			out = append(out, c.Group)
		}
	}
	return out
}

// dropAcceptCharset removes the Accept-Charset header from the CSIC
// requests. Every one of them carries it (the browsers of 2010 sent it;
// today's do not), and CRS at paranoia level 2 blocks any request with it
// by policy (rule 920451, restricted_headers_extended): left in, the CSIC
// row would measure that one header policy, 100% of the set, rather than
// detection. Every engine sees the same requests without it.
func dropAcceptCharset(cases []corpus.Case) {
	for i := range cases {
		h := cases[i].Header.Clone()
		h.Del("Accept-Charset")
		cases[i].Header = h
	}
}

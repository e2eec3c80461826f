package main

import (
	"fmt"
	"slices"
)

// A pass runs one engine over every set and yields the verdicts of one or
// more columns of the report.
type pass struct {
	name string // for the log
	// config identifies the engine's configuration for the verdict cache;
	// "" means the pass's verdicts are not cached (Bulwark's, which change
	// with every edit of the engine).
	config  string
	make    func() (engine, error)
	columns []string // the -engines names it yields verdicts for
	// split turns the pass's verdicts on one set into each column's; nil
	// when the pass yields one column.
	split func([]verdict) [][]verdict
}

// plan returns the passes that give every engine of cfg its verdicts.
//
// When both Coraza columns are asked for, one pass serves both (unless
// -separate-pl): Coraza blocking at paranoia level 1 while running and
// scoring the rules of level 2, which is how CRS lets operators try a
// higher level before they block at it. The PL1 column is that pass's
// verdict; the PL2 column flags what it interrupted or what scored at
// least the threshold with the level-2 rules counted. That is what a WAF
// blocking at PL2 decides: the rules of level 2 add to the score and
// change nothing else, and the only interruptions before the scores are
// summed are request body errors, which interrupt at every level. It
// saves the PL1 pass, about 40% of the evaluation's time, and
// TestOnePassMatchesTwo checks it against two separate passes.
func plan(cfg config) []pass {
	var passes []pass
	onePass := !cfg.separatePL && slices.Contains(cfg.engines, corazaPL1Name) && slices.Contains(cfg.engines, corazaPL2Name)
	for _, name := range cfg.engines {
		switch {
		case onePass && name == corazaPL1Name:
			passes = append(passes, pass{
				name:    "coraza-pl1+pl2",
				config:  corazaConfig(1, 2),
				make:    func() (engine, error) { return newCorazaLevels(1, 2) },
				columns: []string{corazaPL1Name, corazaPL2Name},
				split:   splitLevels,
			})
		case onePass && name == corazaPL2Name:
			// served by the pass above
		default:
			p := pass{name: name, make: func() (engine, error) { return newEngine(name) }, columns: []string{name}}
			switch name {
			case corazaPL1Name:
				p.config = corazaConfig(1, 1)
			case corazaPL2Name:
				p.config = corazaConfig(2, 2)
			}
			passes = append(passes, p)
		}
	}
	return passes
}

// splitLevels turns the verdicts of Coraza blocking at PL1 and detecting
// at PL2 into the verdicts at PL1 and at PL2.
func splitLevels(vs []verdict) [][]verdict {
	pl1 := make([]verdict, len(vs))
	pl2 := make([]verdict, len(vs))
	for i, v := range vs {
		d, ok := v.Detail.(corazaDetail)
		if !ok {
			panic(fmt.Sprintf("splitLevels: verdict detail %T, want corazaDetail (detect explains every verdict)", v.Detail))
		}
		pl1[i] = v
		d2 := d
		d2.Flagged = v.Flagged || d.DetectionScore >= inboundThreshold
		d2.Score, d2.DetectionScore = d.DetectionScore, 0
		pl2[i] = verdict{Flagged: d2.Flagged, Score: d2.Score, Detail: d2}
	}
	return [][]verdict{pl1, pl2}
}

package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// detectGCPercent is the GOGC of the detection passes.
const detectGCPercent = 400

// A result is one engine's verdicts on every set, and its cost.
type result struct {
	name     string // as given to -engines
	engine   engine
	verdicts [][]verdict // per set, per case, in the sets' order
	cost     cost
	article  cost // on the content corpus's largest articles
}

// evaluate loads the corpora, runs every engine over them, measures each
// engine's cost, and writes the report and the misses.
func evaluate(ctx context.Context, cfg config, stdout, log io.Writer) error {
	start := time.Now()
	mach := describeMachine()
	cache := verdictCache{dir: cfg.cache}
	sets, err := loadSets(cfg, log)
	if err != nil {
		return err
	}
	results := make([]result, len(cfg.engines))
	column := map[string]*result{}
	for i, name := range cfg.engines {
		e, err := newEngine(name) // as configured alone: for the label and the cost rows
		if err != nil {
			return err
		}
		results[i] = result{name: name, engine: e}
		column[name] = &results[i]
	}
	// Detection is not timed: a heap goal four times the default lets the
	// garbage collector run less often under Coraza's thousands of
	// allocations a request, about a fifth off the evaluation's time. The
	// cost rows run with the default.
	var st runStats
	gc := debug.SetGCPercent(detectGCPercent)
	defer debug.SetGCPercent(gc)
	for _, p := range plan(cfg) {
		t := time.Now()
		e, err := p.make()
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "%s: ready in %s\n", p.name, time.Since(t).Round(time.Millisecond))
		for _, s := range sets {
			t := time.Now()
			key := ""
			if p.config != "" {
				key = cache.key(p, s, mach)
			}
			vs, cached := cache.load(key, len(s.cases))
			if key != "" {
				st.cacheable++
				if cached {
					st.cached++
				}
			}
			if !cached {
				m := progress(log, p.name+": "+s.name, len(s.cases))
				vs, err = detect(ctx, e, s.cases, cfg.workers, m.done)
				m.end()
				if err != nil {
					return fmt.Errorf("running %s on %s: %w", p.name, s.name, err)
				}
				if key != "" {
					if err := cache.store(key, vs); err != nil {
						fmt.Fprintf(log, "%s: %s: not cached: %v\n", p.name, s.name, err)
					}
				}
			}
			cols := [][]verdict{vs}
			if p.split != nil {
				cols = p.split(vs)
			}
			for ci, name := range p.columns {
				column[name].verdicts = append(column[name].verdicts, cols[ci])
			}
			d := time.Since(t)
			if cached {
				fmt.Fprintf(log, "%s: %s: %d verdicts from the cache in %s\n", p.name, s.name, len(s.cases), cache.dir)
				continue
			}
			fmt.Fprintf(log, "%s: %s: %d cases in %s (%s a case on %d workers)\n",
				p.name, s.name, len(s.cases), d.Round(time.Millisecond), (d / time.Duration(len(s.cases))).Round(time.Microsecond/10), cfg.workers)
		}
	}
	debug.SetGCPercent(gc)
	if sample := timingSample(sets, cfg.timing); len(sample) > 0 {
		for i := range results {
			if err := ctx.Err(); err != nil {
				return err
			}
			results[i].cost = measure(results[i].engine, sample, cfg.rounds)
			fmt.Fprintf(log, "%s: cost measured on %d benign requests, %d rounds\n", results[i].name, len(sample), cfg.rounds)
		}
	}
	if sample := articleSample(sets); len(sample) > 0 {
		for i := range results {
			if err := ctx.Err(); err != nil {
				return err
			}
			results[i].article = measure(results[i].engine, sample, cfg.rounds)
			fmt.Fprintf(log, "%s: cost measured on %d articles of %d KB or more, %d rounds\n", results[i].name, len(sample), minArticle>>10, cfg.rounds)
		}
	}
	st.took, st.end = time.Since(start), time.Now()
	fmt.Fprintf(log, "evaluated in %s\n", st.took.Round(time.Second))

	levels, err := ruleLevels()
	if err != nil {
		return err
	}
	rep := report(cfg, mach, sets, results, levels, st)
	fmt.Fprint(stdout, rep)
	if cfg.out != "" {
		if err := writeInto(cfg.out, rep); err != nil {
			return err
		}
		fmt.Fprintln(log, "wrote", cfg.out)
	}
	if cfg.misses != "" {
		n, err := writeMisses(cfg.misses, sets, results)
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s: %d requests\n", cfg.misses, n)
		fmt.Fprint(log, missSummary(sets, results))
	}
	return nil
}

// progressEvery is how often a long detection run reports how far it is.
const progressEvery = 30 * time.Second

// A meter reports a detection run's progress to the log until end is
// called.
type meter struct {
	done *atomic.Int64
	end  func()
}

// progress starts reporting, every progressEvery, how many of total cases
// the run named what has checked.
func progress(log io.Writer, what string, total int) meter {
	done := new(atomic.Int64)
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				fmt.Fprintf(log, "%s: %d of %d cases\n", what, done.Load(), total)
			}
		}
	}()
	return meter{done: done, end: func() { close(quit); <-finished }}
}

package main

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// detect runs e over cases on workers goroutines and returns the verdicts,
// explained, in the cases' order. It adds to done, if not nil, as cases
// are checked. It stops early, returning ctx's error, when ctx is done.
func detect(ctx context.Context, e engine, cases []corpus.Case, workers int, done *atomic.Int64) ([]verdict, error) {
	out := make([]verdict, len(cases))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cases) || ctx.Err() != nil {
					return
				}
				out[i] = e.check(e.prepare(&cases[i]), true)
				if done != nil {
					done.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

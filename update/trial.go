package update

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// tailSize is how many lines of a failed run's output a result keeps.
const tailSize = 30

// An outcome is the result of one trial: a set of candidates put into a
// fresh copy of the project, installed and tested.
type outcome struct {
	pass     bool
	dur      time.Duration
	tail     string        // the end of the output of the step that failed
	stage    string        // "install" or "test", where it failed
	suspects [][]Candidate // see project.suspects
}

// trialer runs trials in isolated copies of the project under work. It is
// safe for concurrent use.
type trialer struct {
	src  string // the user's project: only read
	work string // parent of the copies
	keep bool   // keep copies (for debugging)
	log  *slog.Logger
	seq  atomic.Int64
	runs atomic.Int64 // trials with at least one candidate
}

// try tests cs (none: the project as it is) in a fresh copy.
func (t *trialer) try(ctx context.Context, p project, cs []Candidate) outcome {
	if len(cs) > 0 {
		t.runs.Add(1)
	}
	start := time.Now()
	dir := filepath.Join(t.work, fmt.Sprintf("try-%03d", t.seq.Add(1)))
	if !t.keep {
		defer os.RemoveAll(dir)
	}
	fail := func(stage, out string, err error) outcome {
		// Paths in the copy read as paths in the project.
		tail := strings.ReplaceAll(tailLines(out, tailSize), dir+string(filepath.Separator), "")
		if err != nil && !strings.Contains(tail, err.Error()) {
			tail = strings.TrimLeft(tail+"\n"+err.Error(), "\n")
		}
		return outcome{dur: time.Since(start), tail: tail, stage: stage}
	}
	if err := copyTree(ctx, t.src, dir); err != nil {
		return fail("copy", "", fmt.Errorf("copying the project: %w", err))
	}
	if out, err := p.install(ctx, dir, cs); err != nil {
		return fail("install", out, err)
	}
	out, truncated, err := p.test(ctx, dir)
	o := outcome{pass: err == nil, dur: time.Since(start)}
	if err != nil {
		o = fail("test", out, err)
		if !truncated && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			o.suspects = p.suspects(ctx, dir, out, cs)
		}
	}
	t.log.LogAttrs(ctx, slog.LevelDebug, "trial", slog.String("dir", dir), slog.Int("candidates", len(cs)),
		slog.Bool("pass", o.pass), slog.Duration("took", o.dur))
	return o
}

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
	stage    string        // "lock", "install" or "test", where it failed
	skipped  []string      // packages whose install scripts did not run
	malware  []Malware     // malicious packages in the resolved tree (stage "malicious")
	suspects [][]Candidate // see project.suspects
}

// trialer runs trials in isolated copies of the project under work. It is
// safe for concurrent use.
type trialer struct {
	src  string     // the user's project: only read
	work string     // parent of the copies
	keep bool       // keep copies (for debugging)
	adv  Advisories // checks resolved trees for malware; nil: not checked
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
	stage, out, skipped, malware, err := prepare(ctx, p, dir, cs, t.adv)
	if err != nil {
		o := fail(stage, out, err)
		o.skipped, o.malware = skipped, malware
		for _, m := range malware {
			t.log.LogAttrs(ctx, slog.LevelError, "malicious package in a trial's tree: not installed",
				slog.String("package", m.Name+"@"+m.Version), slog.String("id", m.ID), slog.String("via", m.Via))
		}
		return o
	}
	out, truncated, err := p.test(ctx, dir)
	o := outcome{pass: err == nil, dur: time.Since(start), skipped: skipped}
	if err != nil {
		o = fail("test", out, err)
		o.skipped = skipped
		if !truncated && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			o.suspects = p.suspects(ctx, dir, out, cs)
		}
	}
	t.log.LogAttrs(ctx, slog.LevelDebug, "trial", slog.String("dir", dir), slog.Int("candidates", len(cs)),
		slog.Bool("pass", o.pass), slog.Duration("took", o.dur))
	return o
}

// prepare puts cs into the copy at dir and installs it: the steps before
// the tests. Between resolving the tree and installing it, the whole tree
// is checked against the malicious-package advisories of adv (if any): a
// hit stops there, with stage "malicious", before any of its code is
// unpacked (npm) or run (Go). A failed check stops too (stage "check"):
// what cannot be checked is not installed. On failure, stage names the
// step.
func prepare(ctx context.Context, p project, dir string, cs []Candidate, adv Advisories) (stage, out string, skipped []string, malware []Malware, err error) {
	if out, err := p.lock(ctx, dir, cs); err != nil {
		return "lock", out, nil, nil, err
	}
	if adv != nil {
		tree, err := p.tree(dir)
		if err != nil {
			return "check", "", nil, nil, fmt.Errorf("reading the resolved tree to check it for malicious packages: %w", err)
		}
		malware, err := adv.Malicious(ctx, tree)
		if err != nil {
			return "check", "", nil, nil, fmt.Errorf("checking the resolved tree for malicious packages: %w", err)
		}
		if len(malware) > 0 {
			var names []string
			for i := range malware {
				malware[i].Via = via(malware[i], cs)
				names = append(names, malware[i].String())
			}
			return "malicious", "", nil, malware, fmt.Errorf("not installed: %s", strings.Join(names, "; "))
		}
	}
	out, skipped, err = p.install(ctx, dir)
	if err != nil {
		return "install", out, skipped, nil, err
	}
	return "", out, skipped, nil, nil
}

// via names the candidates that can have brought m into a tree: none if m
// is one of them.
func via(m Malware, cs []Candidate) string {
	var ids []string
	for _, c := range cs {
		if c.Ecosystem == m.Ecosystem && c.Name == m.Name && trimV(c.Ecosystem, c.To) == m.Version {
			return ""
		}
		ids = append(ids, c.Name+"@"+c.To)
	}
	if len(ids) == 0 {
		return "the project as it is"
	}
	return strings.Join(ids, ", ")
}

// scriptHint says that a failure may come from install scripts that did
// not run, or "" when none were skipped.
func scriptHint(skipped []string) string {
	if len(skipped) == 0 {
		return ""
	}
	return fmt.Sprintf("the install scripts of %s did not run (they never do in trials); if the failure comes from that, allow them by name: --allow-scripts %s",
		strings.Join(skipped, ", "), strings.Join(skipped, ","))
}

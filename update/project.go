package update

import (
	"context"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// A project is one ecosystem's side of a project: how to put candidates
// into a copy, install and run its tests. Implementations keep no state
// between calls and are safe for concurrent use on different copies.
type project interface {
	// ecosystem returns Go or NPM.
	ecosystem() string
	// find lists the update candidates, with notes about what was
	// skipped, and the ladder of each dependency with candidates of its
	// installed major.
	find(ctx context.Context, dir string) ([]Candidate, ladders, []string, error)
	// lock puts cs (possibly none) into the copy at dir and resolves the
	// whole dependency tree into its lockfile, fetching metadata but
	// running no package's code.
	lock(ctx context.Context, dir string, cs []Candidate) (output string, err error)
	// tree lists the packages of the tree lock resolved in dir.
	tree(dir string) ([]lockfile.Package, error)
	// install installs the tree lock resolved, running no dependency's
	// install scripts but those allowed by name; skipped names the
	// packages whose scripts did not run.
	install(ctx context.Context, dir string) (output string, skipped []string, err error)
	// test runs the test command in dir.
	test(ctx context.Context, dir string) (output string, truncated bool, err error)
	// suspects narrows a failed run of cs down to the candidates that can
	// have caused it, one set per independent failure; nil if it cannot
	// tell.
	suspects(ctx context.Context, dir, output string, cs []Candidate) [][]Candidate
	// files are the files an update changes, relative to the project.
	files() []string
}

// testCmd is the shared part of running a test command.
type testCmd struct {
	command []string // argv; nil: the ecosystem's default
	env     []string
	timeout time.Duration
	iso     *isolation // if set (and ok), tests run without network
}

func (t testCmd) run(ctx context.Context, dir string, def ...string) (string, bool, error) {
	argv := t.command
	if len(argv) == 0 {
		argv = def
	}
	iso := isolation{}
	if t.iso != nil {
		iso = *t.iso
	}
	return runTailIsolated(ctx, iso, dir, t.env, t.timeout, argv[0], argv[1:]...)
}

package update

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// npmProject updates npm packages by rewriting their ranges in
// package.json, resolving the tree with npm install --package-lock-only
// and installing it with npm ci, both with install scripts off, and tests
// with npm test (or the given command), the project's own test script. npm reads the copied .npmrc, so registry tokens reach
// it without passing through Bulwark's output.
type npmProject struct {
	finder npmFinder
	test_  testCmd
	allow  []string  // packages whose install scripts run (see scripts.go)
	cutoff time.Time // trees resolve to versions published by then (see lock); zero: any
}

var _ project = (*npmProject)(nil)

func (p *npmProject) ecosystem() string { return NPM }
func (p *npmProject) files() []string   { return []string{"package.json", "package-lock.json"} }

func (p *npmProject) find(ctx context.Context, dir string) ([]Candidate, ladders, []string, error) {
	return p.finder.find(ctx, dir)
}

func (p *npmProject) lock(ctx context.Context, dir string, cs []Candidate) (string, error) {
	if len(cs) > 0 {
		path := filepath.Join(dir, "package.json")
		data, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		for _, c := range cs {
			if data, err = setRange(data, c.Name, c.To); err != nil {
				return "", err
			}
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return "", err
		}
	} else if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err == nil {
		return "", nil // npm ci installs the lockfile as it is
	}
	// Only package-lock.json is written: packuments are read, no tarball
	// is unpacked and no script runs.
	args := []string{"--package-lock-only"}
	if settled(cs, p.cutoff) {
		// What the update pulls in is held to the release age too. Not
		// with a young candidate (a security fix tried early), which
		// --before would refuse.
		args = append(args, "--before="+p.cutoff.UTC().Format(time.RFC3339))
	}
	return p.npm(ctx, dir, "install", args...)
}

// settled reports whether every candidate of cs has a known publish time
// by cutoff (and there are some, and a cutoff).
func settled(cs []Candidate, cutoff time.Time) bool {
	if len(cs) == 0 || cutoff.IsZero() {
		return false
	}
	for _, c := range cs {
		if c.Published.IsZero() || c.Published.After(cutoff) {
			return false
		}
	}
	return true
}

func (p *npmProject) tree(dir string) ([]lockfile.Package, error) {
	return lockfile.ParseFile(filepath.Join(dir, "package-lock.json"))
}

func (p *npmProject) install(ctx context.Context, dir string) (string, []string, error) {
	out, err := p.npm(ctx, dir, "ci")
	if err != nil {
		return out, nil, err
	}
	withScripts, err := installScripts(dir)
	if err != nil {
		return out, nil, err
	}
	run, skipped := newScriptPolicy(dir, p.allow).split(withScripts)
	if len(run) > 0 {
		// npm rebuild runs the install scripts of the packages named
		// (name@version, so that only the version allowed runs).
		args := append([]string{"rebuild", "--ignore-scripts=false", "--no-audit", "--no-fund", "--"}, run...)
		more, _, err := runTail(ctx, dir, p.test_.env, p.test_.timeout, "npm", args...)
		out += more
		if err != nil {
			return out, skipped, fmt.Errorf("npm rebuild %s (allowed to run install scripts): %w", strings.Join(run, " "), err)
		}
	}
	return out, skipped, nil
}

// npm runs an npm command that installs, with install scripts off: a
// flag, so no .npmrc or environment turns them back on.
func (p *npmProject) npm(ctx context.Context, dir, cmd string, args ...string) (string, error) {
	argv := append([]string{cmd, "--ignore-scripts", "--no-audit", "--no-fund"}, args...)
	out, _, err := runTail(ctx, dir, p.test_.env, p.test_.timeout, "npm", argv...)
	if err != nil {
		return out, fmt.Errorf("npm %s: %w", cmd, err)
	}
	return out, nil
}

func (p *npmProject) test(ctx context.Context, dir string) (string, bool, error) {
	return p.test_.run(ctx, dir, "npm", "test")
}

// suspects cannot narrow an npm test run: its output does not say which
// package a failure comes from.
func (p *npmProject) suspects(context.Context, string, string, []Candidate) [][]Candidate {
	return nil
}

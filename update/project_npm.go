package update

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// npmProject updates npm packages by rewriting their ranges in
// package.json and running npm install, and tests with npm test (or the
// given command). npm reads the copied .npmrc, so registry tokens reach
// it without passing through Bulwark's output.
type npmProject struct {
	finder npmFinder
	test_  testCmd
}

var _ project = (*npmProject)(nil)

func (p *npmProject) ecosystem() string { return NPM }
func (p *npmProject) files() []string   { return []string{"package.json", "package-lock.json"} }

func (p *npmProject) find(ctx context.Context, dir string) ([]Candidate, []string, error) {
	return p.finder.find(ctx, dir)
}

func (p *npmProject) install(ctx context.Context, dir string, cs []Candidate) (string, error) {
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
	}
	args := []string{"install", "--no-audit", "--no-fund"}
	if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err == nil && len(cs) == 0 {
		args = []string{"ci", "--no-audit", "--no-fund"}
	}
	out, _, err := runTail(ctx, dir, p.test_.env, p.test_.timeout, "npm", args...)
	if err != nil {
		return out, fmt.Errorf("npm %s: %w", args[0], err)
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

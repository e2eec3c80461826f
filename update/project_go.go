package update

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// goProject updates Go modules with go get and go mod tidy and tests with
// go test ./... (or the given command).
type goProject struct {
	finder goFinder
	test_  testCmd
}

var _ project = (*goProject)(nil)

func (p *goProject) ecosystem() string { return Go }
func (p *goProject) files() []string   { return []string{"go.mod", "go.sum"} }

func (p *goProject) find(ctx context.Context, dir string) ([]Candidate, ladders, []string, error) {
	return p.finder.find(ctx, dir)
}

// lock runs go get and go mod tidy, which download modules but run none
// of their code: Go has no install scripts.
func (p *goProject) lock(ctx context.Context, dir string, cs []Candidate) (string, error) {
	limit := p.test_.timeout
	if len(cs) > 0 {
		args := []string{"get", "--"} // a module path never read as a flag
		for _, c := range cs {
			if c.NewPath != "" {
				return "", fmt.Errorf("%s %s moves to %s: rewrite its imports by hand", c.Name, c.To, c.NewPath)
			}
			args = append(args, c.Name+"@"+c.To)
		}
		if out, _, err := runTail(ctx, dir, p.test_.env, limit, "go", args...); err != nil {
			return out, fmt.Errorf("go get: %w", err)
		}
	}
	out, _, err := runTail(ctx, dir, p.test_.env, limit, "go", "mod", "tidy")
	if err != nil {
		return out, fmt.Errorf("go mod tidy: %w", err)
	}
	return out, nil
}

// tree lists the modules of go.mod (all of them since Go 1.17, whose
// go.mod lists every module a build needs).
func (p *goProject) tree(dir string) ([]lockfile.Package, error) {
	return lockfile.ParseFile(filepath.Join(dir, "go.mod"))
}

func (p *goProject) install(context.Context, string) (string, []string, error) { return "", nil, nil }

func (p *goProject) test(ctx context.Context, dir string) (string, bool, error) {
	return p.test_.run(ctx, dir, "go", "test", "./...")
}

// goFail matches go test's per-package failure lines:
// "FAIL\texample.com/p\t0.01s", "FAIL\texample.com/p [build failed]".
var goFail = regexp.MustCompile(`(?m)^FAIL\s+(\S+)(?:\s+\[(?:build|setup) failed\]|\s+\d+(?:\.\d+)?s)\s*$`)

// suspects maps each failing package to the candidates among its
// dependencies (those of its test binary): a package's result depends
// only on the code it imports, so a candidate no failing package imports
// did not cause the failure.
func (p *goProject) suspects(ctx context.Context, dir, output string, cs []Candidate) [][]Candidate {
	ms := goFail.FindAllStringSubmatch(output, -1)
	if len(ms) == 0 || len(ms) > 20 {
		return nil
	}
	var out [][]Candidate
	for _, m := range ms {
		pkg := m[1]
		list, err := runOut(ctx, dir, p.test_.env, "go", "list", "-e", "-test", "-f", `{{.ImportPath}} {{join .Deps " "}}`, pkg)
		if err != nil {
			return nil
		}
		deps := strings.Fields(string(list))
		var s []Candidate
		for _, c := range cs {
			for _, d := range deps {
				if d == c.Name || strings.HasPrefix(d, c.Name+"/") {
					s = append(s, c)
					break
				}
			}
		}
		if len(s) == 0 {
			return nil // a failure none of the candidates explains: do not narrow
		}
		out = append(out, s)
	}
	return out
}

// goTestEnv is the environment of go commands in copies.
func goTestEnv(base []string) []string {
	return append(base, "GOWORK=off", "GOTOOLCHAIN=local")
}

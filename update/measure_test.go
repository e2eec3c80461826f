package update

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// twentyFixture publishes example.com/d00 … d19, each at v1.0.0 and
// v1.1.0, where v1.1.0 of d03 and d15 breaks its users' tests, and writes
// an app of packages (pkgs of them, each importing 20/pkgs of the
// modules) requiring all at v1.0.0.
func twentyFixture(t *testing.T, pkgs int) (dir string, env []string) {
	t.Helper()
	var mods []modVersion
	var req strings.Builder
	for i := range 20 {
		path := fmt.Sprintf("example.com/d%02d", i)
		good := fmt.Sprintf("package d%02d\n\nfunc V() int { return %d }\n", i, i)
		next := good
		if i == 3 || i == 15 {
			next = fmt.Sprintf("package d%02d\n\nfunc V() int { return %d }\n", i, -1)
		}
		mods = append(mods,
			modVersion{path: path, version: "v1.0.0", files: map[string]string{"v.go": good}},
			modVersion{path: path, version: "v1.1.0", files: map[string]string{"v.go": next}})
		fmt.Fprintf(&req, "\t%s v1.0.0\n", path)
	}
	env = goEnv(t, writeProxy(t, mods))
	dir = t.TempDir()
	write(t, dir, "go.mod", "module example.com/app\n\ngo 1.21\n\nrequire (\n"+req.String()+")\n")
	per := 20 / pkgs
	for p := range pkgs {
		var imports, checks strings.Builder
		for i := p * per; i < (p+1)*per; i++ {
			fmt.Fprintf(&imports, "\t\"example.com/d%02d\"\n", i)
			fmt.Fprintf(&checks, "\tif d%02d.V() != %d {\n\t\tt.Errorf(\"d%02d.V() = %%d, want %d\", d%02d.V())\n\t}\n", i, i, i, i, i)
		}
		write(t, dir, fmt.Sprintf("p%d/p_test.go", p), fmt.Sprintf("package p%d\n\nimport (\n\t\"testing\"\n\n%s)\n\nfunc TestV(t *testing.T) {\n%s}\n", p, imports.String(), checks.String()))
	}
	run(t, dir, env, "go", "mod", "tidy")
	return dir, env
}

// TestGroupBisectionRuns measures the goal: on 20 outdated dependencies of
// which 2 break the tests, grouping with bisection finds both culprits in
// at most a third of the runs one by one needs. Print it with
//
//	go test -run TestGroupBisectionRuns -v ./update/
func TestGroupBisectionRuns(t *testing.T) {
	dir, env := twentyFixture(t, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	opts := Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute}
	culprits := func(rep *Report) []string {
		var out []string
		for _, r := range rep.Results {
			if r.Status == Failed {
				out = append(out, r.Name)
			}
		}
		slices.Sort(out)
		return out
	}
	want := []string{"example.com/d03", "example.com/d15"}

	o := opts
	o.Group = true
	start := time.Now()
	rep, err := Run(ctx, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if got := culprits(rep); !slices.Equal(got, want) {
		t.Fatalf("group: culprits %v, want %v", got, want)
	}
	oneByOne := len(rep.Results) // one run per candidate, by definition
	t.Logf("20 dependencies, 2 breaking, 5 packages: --group %d test runs (%s), one by one %d", rep.Runs, time.Since(start).Round(time.Second), oneByOne)
	if rep.Runs*3 > oneByOne {
		t.Errorf("--group took %d runs, more than a third of one by one's %d", rep.Runs, oneByOne)
	}
	if testing.Short() {
		return
	}
	start = time.Now()
	rep1, err := Run(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := culprits(rep1); !slices.Equal(got, want) || rep1.Runs != oneByOne {
		t.Errorf("one by one: culprits %v in %d runs, want %v in %d", got, rep1.Runs, want, oneByOne)
	}
	t.Logf("one by one: %d runs (%s)", rep1.Runs, time.Since(start).Round(time.Second))

	// Without per-package evidence (one package imports all twenty), the
	// halving alone needs more runs; recorded, not asserted.
	dir1, env1 := twentyFixture(t, 1)
	o.Env = env1
	rep2, err := Run(ctx, dir1, o)
	if err != nil {
		t.Fatal(err)
	}
	if got := culprits(rep2); !slices.Equal(got, want) {
		t.Errorf("one package: culprits %v, want %v", got, want)
	}
	t.Logf("one package importing all 20: --group %d test runs", rep2.Runs)
}

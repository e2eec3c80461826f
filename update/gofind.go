package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// goFinder finds newer versions of the modules a go.mod requires directly,
// through the module proxy protocol, honouring GOPROXY, GOPRIVATE and
// GONOPROXY as the go command sees them in the project (its environment
// and go env file).
type goFinder struct {
	env    []string  // environment of go commands
	cutoff time.Time // versions published after it wait (see pick); zero: none
	client *http.Client
}

func (f *goFinder) find(ctx context.Context, dir string) ([]Candidate, ladders, []string, error) {
	path := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading go.mod: %w", err)
	}
	mf, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("parsing %w", err)
	}
	out, err := runOut(ctx, dir, f.env, "go", "env", "-json", "GOPROXY", "GONOPROXY", "GOPRIVATE")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading the go environment in %s: %w", dir, err)
	}
	var goenv struct{ GOPROXY, GONOPROXY, GOPRIVATE string }
	if err := json.Unmarshal(out, &goenv); err != nil {
		return nil, nil, nil, fmt.Errorf("reading go env output: %w", err)
	}
	noproxy := goenv.GONOPROXY
	if noproxy == "" {
		noproxy = goenv.GOPRIVATE
	}
	proxy := &goProxy{entries: parseGOPROXY(goenv.GOPROXY), client: f.client}
	var (
		cands []Candidate
		notes []string
		lads  = ladders{}
	)
	for _, r := range mf.Require {
		if r.Indirect {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		lister := func(p string) ([]string, error) {
			if module.MatchPrefixPatterns(noproxy, p) {
				return f.goList(ctx, dir, p)
			}
			v, err := proxy.versions(ctx, p)
			if errors.Is(err, errDirect) {
				return f.goList(ctx, dir, p)
			}
			return v, err
		}
		modData := func(p, v string) ([]byte, error) {
			if module.MatchPrefixPatterns(noproxy, p) {
				return nil, errDirect
			}
			ev, err := module.EscapeVersion(v)
			if err != nil {
				return nil, err
			}
			return proxy.get(ctx, p, ev+".mod")
		}
		published := func(p, v string) time.Time {
			if module.MatchPrefixPatterns(noproxy, p) {
				return f.goListTime(ctx, dir, p, v)
			}
			ev, err := module.EscapeVersion(v)
			if err != nil {
				return time.Time{}
			}
			data, err := proxy.get(ctx, p, ev+".info")
			if errors.Is(err, errDirect) {
				return f.goListTime(ctx, dir, p, v)
			}
			if err != nil {
				return time.Time{}
			}
			return infoTime(data)
		}
		c, lad, skipped, err := goCandidates(r.Mod, lister, modData, f.cutoff, published)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("finding updates of %s: %w", r.Mod.Path, err)
		}
		if len(c) == 0 {
			for _, n := range skipped {
				notes = append(notes, r.Mod.Path+": "+n)
			}
		}
		for i := range c {
			if c[i].Kind == Major {
				n := countImporters(dir, r.Mod.Path)
				c[i].Notes = append(c[i].Notes, fmt.Sprintf("import path changes to %s: rewrite the imports in %d file(s), then adapt to its API", c[i].NewPath, n))
			}
		}
		if len(c) > 0 {
			lads[Go+":"+r.Mod.Path] = lad
		}
		cands = append(cands, c...)
	}
	return cands, lads, notes, nil
}

// goCandidates returns the newest patch, minor and major of m, skipping
// retracted versions (read from the newest version's go.mod) with a note
// and noting a deprecated module; for a patch or minor published after
// cutoff, also the newest of its kind published before. The ladder holds
// the versions of m's major bisection may try.
func goCandidates(m module.Version, list func(path string) ([]string, error), modData func(path, version string) ([]byte, error),
	cutoff time.Time, published func(path, version string) time.Time) ([]Candidate, *ladder, []string, error) {
	vs, err := list(m.Path)
	if err != nil {
		return nil, nil, nil, err
	}
	vs = releases(m.Version, vs)
	var notes []string
	latest := ""
	for _, v := range vs {
		if latest == "" || semver.Compare(v, latest) > 0 {
			latest = v
		}
	}
	if latest != "" && semver.Compare(latest, m.Version) > 0 {
		if data, err := modData(m.Path, latest); err == nil {
			if lf, err := modfile.ParseLax(m.Path+"@"+latest+"/go.mod", data, nil); err == nil {
				if lf.Module != nil && lf.Module.Deprecated != "" {
					notes = append(notes, "module deprecated: "+lf.Module.Deprecated)
				}
				var keep []string
				for _, v := range vs {
					if why, ok := retracted(lf.Retract, v); ok {
						if semver.Compare(v, m.Version) > 0 {
							notes = append(notes, "skipped "+v+": retracted"+why)
						}
						continue
					}
					keep = append(keep, v)
				}
				vs = keep
			}
		}
	}
	times := map[string]time.Time{}
	var timesMu sync.Mutex // the ladder asks during bisection, maybe in parallel
	when := func(v string) time.Time {
		timesMu.Lock()
		defer timesMu.Unlock()
		t, ok := times[v]
		if !ok && published != nil {
			t = published(m.Path, v)
			times[v] = t
		}
		return t
	}
	candidate := func(to string) Candidate {
		return Candidate{Ecosystem: Go, Name: m.Path, From: m.Version, To: to, Kind: kindOf(Go, m.Version, to),
			Notes: notes, ReleaseNotes: goReleaseNotes(m.Path, to), Published: when(to)}
	}
	lad := &ladder{versions: sameMajor(Go, m.Version, vs), make: func(_ context.Context, to string) Candidate { return candidate(to) }}
	var out []Candidate
	for _, to := range pick(Go, m.Version, vs, cutoff, when) {
		if k := kindOf(Go, m.Version, to); k != Major {
			out = append(out, candidate(to))
		}
	}
	if next, v := nextMajor(m, list); v != "" {
		out = append(out, Candidate{Ecosystem: Go, Name: m.Path, From: m.Version, To: v, Kind: Major, NewPath: next,
			ReleaseNotes: goReleaseNotes(next, v)})
	}
	return out, lad, notes, nil
}

// releases keeps the valid release versions (no pre-releases, and
// +incompatible only if from is one).
func releases(from string, vs []string) []string {
	var out []string
	for _, v := range vs {
		if !semver.IsValid(v) || semver.Prerelease(v) != "" {
			continue
		}
		if strings.HasSuffix(v, "+incompatible") != strings.HasSuffix(from, "+incompatible") {
			continue
		}
		out = append(out, v)
	}
	return out
}

func retracted(rs []*modfile.Retract, v string) (string, bool) {
	for _, r := range rs {
		if semver.Compare(r.Low, v) <= 0 && semver.Compare(v, r.High) <= 0 {
			if r.Rationale != "" {
				return " (" + r.Rationale + ")", true
			}
			return "", true
		}
	}
	return "", false
}

// nextMajor finds the newest release of the highest major module path
// after m's (m/v2, m/v3, …; at most five majors ahead).
func nextMajor(m module.Version, list func(string) ([]string, error)) (path, v string) {
	prefix, pathMajor, ok := module.SplitPathVersion(m.Path)
	if !ok || strings.HasPrefix(m.Path, "gopkg.in/") {
		return "", ""
	}
	n := 1
	if pathMajor != "" {
		n, _ = strconv.Atoi(strings.TrimPrefix(pathMajor, "/v"))
	}
	for k := n + 1; k <= n+5; k++ {
		p := fmt.Sprintf("%s/v%d", prefix, k)
		vs, err := list(p)
		if err != nil {
			break
		}
		best := ""
		for _, x := range releases("", vs) {
			if semver.Major(x) == fmt.Sprintf("v%d", k) && (best == "" || semver.Compare(x, best) > 0) {
				best = x
			}
		}
		if best == "" {
			break
		}
		path, v = p, best
	}
	return path, v
}

// goList asks the go command for the versions of path (private modules,
// and GOPROXY lists that reach "direct").
func (f *goFinder) goList(ctx context.Context, dir, path string) ([]string, error) {
	out, err := runOut(ctx, dir, f.env, "go", "list", "-m", "-versions", "-json", "--", path)
	if err != nil {
		return nil, err
	}
	var m struct{ Versions []string }
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("reading go list output: %w", err)
	}
	return m.Versions, nil
}

// goListTime asks the go command when version v of path was published
// (modules not fetched through a proxy); zero if it cannot tell.
func (f *goFinder) goListTime(ctx context.Context, dir, path, v string) time.Time {
	out, err := runOut(ctx, dir, f.env, "go", "list", "-m", "-json", "--", path+"@"+v)
	if err != nil {
		return time.Time{}
	}
	return infoTime(out)
}

// infoTime reads the Time of a proxy's .info file (or go list -m -json
// output); zero if there is none.
func infoTime(data []byte) time.Time {
	var info struct{ Time time.Time }
	if json.Unmarshal(data, &info) != nil {
		return time.Time{}
	}
	return info.Time
}

func goReleaseNotes(path, v string) string {
	parts := strings.Split(path, "/")
	if len(parts) >= 3 && parts[0] == "github.com" {
		return "https://github.com/" + parts[1] + "/" + parts[2] + "/releases/tag/" + v
	}
	return ""
}

// countImporters counts the .go files under dir that import path or a
// package below it.
func countImporters(dir, path string) int {
	n := 0
	fset := token.NewFileSet()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && (d.Name() == "vendor" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return nil
		}
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			if ip == path || strings.HasPrefix(ip, path+"/") {
				n++
				break
			}
		}
		return nil
	})
	return n
}

package update

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// Options configure [Run]. The zero value tries every non-major update
// one by one with the detected test command.
type Options struct {
	Group   bool          // try all candidates together, bisecting a failing group down to the culprits
	Jobs    int           // trials run in parallel. If zero, 1.
	Test    []string      // the test command (argv). If nil, go test ./... or npm test.
	Timeout time.Duration // limit of each install and each test run. If zero, 10 minutes.
	Major   bool          // also try npm major updates (Go majors change the import path and are only reported)
	DryRun  bool          // list candidates, run nothing

	Env           []string   // environment of the commands run. If nil, os.Environ().
	WorkDir       string     // where the isolated copies go. If empty, os.TempDir().
	Keep          bool       // keep the copies for inspection
	NpmUserConfig string     // the user's .npmrc. If empty, $NPM_CONFIG_USERCONFIG or ~/.npmrc.
	Advisories    Advisories // if nil, no security ordering
	// AllowScripts names the npm packages whose install scripts run in
	// trials and --apply (with npm rebuild, after an install with scripts
	// off), besides those the project trusts already (pnpm's
	// onlyBuiltDependencies, bun's trustedDependencies). If empty, only
	// those. No other dependency's install script ever runs.
	AllowScripts []string
	// MinReleaseAge holds back versions published less than this long
	// ago (npm's time, the Go proxy's .info): they are listed as waiting,
	// with the day they become eligible, and not tried, unless they fix
	// an advisory. An npm trial also resolves the rest of the tree with
	// npm's --before, so no young version comes in as a dependency. If
	// zero, [DefaultMinReleaseAge]; negative: no wait.
	MinReleaseAge time.Duration
	// TestNetwork lets the tests reach the network. By default, on Linux
	// where the machine allows it, each test run is in a network
	// namespace of its own with only a loopback (installs still reach the
	// registries), and the report says when it could not be.
	TestNetwork bool
	// Push is the git remote (a name, URL or path) [Apply] pushes its
	// branch to, under the same name. If empty, nothing is pushed.
	Push       string
	HTTPClient *http.Client     // for registries. If nil, a client with a 30s timeout.
	Logger     *slog.Logger     // if nil, nothing is logged
	Now        func() time.Time // if nil, time.Now
}

// DefaultMinReleaseAge is the minimum release age when
// [Options.MinReleaseAge] is zero: most malicious versions published to
// the npm registry are found and taken down within days.
const DefaultMinReleaseAge = 3 * 24 * time.Hour

// ErrNoProject is returned by [Run] for a directory with neither go.mod
// nor package.json.
var ErrNoProject = errors.New("no go.mod or package.json")

// A SetupError says the project could not be tried at all: its tests
// fail without any update, or a registry could not be read.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

func (o *Options) defaults() {
	if o.Jobs < 1 {
		o.Jobs = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	if o.Env == nil {
		o.Env = os.Environ()
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MinReleaseAge == 0 {
		o.MinReleaseAge = DefaultMinReleaseAge
	}
	if o.NpmUserConfig == "" {
		o.NpmUserConfig = getenv(o.Env, "NPM_CONFIG_USERCONFIG")
		if o.NpmUserConfig == "" {
			o.NpmUserConfig = getenv(o.Env, "npm_config_userconfig")
		}
		if home := getenv(o.Env, "HOME"); o.NpmUserConfig == "" && home != "" {
			o.NpmUserConfig = filepath.Join(home, ".npmrc")
		}
	}
}

// getenv looks key up in env (last one wins, as exec does).
func getenv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// isolation returns how to run the tests without network, whether they
// will be, and a note for the report when they will not.
func (o *Options) isolation(ctx context.Context) (isolation, bool, string) {
	if o.TestNetwork {
		return isolation{}, false, "the tests ran with network access (--test-network)"
	}
	iso, why := probeIsolation(ctx, o.Env)
	if !iso.ok() {
		return iso, false, "the tests ran with network access: " + why
	}
	return iso, true, ""
}

// cutoff returns the time after which a version published is too young
// to try at now; zero if none is.
func (o *Options) cutoff(now time.Time) time.Time {
	if o.MinReleaseAge < 0 {
		return time.Time{}
	}
	return now.Add(-o.MinReleaseAge)
}

// projects returns the ecosystems found in dir, as seen at now (versions
// too young then wait).
func projects(dir string, o *Options, now time.Time, iso *isolation) []project {
	cutoff := o.cutoff(now)
	tc := testCmd{command: o.Test, env: goTestEnv(slices.Clone(o.Env)), timeout: o.Timeout, iso: iso}
	var ps []project
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		ps = append(ps, &goProject{finder: goFinder{env: tc.env, cutoff: cutoff, client: o.HTTPClient}, test_: tc})
	}
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
		getenv := func(k string) string { return getenv(o.Env, k) }
		ps = append(ps, &npmProject{finder: npmFinder{now: now, cutoff: cutoff, userconfig: o.NpmUserConfig, getenv: getenv, client: o.HTTPClient},
			test_: testCmd{command: o.Test, env: o.Env, timeout: o.Timeout, iso: iso}, allow: o.AllowScripts, cutoff: cutoff})
	}
	return ps
}

// Run finds the updates of the project in dir and tries them in isolated
// copies, never writing to dir. The error is a [*SetupError] (or
// [ErrNoProject]) when nothing could be tried; failing updates are not an
// error but results in the report ([Report.Failed]).
func Run(ctx context.Context, dir string, o Options) (*Report, error) {
	o.defaults()
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	now := o.Now()
	cutoff := o.cutoff(now)
	iso := &isolation{}
	ps := projects(dir, &o, now, iso)
	if len(ps) == 0 {
		return nil, fmt.Errorf("%s: %w: run bulwark update in a Go module or an npm project", dir, ErrNoProject)
	}
	rep := &Report{Dir: dir, Date: now, Group: o.Group}
	found := map[string][]Candidate{}
	var all []Candidate
	lads := ladders{}
	for _, p := range ps {
		cs, ls, notes, err := p.find(ctx, dir)
		if err != nil {
			return nil, &SetupError{fmt.Errorf("finding %s updates: %w", p.ecosystem(), err)}
		}
		maps.Copy(lads, ls)
		rep.Notes = append(rep.Notes, notes...)
		all = append(all, cs...)
	}
	rep.Notes = append(rep.Notes, markSecurity(ctx, o.Advisories, all)...)
	waiting := holdYoung(all, cutoff, o.MinReleaseAge)
	blocked, notes, err := checkCandidates(ctx, o.Advisories, all)
	if err != nil {
		return nil, &SetupError{err}
	}
	rep.Notes = append(rep.Notes, notes...)
	for _, ms := range blocked {
		rep.Malicious = append(rep.Malicious, ms...)
	}
	for _, c := range all {
		_, wait := waiting[c.ID()]
		if _, bad := blocked[c.ID()]; !wait && !bad {
			found[c.Ecosystem] = append(found[c.Ecosystem], c)
		}
	}
	findings := map[string]finding{}
	if !o.DryRun && len(all) > 0 {
		var note string
		*iso, rep.TestsOffline, note = o.isolation(ctx)
		if note != "" {
			rep.Notes = append(rep.Notes, note)
		}
		work, err := os.MkdirTemp(o.WorkDir, "bulwark-update-")
		if err != nil {
			return nil, &SetupError{fmt.Errorf("creating a work directory: %w", err)}
		}
		if !o.Keep {
			defer os.RemoveAll(work)
		}
		t := &trialer{src: dir, work: work, keep: o.Keep, adv: o.Advisories, log: o.Logger}
		// admit holds the versions bisection lands on to the same rules
		// as the candidates: advisories marked, young ones wait,
		// malicious ones are never installed.
		var (
			admitMu sync.Mutex
			refused []Candidate // blocked as malicious, for the report
		)
		admit := func(ctx context.Context, c *Candidate) string {
			one := []Candidate{*c}
			markSecurity(ctx, o.Advisories, one)
			wait := holdYoung(one, cutoff, o.MinReleaseAge)
			*c = one[0]
			if at, ok := wait[c.ID()]; ok {
				return fmt.Sprintf("published %s, younger than the minimum release age: tried from %s",
					c.Published.UTC().Format("2006-01-02 15:04 MST"), at.UTC().Format("2006-01-02"))
			}
			bad, _, err := checkCandidates(ctx, o.Advisories, one)
			if err != nil {
				return "not tried: " + err.Error()
			}
			if ms := bad[c.ID()]; len(ms) > 0 {
				admitMu.Lock()
				blocked[c.ID()] = ms
				rep.Malicious = append(rep.Malicious, ms...)
				refused = append(refused, *c)
				admitMu.Unlock()
				return "not installed: " + ms[0].String()
			}
			return ""
		}
		for _, p := range ps {
			cs := tryable(found[p.ecosystem()], o.Major)
			if len(cs) == 0 {
				continue
			}
			base := t.try(ctx, p, nil)
			if base.stage == "malicious" {
				rep.Malicious = append(rep.Malicious, base.malware...)
				return rep, &SetupError{fmt.Errorf("%s: the project depends on malicious packages now, before any update (%s): remove them and rotate every secret the machine held; bulwark audit lists them",
					dir, base.tail)}
			}
			if !base.pass {
				rep.Baseline = append(rep.Baseline, fmt.Sprintf("%s: the tests fail before any update (%s):\n%s", p.ecosystem(), base.stage, base.tail))
				hint := "fix them or give --test"
				if rep.TestsOffline {
					hint += ", or --test-network if they need the network (they run without it)"
				}
				return rep, &SetupError{fmt.Errorf("%s: the %s tests fail before any update, so no update can be judged: %s (%s output ends: %s)",
					dir, p.ecosystem(), hint, base.stage, tailLines(base.tail, 3))}
			}
			try := func(ctx context.Context, cs []Candidate) outcome { return t.try(ctx, p, cs) }
			res := trySet(ctx, cs, try, o)
			more, bs := bisect(ctx, cs, lads, res, try, admit, o.Jobs)
			for k, v := range res {
				findings[k] = v
			}
			all = insertByDep(all, more)
			rep.Bisections = append(rep.Bisections, bs...)
		}
		all = insertByDep(all, refused)
		rep.Runs = int(t.runs.Load())
	}
	rep.Results = results(all, findings, waiting, blocked, o)
	for _, k := range slices.Sorted(maps.Keys(findings)) {
		rep.Malicious = append(rep.Malicious, findings[k].o.malware...)
	}
	rep.Malicious = uniqueMalware(rep.Malicious)
	return rep, ctx.Err()
}

// checkCandidates checks the candidate versions themselves against the
// malicious-package advisories, before anything is resolved, and returns
// those found by candidate ID. Without advisories it says, in a note,
// that nothing was checked.
func checkCandidates(ctx context.Context, adv Advisories, cs []Candidate) (map[string][]Malware, []string, error) {
	blocked := map[string][]Malware{}
	if len(cs) == 0 {
		return blocked, nil, nil
	}
	if adv == nil {
		return blocked, []string{"no advisory database: the candidates and what they pull in were not checked for malicious packages (bulwark db update npm Go)"}, nil
	}
	pkgs := make([]lockfile.Package, len(cs))
	for i, c := range cs {
		pkgs[i] = lockfile.Package{Ecosystem: c.Ecosystem, Name: c.Name, Version: trimV(c.Ecosystem, c.To)}
	}
	ms, err := adv.Malicious(ctx, pkgs)
	if err != nil {
		return nil, nil, fmt.Errorf("checking the candidates for malicious packages: %w", err)
	}
	for _, m := range ms {
		for _, c := range cs {
			if c.Ecosystem == m.Ecosystem && c.Name == m.Name && trimV(c.Ecosystem, c.To) == m.Version {
				blocked[c.ID()] = append(blocked[c.ID()], m)
			}
		}
	}
	return blocked, nil, nil
}

func uniqueMalware(ms []Malware) []Malware {
	seen := map[string]bool{}
	var out []Malware
	for _, m := range ms {
		if k := m.String(); !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out
}

// holdYoung returns the candidates published after cutoff that wait, each
// with the time it becomes eligible, and marks Early those that are tried
// all the same because they fix advisories.
func holdYoung(cs []Candidate, cutoff time.Time, age time.Duration) map[string]time.Time {
	waiting := map[string]time.Time{}
	if cutoff.IsZero() {
		return waiting
	}
	for i, c := range cs {
		if !c.Published.After(cutoff) {
			continue
		}
		if len(c.Advisories) > 0 {
			cs[i].Early = true
			cs[i].Flags = append(cs[i].Flags, Flag{FlagEarly, fmt.Sprintf("published %s, younger than the minimum release age: tried early for its fix",
				c.Published.UTC().Format("2006-01-02 15:04 MST"))})
			continue
		}
		waiting[c.ID()] = c.Published.Add(age)
	}
	return waiting
}

// tryable returns the candidates to try: all but majors (npm majors with
// --major; Go majors never, as their import path changes).
func tryable(cs []Candidate, major bool) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if c.Kind != Major || major && c.NewPath == "" {
			out = append(out, c)
		}
	}
	return out
}

// trySet tries cs one by one, or grouped: the newest candidate of each
// dependency together, bisected, then the older candidates of the
// dependencies whose newest failed, one by one.
func trySet(ctx context.Context, cs []Candidate, try tryFunc, o Options) map[string]finding {
	if !o.Group {
		return oneByOne(ctx, cs, try, o.Jobs)
	}
	var top, lower []Candidate
	seen := map[string]bool{}
	for _, c := range newestFirst(cs) {
		if seen[c.dep()] {
			lower = append(lower, c)
			continue
		}
		seen[c.dep()] = true
		top = append(top, c)
	}
	res := groupSearch(ctx, keepOrder(cs, top), try, o.Jobs)
	var retry []Candidate
	for _, c := range keepOrder(cs, lower) {
		// Only the newest passing version of a dependency is wanted.
		if passedDep(res, cs, c) {
			continue
		}
		retry = append(retry, c)
	}
	for k, v := range oneByOne(ctx, retry, try, o.Jobs) {
		res[k] = v
	}
	return res
}

func passedDep(res map[string]finding, cs []Candidate, c Candidate) bool {
	for _, x := range cs {
		if x.dep() == c.dep() && res[x.ID()].pass {
			return true
		}
	}
	return false
}

// newestFirst orders cs by dependency, newest version first.
func newestFirst(cs []Candidate) []Candidate {
	first := map[string]int{}
	for i, c := range cs {
		if _, ok := first[c.dep()]; !ok {
			first[c.dep()] = i
		}
	}
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b Candidate) int {
		if d := first[a.dep()] - first[b.dep()]; d != 0 {
			return d
		}
		return -compareVersions(a.Ecosystem, a.To, b.To)
	})
	return out
}

// keepOrder returns the members of sub in the order they have in cs.
func keepOrder(cs, sub []Candidate) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if slices.ContainsFunc(sub, func(s Candidate) bool { return s.ID() == c.ID() }) {
			out = append(out, c)
		}
	}
	return out
}

// results turns the findings into the report's rows, choosing per
// dependency the newest passing candidate to keep.
func results(all []Candidate, findings map[string]finding, waiting map[string]time.Time, blocked map[string][]Malware, o Options) []Result {
	out := make([]Result, 0, len(all))
	keep := map[string]Candidate{}
	for _, c := range all {
		if f, ok := findings[c.ID()]; ok && f.pass {
			if k, ok := keep[c.dep()]; !ok || compareVersions(c.Ecosystem, c.To, k.To) > 0 {
				keep[c.dep()] = c
			}
		}
	}
	for _, c := range all {
		r := Result{Candidate: c, Status: Listed}
		f, tried := findings[c.ID()]
		switch {
		case len(blocked[c.ID()]) > 0:
			r.Status, r.How = Blocked, "not installed: "+blocked[c.ID()][0].String()
		case tried && f.o.stage == "malicious":
			r.Status, r.How, r.Time, r.Tail = Blocked, "not installed: its tree holds malicious packages", f.o.dur, f.o.tail
		case tried && f.pass:
			r.Status, r.How, r.Time = Passed, f.how, f.o.dur
			r.Keep = keep[c.dep()].ID() == c.ID()
		case tried:
			r.Status, r.How, r.Time, r.Tail = Failed, f.how, f.o.dur, f.o.tail
			r.ScriptsSkipped = f.o.skipped
		case !waiting[c.ID()].IsZero():
			r.Status, r.Eligible = Waiting, waiting[c.ID()]
			r.How = fmt.Sprintf("published %s, younger than the minimum release age: tried from %s",
				c.Published.UTC().Format("2006-01-02 15:04 MST"), r.Eligible.UTC().Format("2006-01-02"))
		case c.Kind == Major && c.NewPath != "":
			r.Status, r.How = Skipped, "module path changes to "+c.NewPath
		case c.Kind == Major && !o.Major:
			r.Status, r.How = Skipped, "major: try with --major"
		case !o.DryRun && keep[c.dep()].ID() != "":
			r.Status, r.How = Skipped, "a newer version passed"
		}
		out = append(out, r)
	}
	return out
}

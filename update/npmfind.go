package update

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/version"
)

// npmFinder finds newer versions of the packages a package.json depends on
// (dependencies and devDependencies), from the registries its .npmrc
// files name.
type npmFinder struct {
	now        time.Time // for the age of new dependencies
	cutoff     time.Time // versions published after it wait (see pick); zero: none
	userconfig string    // the user's .npmrc; empty to skip
	getenv     func(string) string
	client     *http.Client
}

// A packument is the registry's document about one package.
type packument struct {
	DistTags   map[string]string `json:"dist-tags"`
	Versions   map[string]pkgVersion
	Repository json.RawMessage   `json:"repository"`
	Time       map[string]string `json:"time"` // version → publish time (RFC 3339)
}

// published returns when version v was published, or the zero time when
// the packument does not say.
func (p *packument) published(v string) time.Time {
	t, err := time.Parse(time.RFC3339, p.Time[v])
	if err != nil {
		return time.Time{}
	}
	return t
}

type pkgVersion struct {
	Deprecated   json.RawMessage                                  `json:"deprecated"`
	Scripts      lenient[map[string]string]                       `json:"scripts"`
	Dependencies lenient[map[string]string]                       `json:"dependencies"`
	Maintainers  lenient[[]person]                                `json:"maintainers"`
	NpmUser      person                                           `json:"_npmUser"`
	Dist         lenient[struct{ FileCount, UnpackedSize int64 }] `json:"dist"`
}

// lenient decodes a T where the registry may send anything: a value of
// another shape is left zero instead of failing the whole packument.
type lenient[T any] struct{ V T }

func (l *lenient[T]) UnmarshalJSON(data []byte) error {
	var v T
	if json.Unmarshal(data, &v) == nil {
		l.V = v
	}
	return nil
}

// deprecation returns the deprecation message of a version, if any.
func (v pkgVersion) deprecation() string {
	var s string
	if json.Unmarshal(v.Deprecated, &s) == nil && s != "" {
		return s
	}
	return ""
}

// parsePackument decodes a packument (untrusted registry input).
func parsePackument(data []byte) (*packument, error) {
	var p packument
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("decoding packument: %w", err)
	}
	return &p, nil
}

// repoURL returns the https URL of the package's GitHub repository, or "".
func (p *packument) repoURL() string {
	var s string
	if json.Unmarshal(p.Repository, &s) != nil {
		var obj struct{ URL string }
		json.Unmarshal(p.Repository, &obj)
		s = obj.URL
	}
	s = strings.TrimPrefix(s, "git+")
	s = strings.TrimSuffix(s, ".git")
	s = strings.Replace(s, "git://", "https://", 1)
	s = strings.Replace(s, "ssh://git@", "https://", 1)
	if strings.HasPrefix(s, "github:") {
		s = "https://github.com/" + strings.TrimPrefix(s, "github:")
	}
	if !strings.HasPrefix(s, "https://github.com/") {
		return ""
	}
	return s
}

// manifest is the part of package.json update reads.
type manifest struct {
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Scripts         map[string]string `json:"scripts"`
}

func readManifest(dir string) (*manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("reading package.json: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", filepath.Join(dir, "package.json"), err)
	}
	return &m, nil
}

func (f *npmFinder) find(ctx context.Context, dir string) ([]Candidate, ladders, []string, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	installed := map[string]string{}
	if pkgs, err := lockfile.ParseFile(filepath.Join(dir, "package-lock.json")); err == nil {
		for _, p := range pkgs {
			if p.Direct && p.Path == nil {
				installed[p.Name] = p.Version
			}
		}
	}
	cfg := loadNpmConfig(f.userconfig, filepath.Join(dir, ".npmrc"), f.getenv)
	type dep struct {
		name, rng string
		dev       bool
	}
	var deps []dep
	for n, r := range m.Dependencies {
		deps = append(deps, dep{n, r, false})
	}
	for n, r := range m.DevDependencies {
		if _, ok := m.Dependencies[n]; !ok {
			deps = append(deps, dep{n, r, true})
		}
	}
	slices.SortFunc(deps, func(a, b dep) int { return strings.Compare(a.name, b.name) })
	var (
		cands []Candidate
		notes []string
		ages  = map[string]string{} // new dependency → its flag text
		lads  = ladders{}
		// agesMu guards ages once the ladders use it, during bisection.
		agesMu sync.Mutex
	)
	for _, d := range deps {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		from, ok := installed[d.name]
		if !ok {
			from = rangeBase(d.rng)
			if _, err := version.Parse(NPM, from); err != nil {
				notes = append(notes, fmt.Sprintf("%s: %q is not a registry version range; skipped", d.name, d.rng))
				continue
			}
			notes = append(notes, fmt.Sprintf("%s: not in package-lock.json; comparing with %s from its range", d.name, from))
		}
		reg := cfg.registryFor(d.name)
		p, err := f.packument(ctx, reg, d.name, cfg.tokenFor(reg))
		if err != nil {
			return nil, nil, nil, err
		}
		c, skipped, major := npmCandidates(d.name, from, p, f.cutoff)
		lad := &ladder{versions: major, make: func(ctx context.Context, to string) Candidate {
			c := npmCandidate(d.name, from, to, p, skipped)
			c.Dev = d.dev
			agesMu.Lock()
			defer agesMu.Unlock()
			c.Flags = append(c.Flags, f.flagNewDeps(ctx, cfg, newDeps(p, from, to), ages)...)
			return c
		}}
		for i := range c {
			c[i].Dev = d.dev
			c[i].Flags = append(c[i].Flags, f.flagNewDeps(ctx, cfg, newDeps(p, from, c[i].To), ages)...)
		}
		if len(c) == 0 {
			for _, n := range skipped {
				notes = append(notes, d.name+": "+n)
			}
		}
		if len(c) > 0 {
			lads[NPM+":"+d.name] = lad
		}
		cands = append(cands, c...)
	}
	return cands, lads, notes, nil
}

// npmCandidates picks the newest patch, minor and major of a package above
// from and not above dist-tags.latest, skipping deprecated versions, and
// for one published after cutoff the newest of its kind published before.
// It also returns the notes on what was skipped and the eligible versions
// of from's major (for [ladder]).
func npmCandidates(name, from string, p *packument, cutoff time.Time) ([]Candidate, []string, []string) {
	vs, notes := npmEligible(from, p)
	var out []Candidate
	for _, to := range pick(NPM, from, vs, cutoff, p.published) {
		out = append(out, npmCandidate(name, from, to, p, notes))
	}
	return out, notes, sameMajor(NPM, from, vs)
}

// npmEligible returns the versions of p above from and not above
// dist-tags.latest that are neither pre-releases nor deprecated, with a
// note for each deprecated one.
func npmEligible(from string, p *packument) (vs, notes []string) {
	latest := p.DistTags["latest"]
	for v, meta := range p.Versions {
		pv, err := version.Parse(NPM, v)
		if err != nil || strings.Contains(v, "-") || version.Compare(NPM, v, from) <= 0 {
			continue
		}
		if latest != "" && version.Compare(NPM, v, latest) > 0 {
			continue
		}
		if msg := meta.deprecation(); msg != "" {
			notes = append(notes, fmt.Sprintf("skipped %s: deprecated (%s)", pv, msg))
			continue
		}
		vs = append(vs, v)
	}
	slices.Sort(notes)
	return vs, notes
}

// npmCandidate is the update of name from from to to, with what the
// packument says of to.
func npmCandidate(name, from, to string, p *packument, notes []string) Candidate {
	c := Candidate{Ecosystem: NPM, Name: name, From: from, To: to, Kind: kindOf(NPM, from, to), Notes: notes,
		Published: p.published(to), Flags: npmFlags(p, from, to)}
	if repo := p.repoURL(); repo != "" {
		c.ReleaseNotes = repo + "/releases"
	}
	return c
}

// flagNewDeps flags the new dependencies of a candidate, each with the age
// of the package (from its own packument; ages caches the texts).
func (f *npmFinder) flagNewDeps(ctx context.Context, cfg npmConfig, deps []string, ages map[string]string) []Flag {
	var flags []Flag
	for i, d := range deps {
		text, ok := ages[d]
		switch {
		case ok:
		case i >= maxDepLookup:
			text = "new dependency " + d
		default:
			reg := cfg.registryFor(d)
			text = "new dependency " + d
			if p, err := f.packument(ctx, reg, d, cfg.tokenFor(reg)); err != nil {
				text += " (age unknown: " + err.Error() + ")"
			} else if created := p.created(); !created.IsZero() {
				text += " (package " + ageText(f.now, created) + " old)"
				if f.now.Sub(created) < youngPackage {
					text = "new dependency " + d + ", a package only " + ageText(f.now, created) + " old"
				}
			}
			ages[d] = text
		}
		flags = append(flags, Flag{FlagNewDependency, text})
	}
	return flags
}

// created returns when the package was first published: the packument's
// time.created, or its oldest version's time.
func (p *packument) created() time.Time {
	if t, err := time.Parse(time.RFC3339, p.Time["created"]); err == nil {
		return t
	}
	var first time.Time
	for v := range p.Versions {
		if t := p.published(v); !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}

// rangeBase returns the version at the bottom of a simple range
// ("^1.2.3" → "1.2.3").
func rangeBase(r string) string {
	return strings.TrimLeft(strings.TrimSpace(r), "^~=v>")
}

// packument fetches the packument of name from registry.
func (f *npmFinder) packument(ctx context.Context, registry, name string, token secret) (*packument, error) {
	u := registry + strings.Replace(name, "/", "%2f", 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("registry URL for %s: %w", name, err)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+string(token))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the packument of %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the packument of %s from %s: %s (check the registry in .npmrc)", name, registry, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the packument of %s: %w", name, err)
	}
	return parsePackument(data)
}

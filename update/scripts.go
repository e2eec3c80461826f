package update

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Install scripts (preinstall, install, postinstall) are code a package
// author runs on the installing machine with its user's rights. Trials and
// --apply install with them off; only the packages allowed (see
// [newScriptPolicy]) run theirs, after the install, with npm rebuild.

// maxManifest bounds the package.json and lockfiles read here.
const maxManifest = 64 << 20

// A scriptPolicy says which packages may run their install scripts.
type scriptPolicy struct {
	names  map[string]bool // allowed, any version
	pinned map[string]bool // "name@version": allowed at that version only
	denied map[string]bool // never, whatever else says
}

// newScriptPolicy returns the policy of the project in dir with the
// packages allowed by name added: npm's allowScripts field of
// package.json ({"sharp": true, "canvas@2.11.2": true, "evil": false}),
// pnpm's onlyBuiltDependencies (in package.json or pnpm-workspace.yaml)
// and bun's trustedDependencies. An approval pinned to a version does not
// carry over to another version: the script was reviewed at that one.
func newScriptPolicy(dir string, allow []string) scriptPolicy {
	p := scriptPolicy{names: map[string]bool{}, pinned: map[string]bool{}, denied: map[string]bool{}}
	for _, n := range allow {
		p.names[n] = true
	}
	if data, err := readSmall(filepath.Join(dir, "package.json")); err == nil {
		var m struct {
			AllowScripts map[string]json.RawMessage `json:"allowScripts"`
			Pnpm         struct {
				OnlyBuiltDependencies []string `json:"onlyBuiltDependencies"`
			} `json:"pnpm"`
			TrustedDependencies []string `json:"trustedDependencies"`
		}
		json.Unmarshal(data, &m) // what does not decode allows nothing
		for spec, raw := range m.AllowScripts {
			name, version := splitSpec(spec)
			var ok bool
			var rng string
			switch {
			case json.Unmarshal(raw, &ok) == nil && !ok:
				p.denied[name] = true
			case ok && version == "",
				json.Unmarshal(raw, &rng) == nil && rng == "*" && version == "": // the allow-scripts tool's "any version"
				p.names[name] = true
			case ok:
				p.pinned[name+"@"+version] = true // a range ("1 || 2") matches no exact version: not allowed
			}
			// Other ranges (the allow-scripts tool's "1.x.x") allow nothing
			// here: a candidate is a new version, whose script nobody read.
		}
		for _, n := range append(m.Pnpm.OnlyBuiltDependencies, m.TrustedDependencies...) {
			p.names[n] = true
		}
	}
	if data, err := readSmall(filepath.Join(dir, "pnpm-workspace.yaml")); err == nil {
		var w struct {
			OnlyBuiltDependencies []string `yaml:"onlyBuiltDependencies"`
		}
		if yaml.Unmarshal(data, &w) == nil {
			for _, n := range w.OnlyBuiltDependencies {
				p.names[n] = true
			}
		}
	}
	return p
}

func (p scriptPolicy) allows(r pkgRef) bool {
	return !p.denied[r.name] && (p.names[r.name] || p.pinned[r.String()])
}

// splitSpec splits "name@version" ("@scope/name@version"); version is ""
// for a bare name.
func splitSpec(spec string) (name, version string) {
	if i := strings.LastIndex(spec, "@"); i > 0 {
		return spec[:i], spec[i+1:]
	}
	return spec, ""
}

// A pkgRef is one installed package version.
type pkgRef struct{ name, version string }

func (r pkgRef) String() string { return r.name + "@" + r.version }

// installScripts returns the packages of the npm lockfile in dir that
// have install scripts, sorted and without repeats.
func installScripts(dir string) ([]pkgRef, error) {
	data, err := readSmall(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]struct {
			Name             string `json:"name"`
			Version          string `json:"version"`
			HasInstallScript bool   `json:"hasInstallScript"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("reading package-lock.json: %w", err)
	}
	var out []pkgRef
	for path, p := range lock.Packages {
		if !p.HasInstallScript || path == "" {
			continue
		}
		name := p.Name
		if name == "" {
			i := strings.LastIndex(path, "node_modules/")
			if i < 0 {
				continue // a workspace or linked folder: the project's own code
			}
			name = path[i+len("node_modules/"):]
		}
		out = append(out, pkgRef{name, p.Version})
	}
	slices.SortFunc(out, func(a, b pkgRef) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(out), nil
}

// split splits the packages with install scripts into those allowed to
// run them and the names of those skipped.
func (p scriptPolicy) split(withScripts []pkgRef) (run []string, skipped []string) {
	for _, r := range withScripts {
		if p.allows(r) {
			run = append(run, r.String())
		} else if !slices.Contains(skipped, r.name) {
			skipped = append(skipped, r.name)
		}
	}
	return run, skipped
}

func readSmall(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxManifest {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxManifest)
	}
	return os.ReadFile(path)
}

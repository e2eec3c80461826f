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
// --apply install with them off; only the packages allowed by name run
// theirs, after the install, with npm rebuild.

// maxManifest bounds the package.json and lockfiles read here.
const maxManifest = 64 << 20

// projectAllowScripts returns the packages the project in dir already
// trusts to run install scripts: pnpm's onlyBuiltDependencies (in
// package.json or pnpm-workspace.yaml) and bun's trustedDependencies.
func projectAllowScripts(dir string) []string {
	var names []string
	if data, err := readSmall(filepath.Join(dir, "package.json")); err == nil {
		var m struct {
			Pnpm struct {
				OnlyBuiltDependencies []string `json:"onlyBuiltDependencies"`
			} `json:"pnpm"`
			TrustedDependencies []string `json:"trustedDependencies"`
		}
		if json.Unmarshal(data, &m) == nil {
			names = append(names, m.Pnpm.OnlyBuiltDependencies...)
			names = append(names, m.TrustedDependencies...)
		}
	}
	if data, err := readSmall(filepath.Join(dir, "pnpm-workspace.yaml")); err == nil {
		var w struct {
			OnlyBuiltDependencies []string `yaml:"onlyBuiltDependencies"`
		}
		if yaml.Unmarshal(data, &w) == nil {
			names = append(names, w.OnlyBuiltDependencies...)
		}
	}
	return names
}

// installScripts returns the names of the packages of the npm lockfile in
// dir that have install scripts, sorted and without repeats.
func installScripts(dir string) ([]string, error) {
	data, err := readSmall(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]struct {
			Name             string `json:"name"`
			HasInstallScript bool   `json:"hasInstallScript"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("reading package-lock.json: %w", err)
	}
	var out []string
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
		out = append(out, name)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// splitAllowed splits the packages with install scripts into those
// allowed to run them and those skipped.
func splitAllowed(withScripts, allow []string) (run, skipped []string) {
	for _, n := range withScripts {
		if slices.Contains(allow, n) {
			run = append(run, n)
		} else {
			skipped = append(skipped, n)
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

package lockfile

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// yarn.lock of yarn 2 and later ("berry"): YAML, with a __metadata entry,
// descriptors carrying their protocol ("name@npm:^1.0.0") and a
// "resolution" naming what was installed.

func parseYarnBerry(file string, data []byte, m *manifest) ([]Package, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, nil
	}
	var entries []*yarnEntry
	var rootDeps []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value == "__metadata" {
			continue
		}
		if v.Kind != yaml.MappingNode {
			return nil, errorf(file, v.Line, "entry %q: want a mapping of fields, got %s: is this a yarn.lock?", clip(k.Value), kindName(v))
		}
		e := &yarnEntry{line: k.Line}
		for _, d := range strings.Split(k.Value, ",") {
			e.descriptors = append(e.descriptors, strings.TrimSpace(d))
		}
		var resolution string
		var deps []string
		for j := 0; j+1 < len(v.Content); j += 2 {
			fk, fv := v.Content[j], v.Content[j+1]
			switch fk.Value {
			case "version":
				e.version = fv.Value
			case "resolution":
				resolution = fv.Value
			case "dependencies", "optionalDependencies", "peerDependencies":
				for d := 0; d+1 < len(fv.Content); d += 2 {
					deps = append(deps, fv.Content[d].Value+"@"+fv.Content[d+1].Value)
				}
			}
		}
		e.deps = deps
		e.name = yarnDescName(resolution)
		if resolution == "" {
			e.name = yarnName(e.descriptors[0])
		}
		if strings.HasSuffix(resolution, "@workspace:.") {
			rootDeps = deps // the project itself: not a dependency
			if rootDeps == nil {
				rootDeps = []string{}
			}
			continue
		}
		if len(entries) >= maxPackages {
			return nil, errorf(file, k.Line, "more than %d entries: refusing to read further", maxPackages)
		}
		entries = append(entries, e)
	}
	return yarnPackages(file, entries, rootDeps, m), nil
}

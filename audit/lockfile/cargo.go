package lockfile

import "strings"

// Cargo.lock: [[package]] tables with name, version, source and
// dependencies ("name", "name version" or "name version (source)").
// Packages without a source are the workspace's own crates; what they
// depend on is direct.

func parseCargoLock(file string, data []byte, _ *manifest) ([]Package, error) {
	tables, err := tomlPackages(file, data)
	if err != nil {
		return nil, err
	}
	g := &graph{}
	var deps [][]string
	var roots []bool
	for _, t := range tables {
		name, version := tomlString(t.kv["name"]), tomlString(t.kv["version"])
		if name == "" || version == "" {
			return nil, errorf(file, t.line, "[[package]] without a name or version: regenerate it with cargo generate-lockfile")
		}
		local := t.kv["source"] == nil
		g.add(Package{Ecosystem: CratesIO, Name: name, Version: version, Direct: local, File: file, Line: t.line})
		var ds []string
		if arr, ok := t.kv["dependencies"].([]any); ok {
			for _, d := range arr {
				n, _, _ := strings.Cut(tomlString(d), " ")
				ds = append(ds, n)
			}
		}
		deps = append(deps, ds)
		roots = append(roots, local)
	}
	tomlGraph(g, deps, roots)
	return g.finish(false), nil
}

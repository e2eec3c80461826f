package lockfile

// poetry.lock and uv.lock: [[package]] tables with name and version.
// poetry < 1.2 marks development packages with category = "dev"; neither
// names the project's own dependencies except uv, whose project is the
// package with source { virtual = "." } or { editable = "." }.

func parsePoetryLock(file string, data []byte, _ *manifest) ([]Package, error) {
	tables, err := tomlPackages(file, data)
	if err != nil {
		return nil, err
	}
	g := &graph{}
	var deps [][]string
	for _, t := range tables {
		name, version := tomlString(t.kv["name"]), tomlString(t.kv["version"])
		if name == "" || version == "" {
			return nil, errorf(file, t.line, "[[package]] without a name or version: regenerate it with poetry lock")
		}
		g.add(Package{Ecosystem: PyPI, Name: name, Version: version, Dev: t.kv["category"] == "dev", File: file, Line: t.line})
		var ds []string
		for k := range t.kv {
			if n, ok := cutPrefix(k, "dependencies."); ok {
				ds = append(ds, n)
			}
		}
		deps = append(deps, ds)
	}
	tomlGraph(g, deps, make([]bool, len(deps)))
	return g.finish(false), nil
}

func parseUvLock(file string, data []byte, _ *manifest) ([]Package, error) {
	tables, err := tomlPackages(file, data)
	if err != nil {
		return nil, err
	}
	g := &graph{}
	var deps [][]string
	var roots []bool
	var devOf []map[string]bool
	for _, t := range tables {
		name, version := tomlString(t.kv["name"]), tomlString(t.kv["version"])
		if name == "" {
			return nil, errorf(file, t.line, "[[package]] without a name: regenerate it with uv lock")
		}
		src, _ := t.kv["source"].(map[string]any)
		root := src != nil && (src["virtual"] == "." || src["editable"] == ".")
		// the project itself is not a dependency; keep it in the graph for its edges, dropped below
		g.add(Package{Ecosystem: PyPI, Name: name, Version: version, File: file, Line: t.line})
		var ds []string
		dev := map[string]bool{}
		for k, v := range t.kv {
			if k != "dependencies" && !hasPrefix(k, "optional-dependencies.") && !hasPrefix(k, "dev-dependencies.") {
				continue
			}
			arr, _ := v.([]any)
			for _, d := range arr {
				if m, ok := d.(map[string]any); ok {
					n := tomlString(m["name"])
					ds = append(ds, n)
					if hasPrefix(k, "dev-dependencies.") {
						if _, seen := dev[n]; !seen {
							dev[n] = true
						}
					} else {
						dev[n] = false
					}
				}
			}
		}
		deps = append(deps, ds)
		roots = append(roots, root)
		devOf = append(devOf, dev)
	}
	tomlGraph(g, deps, roots)
	for i := range g.pkgs {
		if roots[i] {
			for j, p := range g.pkgs {
				if dv, ok := devOf[i][p.Name]; ok && p.Direct {
					g.devDirect[j] = g.devDirect[j] || dv
				}
			}
		}
	}
	rootLine := map[int]bool{}
	for i, t := range tables {
		rootLine[t.line] = roots[i]
	}
	pkgs := g.finish(anyTrue(roots))
	out := pkgs[:0]
	for _, p := range pkgs {
		if p.Version != "" && !rootLine[p.Line] {
			out = append(out, p)
		}
	}
	return out, nil
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func cutPrefix(s, p string) (string, bool) {
	if hasPrefix(s, p) {
		return s[len(p):], true
	}
	return s, false
}

package lockfile

// composer.lock: "packages" and "packages-dev" arrays of {name, version,
// require}. The lock does not say which packages composer.json asks for;
// those nothing else in the lock requires are taken as direct.

func parseComposerLock(file string, data []byte, _ *manifest) ([]Package, error) {
	d := newJSONDoc(file, data)
	g := &graph{}
	byName := map[string]int{}
	var requires [][]string
	err := d.top(func(key string, val []byte, off int) error {
		if key != "packages" && key != "packages-dev" || isNull(val) {
			return nil
		}
		return d.elements(off, key, func(val []byte, voff int) error {
			var e struct {
				Name    string            `json:"name"`
				Version string            `json:"version"`
				Require map[string]string `json:"require"`
			}
			if err := d.unmarshal(val, voff, key+" entry", &e); err != nil {
				return err
			}
			if e.Name == "" {
				return errorf(file, d.lines.line(voff), "%s entry without a name: regenerate the lockfile with composer update --lock", key)
			}
			if len(g.pkgs) >= maxPackages {
				return errorf(file, d.lines.line(voff), "more than %d packages: refusing to read further", maxPackages)
			}
			i := g.add(Package{Ecosystem: Packagist, Name: e.Name, Version: e.Version, Dev: key == "packages-dev", File: file, Line: d.lines.line(voff)})
			byName[e.Name] = i
			var req []string
			for n := range e.Require {
				req = append(req, n)
			}
			requires = append(requires, req)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	required := make([]bool, len(g.pkgs))
	for i, req := range requires {
		for _, n := range req {
			if j, ok := byName[n]; ok {
				g.edge(i, j)
				required[j] = true
			}
		}
	}
	for i := range g.pkgs {
		g.pkgs[i].Direct = !required[i]
	}
	return g.finish(false), nil
}

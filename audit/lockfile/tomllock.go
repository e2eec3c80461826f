package lockfile

import "strings"

// tomlPackages returns the [[package]] tables of a TOML lockfile, with
// their sub-tables ([package.dependencies] …) folded in as "dependencies.x"
// keys, and the line of each [[package]] header.
func tomlPackages(file string, data []byte) ([]*tomlTable, error) {
	tables, err := parseTOML(file, data)
	if err != nil {
		return nil, err
	}
	var pkgs []*tomlTable
	for _, t := range tables {
		switch {
		case t.name == "package" && t.array:
			pkgs = append(pkgs, t)
		case strings.HasPrefix(t.name, "package.") && len(pkgs) > 0 && !t.array:
			last := pkgs[len(pkgs)-1]
			for k, v := range t.kv {
				last.kv[t.name[len("package."):]+"."+k] = v
			}
		}
	}
	return pkgs, nil
}

// tomlGraph links packages by name through deps(table) and marks direct
// those nothing requires (lockfiles that do not name the project's own
// dependencies), or roots' dependencies when roots are given.
func tomlGraph(g *graph, deps [][]string, isRoot []bool) {
	byName := map[string]int{}
	for i, p := range g.pkgs {
		if _, dup := byName[p.Name]; !dup {
			byName[p.Name] = i
		}
	}
	required := make([]bool, len(g.pkgs))
	anyRoot := false
	for i, ds := range deps {
		anyRoot = anyRoot || isRoot[i]
		for _, d := range ds {
			if j, ok := byName[d]; ok {
				g.edge(i, j)
				required[j] = true
				if isRoot[i] {
					g.pkgs[j].Direct = true
				}
			}
		}
	}
	if !anyRoot {
		for i := range g.pkgs {
			g.pkgs[i].Direct = !required[i]
		}
	}
}

package lockfile

import (
	"cmp"
	"strings"

	"gopkg.in/yaml.v3"
)

// pnpm-lock.yaml, lockfileVersion 5.x to 9. Packages are keyed
// "/name/1.2.3_peers" (v5), "/name@1.2.3(peers)" (v6) or
// "name@1.2.3(peers)" (v9, whose edges moved to "snapshots"); packages
// from git, tarballs or folders carry "name" and "version" fields.
// The project's own dependencies are under "importers" (workspaces, v6+
// and v5.4 monorepos) or at the top (v5, v6).

func parsePnpmLock(file string, data []byte, _ *manifest) ([]Package, error) {
	root, err := parseYAML(file, data)
	if err != nil || root == nil {
		return nil, err
	}
	g := &graph{}
	byKey := map[string]int{}
	byNV := map[string]int{}
	hasDevField := false
	type edges struct {
		from int
		deps []*yaml.Node
	}
	var pending []edges
	if pkgs := mapValue(root, "packages"); pkgs != nil {
		if pkgs.Kind != yaml.MappingNode && pkgs.Tag != "!!null" {
			return nil, errorf(file, pkgs.Line, "packages: want a mapping, got %s: regenerate the lockfile with pnpm install", kindName(pkgs))
		}
		for i := 0; i+1 < len(pkgs.Content); i += 2 {
			k, v := pkgs.Content[i], pkgs.Content[i+1]
			name, version := scalar(mapValue(v, "name")), scalar(mapValue(v, "version"))
			if name == "" || version == "" {
				kn, kv, _, err := pnpmKey(k.Value)
				if err != nil && (name == "" || version == "") {
					return nil, errorf(file, k.Line, "package key %q: %v: regenerate the lockfile with pnpm install", clip(k.Value), err)
				}
				name, version = cmp.Or(name, kn), cmp.Or(version, kv)
				if name == "" || version == "" {
					continue // no registry version (a git checkout without one): nothing to match
				}
			}
			if len(g.pkgs) >= maxPackages {
				return nil, errorf(file, k.Line, "more than %d packages: refusing to read further", maxPackages)
			}
			p := Package{Ecosystem: NPM, Name: name, Version: version, File: file, Line: k.Line}
			if dev := mapValue(v, "dev"); dev != nil {
				hasDevField = true
				p.Dev = dev.Value == "true"
			}
			j := g.add(p)
			byKey[k.Value] = j
			byKey[strings.TrimPrefix(k.Value, "/")] = j
			if _, dup := byNV[name+"@"+version]; !dup {
				byNV[name+"@"+version] = j
			}
			pending = append(pending, edges{j, []*yaml.Node{mapValue(v, "dependencies"), mapValue(v, "optionalDependencies")}})
		}
	}
	resolve := func(name string, ref *yaml.Node) (int, bool) {
		r := scalar(ref)
		if ref != nil && ref.Kind == yaml.MappingNode {
			r = scalar(mapValue(ref, "version")) // v6+ importers: {specifier, version}
		}
		if j, ok := byKey[r]; ok {
			return j, true
		}
		if j, ok := byKey["/"+r]; ok {
			return j, true
		}
		base := r
		if i := strings.IndexAny(base, "(_"); i >= 0 {
			base = base[:i]
		}
		if j, ok := byNV[name+"@"+base]; ok {
			return j, true
		}
		j, ok := byNV[base] // an alias: "string-width-cjs: string-width@4.2.0"
		return j, ok
	}
	if snaps := mapValue(root, "snapshots"); snaps != nil {
		for i := 0; i+1 < len(snaps.Content); i += 2 {
			k, v := snaps.Content[i], snaps.Content[i+1]
			from, ok := byKey[k.Value]
			if !ok {
				name, version, ok, _ := pnpmKey(k.Value)
				if from, ok = byNV[name+"@"+version]; !ok {
					continue
				}
			}
			pending = append(pending, edges{from, []*yaml.Node{mapValue(v, "dependencies"), mapValue(v, "optionalDependencies")}})
		}
	}
	for _, e := range pending {
		for _, deps := range e.deps {
			forPairs(deps, func(name string, ref *yaml.Node) {
				if j, ok := resolve(name, ref); ok {
					g.edge(e.from, j)
				}
			})
		}
	}
	markDirect := func(project *yaml.Node) {
		for _, group := range []string{"dependencies", "optionalDependencies", "devDependencies"} {
			forPairs(mapValue(project, group), func(name string, ref *yaml.Node) {
				if j, ok := resolve(name, ref); ok {
					if !g.pkgs[j].Direct {
						g.devDirect[j] = group == "devDependencies"
					} else if group != "devDependencies" {
						g.devDirect[j] = false
					}
					g.pkgs[j].Direct = true
				}
			})
		}
	}
	markDirect(root)
	if imp := mapValue(root, "importers"); imp != nil {
		forPairs(imp, func(_ string, project *yaml.Node) { markDirect(project) })
	}
	return g.finish(!hasDevField), nil
}

// pnpmKey splits a package key into name and version. ok is false for keys
// without a registry version ("github.com/user/repo"); err for keys that are
// no package path at all.
func pnpmKey(key string) (name, version string, ok bool, err error) {
	k := strings.TrimPrefix(key, "/")
	if i := strings.Index(k, "("); i >= 0 {
		k = k[:i] // v6+ peer suffix
	}
	// v6 and v9: name@version
	if at := strings.Index(k[min(1, len(k)):], "@"); at >= 0 {
		at++
		n, v := k[:at], k[at+1:]
		slashes := strings.Count(n, "/")
		if slashes == 0 || slashes == 1 && n[0] == '@' {
			if startsWithDigit(v) {
				return n, v, true, nil
			}
			if strings.Contains(v, ":") {
				return n, "", false, nil // v9 "name@https://…": the version is a field
			}
		}
	}
	// v5: [host]/[@scope/]name/version[_peers]
	parts := strings.Split(k, "/")
	if len(parts) < 2 {
		return "", "", false, errNotPackagePath
	}
	v := parts[len(parts)-1]
	if i := strings.IndexByte(v, '_'); i >= 0 {
		v = v[:i]
	}
	n := parts[len(parts)-2]
	if len(parts) >= 3 && strings.HasPrefix(parts[len(parts)-3], "@") {
		n = parts[len(parts)-3] + "/" + n
	}
	if !startsWithDigit(v) || n == "" {
		return "", "", false, nil
	}
	return n, v, true, nil
}

var errNotPackagePath = errorString("not a package path like /name/1.2.3 or name@1.2.3")

type errorString string

func (e errorString) Error() string { return string(e) }

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// scalar is the value of a scalar node, "" for anything else.
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// forPairs calls fn for each key and value of mapping node n.
func forPairs(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, n.Content[i+1])
	}
}

package lockfile

import (
	"encoding/json"
	"strings"
)

// bun.lock (bun 1.2+): JSON with trailing commas. "packages" maps an
// install key ("supports-color", or "chalk/ansi-styles" when nested under
// chalk) to a tuple ["name@version", registry, {dependencies…}, integrity].
// Keys nest like node_modules, so the npm resolution applies.

func parseBunLock(file string, data []byte, _ *manifest) ([]Package, error) {
	d := newJSONDoc(file, stripJSONC(data))
	d.file = file
	direct := map[string]bool{}
	devOnly := map[string]bool{}
	t := &npmTree{}
	err := d.top(func(key string, val []byte, off int) error {
		switch key {
		case "workspaces":
			return d.members(off, key, func(_ string, val []byte, voff int) error {
				var ws map[string]map[string]string
				var raw map[string]json.RawMessage
				if err := d.unmarshal(val, voff, "workspace", &raw); err != nil {
					return err
				}
				ws = map[string]map[string]string{}
				for _, g := range []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"} {
					if r, ok := raw[g]; ok {
						var m map[string]string
						if err := json.Unmarshal(r, &m); err == nil {
							ws[g] = m
						}
					}
				}
				for g, deps := range ws {
					for n := range deps {
						if !direct[n] {
							devOnly[n] = g == "devDependencies"
						} else if g != "devDependencies" {
							devOnly[n] = false
						}
						direct[n] = true
					}
				}
				return nil
			})
		case "packages":
			return d.members(off, key, func(k string, val []byte, voff int) error {
				line := d.lines.line(voff)
				var tuple []json.RawMessage
				if err := d.unmarshal(val, voff, "package "+k, &tuple); err != nil {
					return err
				}
				var spec string
				if len(tuple) == 0 || json.Unmarshal(tuple[0], &spec) != nil {
					return errorf(file, line, "package %q: want [\"name@version\", …]: regenerate the lockfile with bun install", clip(k))
				}
				name := yarnDescName(spec)
				version := ""
				if len(name) < len(spec) {
					version = spec[len(name)+1:]
				}
				if !isRegistryVersion(version) {
					version = "" // git, github:, file: and workspace: packages
				}
				n := &npmNode{loc: bunLoc(k), name: name, version: version, line: line}
				if len(tuple) >= 3 {
					var meta struct {
						Dependencies         map[string]string `json:"dependencies"`
						OptionalDependencies map[string]string `json:"optionalDependencies"`
						PeerDependencies     map[string]string `json:"peerDependencies"`
					}
					if json.Unmarshal(tuple[2], &meta) == nil {
						for _, deps := range []map[string]string{meta.Dependencies, meta.OptionalDependencies, meta.PeerDependencies} {
							for dn := range deps {
								n.deps = append(n.deps, dn)
							}
						}
					}
				}
				if len(t.nodes) >= maxPackages {
					return errorf(file, line, "more than %d packages: refusing to read further", maxPackages)
				}
				t.add(n)
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	g := &graph{}
	for _, n := range t.nodes {
		key := locName(n.loc)
		isTop := !strings.Contains(n.loc[len("node_modules/"):], "/node_modules/")
		i := g.add(Package{Ecosystem: NPM, Name: n.name, Version: n.version, Direct: isTop && direct[key], File: file, Line: n.line})
		g.devDirect[i] = isTop && devOnly[key]
	}
	for i, n := range t.nodes {
		for _, dn := range n.deps {
			if j, ok := t.resolve(n.loc, dn); ok {
				g.edge(i, j)
			}
		}
	}
	return g.finish(true), nil
}

// bunLoc turns a bun install key ("chalk/@scope/x") into a node_modules location.
func bunLoc(key string) string {
	var segs []string
	parts := strings.Split(key, "/")
	for i := 0; i < len(parts); i++ {
		s := parts[i]
		if strings.HasPrefix(s, "@") && i+1 < len(parts) {
			s += "/" + parts[i+1]
			i++
		}
		segs = append(segs, "node_modules/"+s)
	}
	return strings.Join(segs, "/")
}

// stripJSONC blanks out comments and trailing commas, keeping every
// offset (and so every line) where it was.
func stripJSONC(data []byte) []byte {
	out := append([]byte(nil), data...)
	inStr := false
	lastComma := -1
	for i := 0; i < len(out); i++ {
		c := out[i]
		if inStr {
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr, lastComma = true, -1
		case c == ',':
			lastComma = i
		case c == '}' || c == ']':
			if lastComma >= 0 {
				out[lastComma] = ' '
			}
			lastComma = -1
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			j := i
			for ; j < len(out) && !(out[j] == '*' && j+1 < len(out) && out[j+1] == '/' && j > i+1); j++ {
				if out[j] != '\n' {
					out[j] = ' '
				}
			}
			if j+1 < len(out) {
				out[j], out[j+1] = ' ', ' '
			}
			i = j + 1
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			lastComma = -1
		}
	}
	return out
}

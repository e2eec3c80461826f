package lockfile

import (
	"bytes"
	"strings"
)

// yarn.lock v1: a YAML-like text format of its own. An entry starts at
// column 0 with its comma-separated descriptors and a colon; its fields are
// indented two spaces, its dependency lists four.

type yarnEntry struct {
	descriptors []string // "name@range", unquoted
	name        string
	version     string
	deps        []string // descriptors it requires
	line        int
}

func parseYarnLock(file string, data []byte, m *manifest) ([]Package, error) {
	if bytes.Contains(data, []byte("\n__metadata:")) || bytes.HasPrefix(data, []byte("__metadata:")) {
		return parseYarnBerry(file, data, m)
	}
	var entries []*yarnEntry
	var cur *yarnEntry
	inDeps := false
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		s := strings.TrimRight(string(line), " \t\r")
		trimmed := strings.TrimLeft(s, " ")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		indent := len(s) - len(trimmed)
		switch {
		case indent == 0:
			if !strings.HasSuffix(s, ":") {
				return nil, errorf(file, lineNo, "want an entry like `name@range:`, got %q: is this a yarn.lock?", clip(s))
			}
			if len(entries) >= maxPackages {
				return nil, errorf(file, lineNo, "more than %d entries: refusing to read further", maxPackages)
			}
			cur = &yarnEntry{line: lineNo}
			for _, d := range strings.Split(strings.TrimSuffix(s, ":"), ",") {
				cur.descriptors = append(cur.descriptors, unquote(strings.TrimSpace(d)))
			}
			cur.name = yarnName(cur.descriptors[0])
			entries = append(entries, cur)
			inDeps = false
		case cur == nil:
			return nil, errorf(file, lineNo, "indented line before any entry: is this a yarn.lock?")
		case indent == 2:
			key, val, _ := strings.Cut(trimmed, " ")
			colon := strings.HasSuffix(key, ":")
			key = unquote(strings.TrimSuffix(key, ":"))
			inDeps = false
			switch {
			case key == "version":
				cur.version = unquote(strings.TrimSpace(val))
			case colon && (key == "dependencies" || key == "optionalDependencies"):
				inDeps = true
			}
		case indent >= 4 && inDeps:
			name, rng, _ := strings.Cut(trimmed, " ")
			cur.deps = append(cur.deps, unquote(name)+"@"+unquote(strings.TrimSpace(rng)))
		}
	}
	return yarnPackages(file, entries, nil, m), nil
}

// yarnPackages builds the graph of yarn entries. rootDeps, when known, are
// the descriptors the project requires; else package.json names them, else
// entries that nothing requires are taken as direct.
func yarnPackages(file string, entries []*yarnEntry, rootDeps []string, m *manifest) []Package {
	g := &graph{}
	byDesc := map[string]int{}
	required := map[int]bool{}
	idx := make([]int, len(entries))
	for i, e := range entries {
		idx[i] = -1
		if e.version == "" {
			continue // osv-scanner skips them too: nothing to match
		}
		idx[i] = g.add(Package{Ecosystem: NPM, Name: e.name, Version: e.version, File: file, Line: e.line})
		for _, d := range e.descriptors {
			byDesc[d] = idx[i]
		}
	}
	for i, e := range entries {
		if idx[i] < 0 {
			continue
		}
		for _, d := range e.deps {
			if j, ok := lookupDescriptor(byDesc, d); ok {
				g.edge(idx[i], j)
				required[j] = true
			}
		}
	}
	switch {
	case m != nil:
		for n, r := range m.deps {
			if j, ok := lookupDescriptor(byDesc, n+"@"+r); ok {
				g.pkgs[j].Direct = true
				g.devDirect[j] = m.dev[n]
			}
		}
		return g.finish(true)
	case rootDeps != nil:
		for _, d := range rootDeps {
			if j, ok := lookupDescriptor(byDesc, d); ok {
				g.pkgs[j].Direct = true
			}
		}
	default:
		for i := range g.pkgs {
			g.pkgs[i].Direct = !required[i]
		}
	}
	return g.finish(false)
}

// lookupDescriptor finds d, also as berry spells npm ranges ("name@npm:^1.0.0").
func lookupDescriptor(byDesc map[string]int, d string) (int, bool) {
	if j, ok := byDesc[d]; ok {
		return j, true
	}
	name := yarnDescName(d)
	rng := d[len(name)+1:]
	if !strings.Contains(rng, ":") {
		j, ok := byDesc[name+"@npm:"+rng]
		return j, ok
	}
	return 0, false
}

// yarnDescName is the name part of a descriptor "name@range" ("@scope/name@range").
func yarnDescName(d string) string {
	if i := strings.Index(d[min(1, len(d)):], "@"); i >= 0 {
		return d[:i+1]
	}
	return d
}

// yarnName is the real package name a descriptor installs: aliases
// ("cjs@npm:ansi-regex@^5.0.0") install another package.
func yarnName(d string) string {
	name := yarnDescName(d)
	if len(name) < len(d) {
		if alias, ok := strings.CutPrefix(d[len(name)+1:], "npm:"); ok {
			if real := yarnDescName(alias); real != alias {
				return real
			}
		}
	}
	return name
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

package lockfile

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"
)

// package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
// Versions 2 and 3 list every installed package under "packages", keyed
// by location; version 1 nests "dependencies" the way node_modules nests.
// Version 2 carries both: "packages" is read, as npm itself does.

type npmV2Entry struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Dev                  bool              `json:"dev"`
	Link                 bool              `json:"link"`
	Dependencies         map[string]string `json:"dependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
}

type npmV1Entry struct {
	Version  string            `json:"version"`
	Dev      bool              `json:"dev"`
	Requires map[string]string `json:"requires"`
}

func parsePackageLock(file string, data []byte, m *manifest) ([]Package, error) {
	d := newJSONDoc(file, data)
	var v1Off, v2Off = -1, -1
	err := d.top(func(key string, val []byte, off int) error {
		switch key {
		case "packages":
			v2Off = off
		case "dependencies":
			v1Off = off
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := &npmTree{}
	switch {
	case v2Off >= 0 && !isNull(data[v2Off:]):
		err = npmV2(d, v2Off, t)
	case v1Off >= 0 && !isNull(data[v1Off:]):
		err = npmV1(d, v1Off, t)
		if err == nil {
			markV1Direct(t, m)
		}
	}
	if err != nil {
		return nil, err
	}
	return t.packages(file), nil
}

func isNull(b []byte) bool { return len(b) >= 4 && string(b[:4]) == "null" }

func npmV2(d *jsonDoc, off int, t *npmTree) error {
	direct := map[string]bool{}
	var links []string
	err := d.members(off, `"packages"`, func(loc string, val []byte, voff int) error {
		var e npmV2Entry
		if err := d.unmarshal(val, voff, `package "`+loc+`"`, &e); err != nil {
			return err
		}
		if loc == "" || (!strings.Contains(loc, "node_modules/") && e.Version == "" && e.Name != "") {
			// The root project, and workspace folders: their dependencies are direct.
			for _, deps := range []map[string]string{e.Dependencies, e.DevDependencies, e.OptionalDependencies, e.PeerDependencies} {
				for n := range deps {
					direct[n] = true
				}
			}
			if loc == "" {
				return nil
			}
		}
		if e.Link {
			links = append(links, loc)
			return nil
		}
		// "name", when present, is the real name (aliases: "node_modules/string-width-cjs" is "string-width").
		name := e.Name
		if name == "" {
			name = locName(loc)
		}
		n := &npmNode{loc: loc, name: name, version: strings.TrimPrefix(e.Version, "v"), line: d.lines.line(voff), dev: e.Dev}
		for _, deps := range []map[string]string{e.Dependencies, e.OptionalDependencies, e.PeerDependencies} {
			for dn := range deps {
				n.deps = append(n.deps, dn)
			}
		}
		if len(t.nodes) >= maxPackages {
			return errorf(d.file, n.line, "more than %d packages: refusing to read further", maxPackages)
		}
		t.add(n)
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range t.nodes {
		if strings.HasPrefix(n.loc, "node_modules/") && !strings.Contains(n.loc[len("node_modules/"):], "/node_modules/") && direct[locName(n.loc)] {
			n.direct = true
		}
	}
	return nil
}

// locName is the package name a location installs: the part after the last "node_modules/".
func locName(loc string) string {
	if i := strings.LastIndex(loc, "node_modules/"); i >= 0 {
		return loc[i+len("node_modules/"):]
	}
	return path.Base(loc)
}

func npmV1(d *jsonDoc, off int, t *npmTree) error {
	dec := json.NewDecoder(bytes.NewReader(d.data[off:]))
	w := &npmV1Walker{d: d, dec: dec, base: off, t: t}
	if err := w.expect('{'); err != nil {
		return err
	}
	return w.deps("", 0)
}

// npmV1Walker reads nested v1 "dependencies" in one streaming pass, so
// that deep nesting costs time linear in the file size.
type npmV1Walker struct {
	d    *jsonDoc
	dec  *json.Decoder
	base int
	t    *npmTree
	// locBytes sums the lengths of the locations made so far: each repeats
	// its ancestors' names, so a few long names nested deep would make
	// them far larger than the file.
	locBytes int
}

// maxLocBytes bounds the locations of a v1 lockfile of n bytes: real ones
// are a few times smaller than the entries they name.
func maxLocBytes(n int) int { return 8*n + 1<<20 }

func (w *npmV1Walker) off() int { return w.base + int(w.dec.InputOffset()) }

func (w *npmV1Walker) expect(delim json.Delim) error {
	tok, err := w.dec.Token()
	if err != nil {
		return w.d.syntax(w.base, w.dec, err)
	}
	if tok != delim {
		return errorf(w.d.file, w.d.lines.line(w.off()), "want %q, got %s: is this an npm lockfile?", string(delim), describe(tok))
	}
	return nil
}

// deps reads the members of a "dependencies" object whose '{' was read.
func (w *npmV1Walker) deps(parent string, depth int) error {
	if depth > maxDepth {
		return errorf(w.d.file, w.d.lines.line(w.off()), "dependencies nested more than %d deep: refusing to read further", maxDepth)
	}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return w.d.syntax(w.base, w.dec, err)
		}
		name, _ := tok.(string)
		line := w.d.lines.line(w.off() + valueStart(w.d.data[w.off():]))
		if err := w.expect('{'); err != nil {
			return err
		}
		loc := "node_modules/" + name
		if parent != "" {
			loc = parent + "/" + loc
		}
		n := &npmNode{loc: loc, name: name, line: line}
		if len(w.t.nodes) >= maxPackages {
			return errorf(w.d.file, line, "more than %d packages: refusing to read further", maxPackages)
		}
		if w.locBytes += len(loc); w.locBytes > maxLocBytes(len(w.d.data)) {
			return errorf(w.d.file, line, "dependency paths longer than %d bytes in all: refusing to read further", maxLocBytes(len(w.d.data)))
		}
		w.t.add(n)
		for w.dec.More() {
			tok, err := w.dec.Token()
			if err != nil {
				return w.d.syntax(w.base, w.dec, err)
			}
			var v any = &skip{}
			var requires map[string]string
			switch tok {
			case "version":
				v = &n.version
			case "dev":
				v = &n.dev
			case "requires":
				v = &requires
			case "dependencies":
				if err := w.expect('{'); err != nil {
					return err
				}
				if err := w.deps(loc, depth+1); err != nil {
					return err
				}
				continue
			}
			if err := w.dec.Decode(v); err != nil {
				return w.d.syntax(w.base, w.dec, err)
			}
			for dn := range requires {
				n.deps = append(n.deps, dn)
			}
		}
		if err := w.expect('}'); err != nil {
			return err
		}
		if rest, ok := strings.CutPrefix(n.version, "npm:"); ok {
			// an alias: "string-width-cjs": {"version": "npm:string-width@4.2.0"}
			if i := strings.LastIndex(rest, "@"); i > 0 {
				n.name, n.version = rest[:i], rest[i+1:]
			}
		}
		if !isRegistryVersion(n.version) {
			n.version = "" // git, file: and link: dependencies have no registry version
		}
	}
	return w.expect('}')
}

// isRegistryVersion reports whether v looks like a semver version rather than a URL or path.
func isRegistryVersion(v string) bool {
	return v != "" && v[0] >= '0' && v[0] <= '9' && !strings.Contains(v, ":") && !strings.Contains(v, "/")
}

// markV1Direct marks direct dependencies of a v1 lockfile: those package.json
// names if it is known, else top-level packages nothing else requires.
func markV1Direct(t *npmTree, m *manifest) {
	top := func(n *npmNode) bool { return !strings.Contains(n.loc, "/node_modules/") }
	if m != nil {
		for _, n := range t.nodes {
			if _, ok := m.deps[n.loc[len("node_modules/"):]]; ok && top(n) {
				n.direct = true
			}
		}
		return
	}
	required := map[string]bool{}
	for _, n := range t.nodes {
		for _, d := range n.deps {
			required[d] = true
		}
	}
	for _, n := range t.nodes {
		if top(n) && !required[n.loc[len("node_modules/"):]] {
			n.direct = true
		}
	}
}

package lockfile

import (
	"encoding/json"
	"strings"
)

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
			e, err := composerEntry(d, val, voff, key+" entry")
			if err != nil {
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

// A composerPackage is what is read of an entry of composer.lock.
type composerPackage struct {
	Name    string            `json:"name"`
	Version string            `json:"version"`
	Require map[string]string `json:"require"`
}

// composerEntry reads the name, version and require of an entry. Entries
// carry much more (source, dist, autoload, authors…): in a file known to
// be valid JSON only those three members are decoded; otherwise the whole
// entry is, for encoding/json's error and line.
func composerEntry(d *jsonDoc, val []byte, off int, what string) (composerPackage, error) {
	var e composerPackage
	if !d.valid || len(val) == 0 || val[0] != '{' {
		return e, d.unmarshal(val, off, what, &e)
	}
	err := scanMembers(d.data, off, func(k string, v []byte, voff int) error {
		// As encoding/json matches fields: in any case, the last one winning.
		var dst any
		switch {
		case strings.EqualFold(k, "name"):
			dst = &e.Name
		case strings.EqualFold(k, "version"):
			dst = &e.Version
		case strings.EqualFold(k, "require"):
			e.Require = nil
			dst = &e.Require
		default:
			return nil
		}
		if err := json.Unmarshal(v, dst); err != nil {
			// Decoded again as a member, for the error naming the field.
			obj := append(append([]byte(`{"`+strings.ToLower(k)+`":`), v...), '}')
			var whole composerPackage
			if err := d.unmarshal(obj, voff, what, &whole); err != nil {
				return err
			}
			return d.unmarshal(v, voff, what, dst)
		}
		return nil
	})
	return e, err
}

package lockfile

import "strings"

// Pipfile.lock: "default" and "develop" objects of name → {version: "==x"}.
// Entries from git or a path have no version and are skipped, as
// osv-scanner does. The file does not say which packages are direct.

func parsePipfileLock(file string, data []byte, _ *manifest) ([]Package, error) {
	d := newJSONDoc(file, data)
	var pkgs []Package
	err := d.top(func(group string, val []byte, off int) error {
		if group != "default" && group != "develop" || isNull(val) {
			return nil
		}
		return d.members(off, group, func(name string, val []byte, voff int) error {
			var e struct {
				Version string `json:"version"`
			}
			if err := d.unmarshal(val, voff, group+" "+name, &e); err != nil {
				return err
			}
			v, ok := strings.CutPrefix(e.Version, "==")
			if !ok || v == "" {
				return nil
			}
			if len(pkgs) >= maxPackages {
				return errorf(file, d.lines.line(voff), "more than %d packages: refusing to read further", maxPackages)
			}
			pkgs = append(pkgs, Package{Ecosystem: PyPI, Name: name, Version: v, Dev: group == "develop", File: file, Line: d.lines.line(voff)})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return dedupe(pkgs), nil
}

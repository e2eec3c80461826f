package lockfile

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
)

// go.mod: the required modules, with replace directives applied as the go
// command applies them, and the Go toolchain as the module "stdlib" (the
// toolchain line if present, else the go line). Versions lose their "v",
// as OSV spells Go versions.

func parseGoMod(file string, data []byte, _ *manifest) ([]Package, error) {
	f, err := modfile.Parse(file, data, nil)
	if err != nil {
		var el modfile.ErrorList
		line := 0
		msg := err.Error()
		if errors.As(err, &el) && len(el) > 0 {
			line = el[0].Pos.Line
			msg = el[0].Err.Error()
		}
		msg = strings.TrimPrefix(msg, fmt.Sprintf("%s:%d: ", file, line))
		return nil, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("invalid go.mod: %s: fix it or run go mod tidy", msg), Err: err}
	}
	var pkgs []Package
	if f.Go != nil || f.Toolchain != nil {
		v, line := "", 0
		if f.Go != nil {
			v, line = f.Go.Version, f.Go.Syntax.Start.Line
		}
		if f.Toolchain != nil {
			v, line = strings.TrimPrefix(f.Toolchain.Name, "go"), f.Toolchain.Syntax.Start.Line
			if i := strings.IndexAny(v, "-+"); i >= 0 {
				v = v[:i] // "go1.23.6-xyz": a custom build of 1.23.6
			}
		}
		if strings.Count(v, ".") == 1 && !strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyz") {
			v += ".0" // "go 1.23" asks for at least 1.23.0
		}
		pkgs = append(pkgs, Package{Ecosystem: Go, Name: "stdlib", Version: v, Direct: true, File: file, Line: line})
	}
	for _, r := range f.Require {
		name, version := r.Mod.Path, r.Mod.Version
		for _, rep := range f.Replace {
			if rep.Old.Path == name && (rep.Old.Version == "" || rep.Old.Version == version) {
				name, version = rep.New.Path, rep.New.Version
				if rep.Old.Version != "" {
					break // a replacement of this exact version wins over one of every version
				}
			}
		}
		pkgs = append(pkgs, Package{Ecosystem: Go, Name: name, Version: strings.TrimPrefix(version, "v"), Direct: !r.Indirect, File: file, Line: r.Syntax.Start.Line})
	}
	return dedupe(pkgs), nil
}

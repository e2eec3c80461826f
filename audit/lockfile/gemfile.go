package lockfile

import (
	"bytes"
	"strings"
)

// Gemfile.lock: GEM, GIT and PATH sections list "specs:" as
// "    name (version[-platform])" with their own dependencies indented two
// more; DEPENDENCIES names the Gemfile's gems ("name!" when from git/path).

func parseGemfileLock(file string, data []byte, _ *manifest) ([]Package, error) {
	g := &graph{}
	byName := map[string]int{}
	type dep struct {
		from int
		name string
	}
	var deps []dep
	var direct []string
	section, inSpecs, cur := "", false, -1
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		var raw []byte
		raw, data, _ = bytes.Cut(data, []byte{'\n'})
		line := strings.TrimRight(string(raw), " \t\r")
		if line == "" {
			continue
		}
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		if indent == 0 {
			section, inSpecs, cur = line, false, -1
			continue
		}
		switch {
		case section == "DEPENDENCIES" && indent == 2:
			name, _, _ := strings.Cut(trimmed, " ")
			direct = append(direct, strings.TrimSuffix(name, "!"))
		case section != "GEM" && section != "GIT" && section != "PATH":
		case indent == 2:
			inSpecs = trimmed == "specs:"
		case !inSpecs:
		case indent == 4:
			name, rest, ok := strings.Cut(trimmed, " ")
			if !ok || !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") {
				cur = -1
				continue // "name" without a version: nothing to match (osv-scanner skips it too)
			}
			version := rest[1 : len(rest)-1]
			if i := strings.IndexByte(version, '-'); i >= 0 {
				version = version[:i] // "1.13.3-x86_64-linux": the platform is not part of the version
			}
			if len(g.pkgs) >= maxPackages {
				return nil, errorf(file, lineNo, "more than %d gems: refusing to read further", maxPackages)
			}
			cur = g.add(Package{Ecosystem: RubyGems, Name: name, Version: version, File: file, Line: lineNo})
			if _, dup := byName[name]; !dup {
				byName[name] = cur
			}
		case indent == 6 && cur >= 0:
			name, _, _ := strings.Cut(trimmed, " ")
			deps = append(deps, dep{cur, name})
		}
	}
	for _, d := range deps {
		if j, ok := byName[d.name]; ok {
			g.edge(d.from, j)
		}
	}
	for _, n := range direct {
		if j, ok := byName[n]; ok {
			g.pkgs[j].Direct = true
		}
	}
	return g.finish(false), nil
}

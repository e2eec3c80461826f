package lockfile

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

// requirements.txt: pip requirement specifiers, one a line. A version is
// reported only for a single == or === pin without wildcard; any other
// requirement (">=3.0,<3.1", "~=2.1", ">=1", none at all, "==${VER}")
// yields the name with the requirement as Constraint and no version, so
// that it is listed as unpinned and never matched as a guessed version
// (osv-scanner takes the bound of >= and <=: Django>=3.0,<3.1 would be
// matched as 3.0 by the advisories of 2007). URLs, paths and options are
// skipped; "-r other.txt" is followed by ParseFile.

var (
	reqNameRE = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$`)
	reqOpRE   = regexp.MustCompile(`^(===|==|~=|>=|<=|!=|>|<)\s*(\S*)`)
	reqSepRE  = regexp.MustCompile(`[-_.]+`)
	reqOptRE  = regexp.MustCompile(`\s+-`)
	reqHashRE = regexp.MustCompile(`(^|\s)#.*$`)
)

// maxIncludeDepth bounds chains of "-r other.txt".
const maxIncludeDepth = 16

// includeFunc reads a file a requirements file includes; nil in Parse.
type includeFunc func(from, name string) (path string, data []byte, err error)

func parseRequirements(file string, data []byte, _ *manifest) ([]Package, error) {
	return parseRequirementsWith(file, data, nil, map[string]bool{file: true}, 0)
}

func parseRequirementsWith(file string, data []byte, include includeFunc, seen map[string]bool, depth int) ([]Package, error) {
	var pkgs []Package
	var joined []byte // a logical line, continuations joined in place (linear in the file)
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		start := lineNo
		var raw []byte
		raw, data, _ = bytes.Cut(data, []byte{'\n'})
		joined = append(joined[:0], bytes.TrimRight(raw, " \t\r")...)
		for bytes.HasSuffix(joined, []byte(`\`)) && len(data) > 0 { // continuation
			lineNo++
			raw, data, _ = bytes.Cut(data, []byte{'\n'})
			joined = append(append(joined[:len(joined)-1], ' '), bytes.TrimRight(raw, " \t\r")...)
		}
		line := strings.TrimSuffix(string(joined), `\`)
		line = strings.TrimSpace(reqHashRE.ReplaceAllString(line, ""))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "-") {
			f := strings.Fields(line)
			name := ""
			switch {
			case (f[0] == "-r" || f[0] == "--requirement") && len(f) > 1:
				name = f[1]
			case strings.HasPrefix(f[0], "--requirement="):
				name = strings.TrimPrefix(f[0], "--requirement=")
			case strings.HasPrefix(f[0], "-r") && len(f[0]) > 2:
				name = f[0][2:]
			}
			if name != "" && include != nil && depth < maxIncludeDepth {
				path, sub, err := include(file, name)
				if err != nil {
					return nil, errorf(file, start, "-r %s: %v: fix the path or remove the line", name, err)
				}
				if !seen[path] {
					seen[path] = true
					more, err := parseRequirementsWith(path, sub, include, seen, depth+1)
					if err != nil {
						return nil, err
					}
					pkgs = append(pkgs, more...)
				}
			}
			continue
		}
		if i := strings.IndexByte(line, ';'); i >= 0 {
			line = strings.TrimSpace(line[:i]) // environment markers
		}
		if loc := reqOptRE.FindStringIndex(line); loc != nil {
			line = line[:loc[0]] // per-requirement options: --hash=…, -C …
		}
		if strings.Contains(line, "@") || strings.Contains(line, "://") || strings.HasPrefix(line, ".") || strings.HasPrefix(line, "/") {
			continue // a URL or a local path: no registry version
		}
		m := reqNameRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		version, constraint := "", ""
		if rest := strings.TrimSpace(m[2]); rest != "" {
			om := reqOpRE.FindStringSubmatch(rest)
			if om != nil && !strings.Contains(rest, ",") && (om[1] == "==" || om[1] == "===") && om[2] != "" &&
				!strings.ContainsAny(om[2], "*$") {
				version = om[2]
			} else {
				constraint = rest
			}
		}
		if len(pkgs) >= maxPackages {
			return nil, errorf(file, start, "more than %d requirements: refusing to read further", maxPackages)
		}
		name := strings.ToLower(reqSepRE.ReplaceAllString(m[1], "-")) // PEP 503 normalized
		pkgs = append(pkgs, Package{Ecosystem: PyPI, Name: name, Version: version, Constraint: constraint, Direct: true, File: file, Line: start})
	}
	return pkgs, nil
}

// requirementsInclude reads "-r name" relative to the including file.
func requirementsInclude(from, name string) (string, []byte, error) {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(from), name)
	}
	data, err := readBounded(path)
	return path, data, err
}

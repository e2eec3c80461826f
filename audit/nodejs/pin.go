package nodejs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// maxPinFileSize bounds a file read for a pin: a version file is a line,
// a package.json or Dockerfile a few KB.
const maxPinFileSize = 4 << 20

// skipDirs are never entered: installed dependencies and version control
// hold other projects' files.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true, ".git": true, ".hg": true, ".svn": true}

// isPinFile reports whether a file of this name can pin Node.js.
func isPinFile(name string) bool {
	switch name {
	case ".nvmrc", ".node-version", ".tool-versions", "package.json", "Dockerfile", "Containerfile":
		return true
	}
	return strings.HasPrefix(name, "Dockerfile.") || strings.HasSuffix(name, ".Dockerfile") || strings.HasSuffix(name, ".dockerfile")
}

// Find returns the Node.js versions the project under dir pins, as
// packages of ecosystem "Node.js" named "node" with File and Line: an
// exact version ("20.11.0") as Version; anything else (">=18", "20",
// "lts/iron", "${NODE}") as Constraint with Version empty, which is
// never matched as a version. A file that cannot be read or parsed adds
// an error naming it and the search goes on.
func Find(ctx context.Context, dir string) ([]lockfile.Package, []error) {
	var pkgs []lockfile.Package
	var errs []error
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && skipDirs[d.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !isPinFile(d.Name()) {
			return nil
		}
		data, err := readBounded(path, maxPinFileSize)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		found, err := Pins(d.Name(), data)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%w", path, err))
			return nil
		}
		for _, p := range found {
			pkgs = append(pkgs, p.Package(path))
		}
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("finding Node.js versions in %s: %w", dir, err))
	}
	return pkgs, errs
}

// A Pin is one place a file names the Node.js version.
type Pin struct {
	Line int    // 1-based
	Spec string // as written: "20.11.0", "v20", ">=18", "lts/iron"
}

// Exact returns the version the pin names exactly, if it does.
func (p Pin) Exact() (Version, bool) { return ParseVersion(p.Spec) }

// Package is the pin as a dependency of the project, read from file.
func (p Pin) Package(file string) lockfile.Package {
	pkg := lockfile.Package{Ecosystem: Ecosystem, Name: Name, Direct: true, File: file, Line: p.Line}
	if v, ok := p.Exact(); ok {
		pkg.Version = v.String()
	} else {
		pkg.Constraint = p.Spec
	}
	return pkg
}

// Pins reads the Node.js versions a file named name pins. A version file
// with nothing in it pins nothing.
func Pins(name string, data []byte) ([]Pin, error) {
	switch {
	case name == ".nvmrc" || name == ".node-version":
		return versionFile(data), nil
	case name == ".tool-versions":
		return toolVersions(data), nil
	case name == "package.json":
		return packageJSON(data)
	}
	return dockerfile(data), nil
}

// versionFile reads the first line that is not blank or a comment.
func versionFile(data []byte) []Pin {
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = strings.TrimSpace(line[:j])
		}
		if line != "" {
			return []Pin{{Line: i + 1, Spec: clip(line)}}
		}
	}
	return nil
}

// toolVersions reads asdf's "nodejs 20.11.0" (or "node …"): the first
// version listed is the one used.
func toolVersions(data []byte) []Pin {
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "nodejs" || f[0] == "node") {
			return []Pin{{Line: i + 1, Spec: clip(f[1])}}
		}
	}
	return nil
}

// packageJSON reads engines.node, volta.node and devEngines.runtime
// (an object or a list of them) named node.
func packageJSON(data []byte) ([]Pin, error) {
	var pj struct {
		Engines    map[string]any `json:"engines"`
		Volta      map[string]any `json:"volta"`
		DevEngines struct {
			Runtime json.RawMessage `json:"runtime"`
		} `json:"devEngines"`
	}
	if err := json.Unmarshal(data, &pj); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte{'\n'})
		}
		return nil, fmt.Errorf("%d: not valid JSON (%v): fix package.json", line, err)
	}
	var pins []Pin
	add := func(section, key string, v any) {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			pins = append(pins, Pin{Line: keyLine(data, section, key), Spec: clip(strings.TrimSpace(s))})
		}
	}
	add(`"engines"`, `"node"`, pj.Engines["node"])
	add(`"volta"`, `"node"`, pj.Volta["node"])
	if rt := pj.DevEngines.Runtime; len(rt) > 0 {
		type runtime struct{ Name, Version string }
		var list []runtime
		var one runtime
		if json.Unmarshal(rt, &one) == nil {
			list = []runtime{one}
		} else {
			_ = json.Unmarshal(rt, &list) // another shape names no runtime we read
		}
		for _, r := range list {
			if r.Name == "node" {
				add(`"devEngines"`, `"version"`, r.Version)
			}
		}
	}
	return pins, nil
}

// keyLine is the line of the first key after section, 0 if not found:
// close enough to point an editor at it.
func keyLine(data []byte, section, key string) int {
	i := bytes.Index(data, []byte(section))
	if i < 0 {
		return 0
	}
	j := bytes.Index(data[i:], []byte(key))
	if j < 0 {
		return 0
	}
	return 1 + bytes.Count(data[:i+j], []byte{'\n'})
}

// fromRE matches a FROM line's image: FROM [--platform=…] image[:tag][@digest] [AS name].
var fromRE = regexp.MustCompile(`(?i)^\s*FROM\s+(?:--\S+\s+)*(\S+)`)

// dockerfile reads the tags of FROM lines naming the official node image
// (node, library/node, docker.io/library/node): "20.11.0-alpine" pins
// 20.11.0; "20-slim", "lts", a digest alone or an ${ARG} pin nothing
// exact and are reported as written.
func dockerfile(data []byte) []Pin {
	var pins []Pin
	for i, line := range strings.Split(string(data), "\n") {
		m := fromRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		image := m[1]
		ref, _, _ := strings.Cut(image, "@")
		name, tag, _ := strings.Cut(ref, ":")
		for _, p := range []string{"docker.io/", "index.docker.io/", "library/"} {
			name = strings.TrimPrefix(name, p)
		}
		if name != "node" {
			continue
		}
		spec := tag
		if spec == "" {
			spec = "latest"
		}
		// "20.11.0-alpine3.19" → "20.11.0": the variant is not a version.
		if v, variant, ok := strings.Cut(spec, "-"); ok && variant != "" && versionPrefixRE.MatchString(v) {
			spec = v
		}
		pins = append(pins, Pin{Line: i + 1, Spec: clip(spec)})
	}
	return pins
}

var versionPrefixRE = regexp.MustCompile(`^\d+(\.\d+){0,2}$`)

// clip bounds a spec kept for reports.
func clip(s string) string {
	if len(s) > 100 {
		return strings.ToValidUTF8(s[:100], "") + "…"
	}
	return s
}

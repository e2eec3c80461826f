package lockfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Every parser takes untrusted input: whatever the bytes, it must return
// packages or a *ParseError naming the file and a line inside it, and never
// panic or run away. Seeds are the samples and the malformed cases.

func fuzzFormats(f *testing.F, names ...string) {
	for _, name := range names {
		x, _ := Lookup(name)
		matches, _ := filepath.Glob("testdata/samples/*/*")
		for _, m := range matches {
			if Known(m) && forFileName(m) == x.Name {
				if data, err := os.ReadFile(m); err == nil {
					f.Add(data)
				}
			}
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("{"))
	f.Add([]byte("[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"b 1 (x)\"]\n"))
	f.Add([]byte("a@^1:\n  version \"1.0.0\"\n  dependencies:\n    b \"^2\"\n"))
	f.Add([]byte("lockfileVersion: 5.3\npackages:\n  /a/1.0.0_b@2.0.0:\n    dev: true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, name := range names {
			x, _ := Lookup(name)
			pkgs, err := x.Parse(name, data)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: error %v is not a *ParseError", name, err)
				}
				if pe.File != name || pe.Line < 0 || pe.Line > lines {
					t.Fatalf("%s: error %q: line %d outside 0..%d", name, err, pe.Line, lines)
				}
				continue
			}
			for _, p := range pkgs {
				if p.Line < 0 || p.Line > lines || len(p.Path) > maxDepth {
					t.Fatalf("%s: package %+v: line or path out of bounds", name, p)
				}
			}
		}
	})
}

func forFileName(path string) string {
	x, _ := forFile(path)
	return x.Name
}

func FuzzJSON(f *testing.F) {
	fuzzFormats(f, "package-lock.json", "composer.lock", "Pipfile.lock", "bun.lock")
}

func FuzzYAML(f *testing.F) { fuzzFormats(f, "pnpm-lock.yaml", "yarn.lock") }

func FuzzTOML(f *testing.F) { fuzzFormats(f, "Cargo.lock", "poetry.lock", "uv.lock") }

func FuzzText(f *testing.F) {
	fuzzFormats(f, "yarn.lock", "requirements.txt", "Gemfile.lock", "go.mod")
}

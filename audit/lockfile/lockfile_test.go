package lockfile

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden parses every sample under testdata/samples (with ParseFile, so
// a package.json beside is used) and compares all fields with testdata/golden.
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata/samples")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			files, err := Find(context.Background(), filepath.Join("testdata/samples", d.Name()))
			if err != nil || len(files) != 1 {
				t.Fatalf("Find: %q, %v; want one lockfile", files, err)
			}
			pkgs, err := ParseFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(pkgs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata/golden", d.Name()+".json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if d := cmp.Diff(strings.TrimSpace(string(want)), strings.TrimSpace(string(got))); d != "" {
				t.Errorf("%s (-golden +got):\n%s", files[0], d)
			}
		})
	}
}

// TestPackageLockV3 checks lines, direct and dev flags and paths on a
// hand-written lockfile whose answers are known.
func TestPackageLockV3(t *testing.T) {
	pkgs, err := ParseFile("testdata/samples/npm-v3/package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Version string
		Direct  bool
		Dev     bool
		Path    []string
		Line    int
	}
	got := map[string]row{}
	for _, p := range pkgs {
		got[p.Name+"@"+p.Version] = row{p.Version, p.Direct, p.Dev, p.Path, p.Line}
	}
	want := map[string]row{
		"express@4.18.2":     {"4.18.2", true, false, nil, 31},
		"body-parser@1.20.1": {"1.20.1", false, false, []string{"express@4.18.2"}, 17},
		"bytes@3.1.2":        {"3.1.2", false, false, []string{"express@4.18.2", "body-parser@1.20.1"}, 24},
		// express's own nested copy, not the hoisted 4.3.4: Node's resolution
		"debug@2.6.9":        {"2.6.9", false, false, []string{"express@4.18.2"}, 38},
		"mocha@10.2.0":       {"10.2.0", true, true, nil, 44},
		"debug@4.3.4":        {"4.3.4", false, true, []string{"mocha@10.2.0"}, 27},
		"@types/node@20.1.0": {"20.1.0", false, true, nil, 51},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestDirectFromManifest(t *testing.T) {
	tests := []struct {
		file   string
		direct []string
	}{
		{"testdata/samples/npm-v1/package-lock.json", []string{"postcss@6.0.23", "postcss-calc@7.0.1"}}, // 7.0.16 is nested under postcss-calc
		{"testdata/samples/yarn-berry/yarn.lock", []string{"@babel/helper-validator-identifier@7.22.20", "ansi-regex@5.0.1", "ansi-regex@6.0.1"}},
		{"testdata/samples/go/go.mod", nil}, // stdlib only: see below
		{"testdata/samples/pnpm-v9/pnpm-lock.yaml", []string{"@typescript-eslint/eslint-plugin@5.62.0", "@typescript-eslint/parser@5.62.0", "eslint@8.57.0", "typescript@4.9.5"}},
	}
	for _, tt := range tests {
		pkgs, err := ParseFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var direct []string
		for _, p := range pkgs {
			if p.Direct && p.Name != "stdlib" {
				direct = append(direct, p.Name+"@"+p.Version)
			}
		}
		if tt.direct == nil {
			tt.direct = []string{"example.com/fork/net@1.4.5", "golang.org/x/net@0.5.6"}
		}
		if d := cmp.Diff(uniqueSorted(tt.direct), uniqueSorted(direct)); d != "" {
			t.Errorf("%s: direct (-want +got):\n%s", tt.file, d)
		}
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		file, data string
		line       int
		msg        string
	}{
		{"package-lock.json", "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {\"version\": \"1.0.0\"},\n", 5, "truncated"},
		{"package-lock.json", "{\n  \"packages\": {\n    \"node_modules/a\": {\"version\": 1}\n  }\n}\n", 3, `want string`},
		{"package-lock.json", "{\n \"packages\": [1]\n}", 2, "want an object"},
		{"package-lock.json", "{\n \"dependencies\": {\n  \"a\": {\"version\": \"1.0.0\",,}}}", 3, "invalid JSON"},
		{"composer.lock", "{\"packages\": [\n{\"name\": \"a/b\", \"version\": \"1\"},\n{\"version\": \"2\"}]}", 3, "without a name"},
		{"pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n  b: [\n", 4, "invalid YAML"}, // yaml.v3 notices on line 4
		{"pnpm-lock.yaml", "lockfileVersion: 5.3\npackages:\n  /acorn/8.7.0: {}\n  invalidpath: {}\n", 4, "not a package path"},
		{"yarn.lock", "# yarn lockfile v1\n\na@^1.0.0:\n  version \"1.0.0\"\nthis is not yarn\n", 5, "want an entry"},
		{"yarn.lock", "__metadata:\n  version: 8\n\"a@npm:1\": [\n", 3, "invalid YAML"},
		{"go.mod", "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b\n)\n", 6, "invalid go.mod"},
		{"Cargo.lock", "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\n", 5, "unterminated string"},
		{"poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\n[[package]\n", 4, "want \"]]\""},
		{"uv.lock", "[[package]]\nname = \"a\"\nsource = { registry = \"x\" \n", 3, "inline table"},
		{"bun.lock", "{\n  \"packages\": {\n    \"a\": [123, \"\", {}],\n  }\n}", 3, "want [\"name@version\""},
		{"Pipfile.lock", "{\"default\": {\"a\": {\"version\": [\"==1\"]}}}", 1, "want string"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.file, []byte(tt.data))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%s, %q): want a *ParseError, got %v", tt.file, tt.data, err)
			continue
		}
		if pe.File != tt.file || pe.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Parse(%s, %q) = %q (line %d), want line %d and %q", tt.file, tt.data, err, pe.Line, tt.line, tt.msg)
		}
		if !strings.HasPrefix(err.Error(), tt.file+":") {
			t.Errorf("error %q does not start with the file", err)
		}
	}
}

func TestSizeBound(t *testing.T) {
	big := make([]byte, MaxFileSize+1)
	_, err := Parse("package-lock.json", big)
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "more than the") {
		t.Fatalf("Parse of %d bytes = %v, want a size error", len(big), err)
	}
}

func TestKnown(t *testing.T) {
	for name, want := range map[string]bool{
		"package-lock.json": true, "a/b/npm-shrinkwrap.json": true, "yarn.lock": true, "pnpm-lock.yaml": true, "bun.lock": true,
		"go.mod": true, "go.sum": false, "requirements.txt": true, "requirements-dev.txt": true, "poetry.lock": true,
		"Pipfile.lock": true, "Pipfile": false, "uv.lock": true, "Cargo.lock": true, "Gemfile.lock": true, "composer.lock": true,
		"package.json": false, "bun.lockb": false,
	} {
		if got := Known(name); got != want {
			t.Errorf("Known(%q) = %v, want %v", name, got, want)
		}
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const lockV3 = `{"lockfileVersion": 3, "packages": {"": {"dependencies": {"a": "1"}}, "node_modules/a": {"version": "1.0.0"}}}`

func TestFindSkipsInstalledTrees(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "package-lock.json"), lockV3)
	write(t, filepath.Join(dir, "api", "go.mod"), "module x\n\ngo 1.22\n")
	write(t, filepath.Join(dir, "node_modules", "a", "package-lock.json"), lockV3)
	write(t, filepath.Join(dir, "vendor", "x", "go.mod"), "module y\n")
	write(t, filepath.Join(dir, ".git", "yarn.lock"), "")
	if err := os.Symlink(dir, filepath.Join(dir, "api", "loop")); err != nil {
		t.Fatal(err)
	}
	got, err := Find(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "api", "go.mod"), filepath.Join(dir, "package-lock.json")}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Find (-want +got):\n%s", d)
	}
}

func TestScanGoesOnAfterErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a", "package-lock.json"), "{\n  \"packages\": {\n")
	write(t, filepath.Join(dir, "b", "package-lock.json"), lockV3)
	pkgs, errs := Scan(context.Background(), dir)
	if len(errs) != 1 || len(pkgs) != 1 {
		t.Fatalf("Scan = %v, %v; want one package and one error", pkgs, errs)
	}
	var pe *ParseError
	if !errors.As(errs[0], &pe) || pe.File != filepath.Join(dir, "a", "package-lock.json") || pe.Line != 3 {
		t.Errorf("error = %#v, want a ParseError for a/package-lock.json line 3", errs[0])
	}
}

func TestScanPrefersShrinkwrap(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "package-lock.json"), lockV3)
	write(t, filepath.Join(dir, "npm-shrinkwrap.json"), strings.ReplaceAll(lockV3, "1.0.0", "2.0.0"))
	pkgs, errs := Scan(context.Background(), dir)
	if len(errs) != 0 || len(pkgs) != 1 || pkgs[0].Version != "2.0.0" {
		t.Fatalf("Scan = %v, %v; want only a@2.0.0 from npm-shrinkwrap.json", pkgs, errs)
	}
}

func TestRequirementsIncludes(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "requirements.txt"), "flask==2.0.1\n-r dev.txt\n")
	write(t, filepath.Join(dir, "dev.txt"), "-r requirements.txt\npytest==7.0\n")
	pkgs, err := ParseFile(filepath.Join(dir, "requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"PyPI|flask|2.0.1", "PyPI|pytest|7.0"}, packageKeys(pkgs)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if pkgs[1].File != filepath.Join(dir, "dev.txt") || pkgs[1].Line != 2 {
		t.Errorf("pytest at %s:%d, want dev.txt:2", pkgs[1].File, pkgs[1].Line)
	}
}

// TestRequirementsContinuationLinear parses a file of continuation lines
// only: joining them must take time linear in the file, not quadratic.
func TestRequirementsContinuationLinear(t *testing.T) {
	data := []byte(strings.Repeat("a\\\n", 1<<20/3))
	done := make(chan error, 1)
	go func() {
		_, err := Parse("requirements.txt", data)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Parse of 1 MiB of continuation lines took more than 10s")
	}
}

// TestPackageLockV1LocationsBounded nests dependencies with long names,
// then gives the deepest many short-named children: each child's location
// repeats every ancestor's name, so the locations must be bounded by the
// file, not by packages × depth × name length.
func TestPackageLockV1LocationsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"lockfileVersion": 1, "dependencies": {`)
	const depth = 64
	long := strings.Repeat("n", 4<<10)
	for i := range depth {
		fmt.Fprintf(&b, `"%s%d": {"version": "1.0.0", "dependencies": {`, long, i)
	}
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"c%d": {}`, i)
	}
	b.WriteString(strings.Repeat("}}", depth) + "}}")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse("package-lock.json", []byte(b.String()))
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Fatalf("Parse of %d bytes allocated %d MiB (err %v), want it bounded by the file", b.Len(), grew>>20, err)
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse = %v, want a ParseError naming the file", err)
	}
}

package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// linuxAMD64 is the one platform the tests build: the full matrix is
// make release.
var linuxAMD64 = Platform{OS: "linux", Arch: "amd64"}

// A built release, shared by the tests of this package: the same commit
// exported to two folders and built into two release folders.
type built struct {
	stamp      Stamp  // from git, in clone A
	distA      string // the release built from export A
	distB      string // the same, from export B (another path)
	filesA     []string
	err        error
	root, temp string
}

var (
	buildOnce sync.Once
	shared    built
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.temp != "" {
		os.RemoveAll(shared.temp)
	}
	os.Exit(code)
}

// releaseTwice clones the repository at its HEAD commit (what a release
// is made from, without the edits in progress in the work tree) into two
// folders of different paths, and builds the linux/amd64 release, SBOM and
// npm packages included, in each.
func releaseTwice(t *testing.T) *built {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the release twice: make test-go runs it without -short")
	}
	for _, prog := range []string{"git", "go", "npm"} {
		if _, err := exec.LookPath(prog); err != nil {
			testutil.RealPartMissing(t, prog+" is not on PATH")
		}
	}
	root := testutil.RepoRoot(t)
	buildOnce.Do(func() {
		b := &shared
		b.root = root
		ctx := context.Background()
		if b.temp, b.err = os.MkdirTemp("", "bulwark-release-test-"); b.err != nil {
			return
		}
		var head []byte
		if head, b.err = exec.Command("git", "-C", root, "rev-parse", "HEAD").Output(); b.err != nil {
			return
		}
		for i, dir := range []string{"a", "b-at-another-path"} {
			src := filepath.Join(b.temp, dir, "src")
			if b.err = cloneAt(root, strings.TrimSpace(string(head)), src); b.err != nil {
				return
			}
			var stamp Stamp
			if stamp, b.err = StampFromGit(ctx, src); b.err != nil {
				return
			}
			dist := filepath.Join(b.temp, dir, "dist")
			var files []string
			if files, b.err = Build(ctx, Options{Root: src, Dist: dist, Platforms: []Platform{linuxAMD64}}); b.err != nil {
				return
			}
			if i == 0 {
				b.stamp, b.distA, b.filesA = stamp, dist, files
			} else {
				b.distB = dist
			}
		}
	})
	if shared.err != nil {
		t.Fatalf("building the release: %v", shared.err)
	}
	return &shared
}

// cloneAt clones the repository at root into dst and checks out commit.
func cloneAt(root, commit, dst string) error {
	for _, args := range [][]string{
		{"clone", "--quiet", "--no-checkout", root, dst},
		{"-C", dst, "checkout", "--quiet", "--detach", commit},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// TestReproducible builds the same commit from two folders and finds the
// same bytes in every file of both releases, and the checksums of
// SHA256SUMS true to the files.
func TestReproducible(t *testing.T) {
	b := releaseTwice(t)
	a, other := readTree(t, b.distA), readTree(t, b.distB)
	if len(a) != len(other) {
		t.Errorf("release A has %d files, B %d", len(a), len(other))
	}
	for name, content := range a {
		if !bytes.Equal(content, other[name]) {
			t.Errorf("%s differs between two builds of one commit (%d and %d bytes)", name, len(content), len(other[name]))
		}
	}
	base := "bulwark_" + b.stamp.Version + "_linux_amd64"
	for _, want := range []string{base + ".tar.gz", base + ".cdx.json", "bulwark-" + b.stamp.NPMVersion() + ".tgz",
		"bulwark-sec-linux-x64-" + b.stamp.NPMVersion() + ".tgz", SumsFile, "linux_amd64/bulwark"} {
		if _, ok := a[want]; !ok {
			t.Errorf("the release has no %s; it has %v", want, keys(a))
		}
	}
	sums := string(a[SumsFile])
	lines := strings.Split(strings.TrimSpace(sums), "\n")
	if len(lines) != len(b.filesA) {
		t.Errorf("%s has %d lines, want one per file (%d):\n%s", SumsFile, len(lines), len(b.filesA), sums)
	}
	for _, line := range lines {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("%s line %q: want HEX  NAME", SumsFile, line)
		}
		got, err := fileSHA256(filepath.Join(b.distA, name))
		if err != nil || got != sum {
			t.Errorf("%s says %s for %s; the file's is %s (%v)", SumsFile, sum, name, got, err)
		}
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		check := exec.Command("sha256sum", "-c", "--strict", SumsFile)
		check.Dir = b.distA
		if out, err := check.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c %s: %v\n%s", SumsFile, err, out)
		}
	}
}

// TestVersionStamped runs the built binary: it names the version, commit
// and date of the commit it was built from.
func TestVersionStamped(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("runs the linux/amd64 binary")
	}
	b := releaseTwice(t)
	bin := filepath.Join(b.distA, "linux_amd64", "bulwark")
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("bulwark --version: %v\n%s", err, out)
	}
	want := "bulwark " + b.stamp.Version + " (commit " + b.stamp.Commit + ", " + b.stamp.Date.Format("2006-01-02T15:04:05Z07:00") + ", " + runtime.Version() + ", linux/amd64)\n"
	if string(out) != want {
		t.Errorf("bulwark --version = %q, want %q", out, want)
	}
	out, err = exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatalf("bulwark version --json: %v", err)
	}
	var got map[string]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("bulwark version --json printed %q: %v", out, err)
	}
	if got["version"] != b.stamp.Version || got["commit"] != b.stamp.Commit || got["go"] != runtime.Version() {
		t.Errorf("bulwark version --json = %v, want version %s, commit %s, go %s", got, b.stamp.Version, b.stamp.Commit, runtime.Version())
	}
}

// TestArchiveHoldsBinary opens the archive an operator downloads: the
// binary (executable, the same bytes as the one built), the docs and the
// systemd units, each dated at the commit.
func TestArchiveHoldsBinary(t *testing.T) {
	b := releaseTwice(t)
	base := "bulwark_" + b.stamp.Version + "_linux_amd64"
	f, err := os.Open(filepath.Join(b.distA, base+".tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	seen := map[string]*tar.Header{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seen[h.Name] = h
		if !h.ModTime.Equal(b.stamp.Date) || h.Uid != 0 || h.Gid != 0 || h.Uname != "" {
			t.Errorf("%s: mtime %v uid %d gid %d user %q, want the commit's time %v and 0:0 unnamed", h.Name, h.ModTime, h.Uid, h.Gid, h.Uname, b.stamp.Date)
		}
		if h.Name == base+"/bulwark" {
			content, _ := io.ReadAll(tr)
			built, _ := os.ReadFile(filepath.Join(b.distA, "linux_amd64", "bulwark"))
			if !bytes.Equal(content, built) {
				t.Errorf("the archive's binary is not the one built")
			}
		}
	}
	for name, mode := range map[string]int64{
		base + "/bulwark": 0o755, base + "/README.md": 0o644, base + "/docs/install.md": 0o644,
		base + "/systemd/bulwark-guard.service": 0o644, base + "/systemd/bulwark-watch.service": 0o644,
	} {
		if h := seen[name]; h == nil {
			t.Errorf("the archive has no %s; it has %v", name, keys(seen))
		} else if h.Mode != mode {
			t.Errorf("%s: mode %o, want %o", name, h.Mode, mode)
		}
	}
}

// TestSBOM reads the CycloneDX SBOM: the application, the modules built
// into it (SQLite's driver among them) and the Go standard library.
func TestSBOM(t *testing.T) {
	b := releaseTwice(t)
	raw, err := os.ReadFile(filepath.Join(b.distA, "bulwark_"+b.stamp.Version+"_linux_amd64.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bom struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Metadata    struct {
			Component struct{ Name, Type string } `json:"component"`
		} `json:"metadata"`
		Components []struct{ Name, Version, Purl string } `json:"components"`
	}
	if err := json.Unmarshal(raw, &bom); err != nil {
		t.Fatalf("the SBOM is not JSON: %v", err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.Metadata.Component.Name != "github.com/bulwark-sec/bulwark" || bom.Metadata.Component.Type != "application" {
		t.Errorf("SBOM: format %q, component %+v; want CycloneDX, the application github.com/bulwark-sec/bulwark", bom.BOMFormat, bom.Metadata.Component)
	}
	names := map[string]string{}
	for _, c := range bom.Components {
		names[c.Name] = c.Version
	}
	for _, want := range []string{"modernc.org/sqlite", "github.com/spf13/cobra", "std"} {
		if _, ok := names[want]; !ok {
			t.Errorf("the SBOM lists no %s among %d components", want, len(names))
		}
	}
	if v := names["std"]; v != runtime.Version() {
		t.Errorf("the SBOM's standard library is %q, want %q", v, runtime.Version())
	}
}

// readTree returns every regular file under dir by its slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func keys[V any](m map[string]V) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return s
}

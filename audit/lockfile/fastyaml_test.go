package lockfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sameNode says where a differs from b, as the parsers see nodes: kind,
// value, line, null or not, and the same for every child.
func sameNode(a, b *yaml.Node, at string) error {
	switch {
	case a == nil || b == nil:
		if a != b {
			return fmt.Errorf("%s: %v vs %v", at, a, b)
		}
		return nil
	case a.Kind != b.Kind || a.Value != b.Value || a.Line != b.Line || (a.Tag == "!!null") != (b.Tag == "!!null") || len(a.Content) != len(b.Content):
		return fmt.Errorf("%s: fast {kind %d %q line %d tag %s, %d children} vs yaml.v3 {kind %d %q line %d tag %s, %d children}", at,
			a.Kind, a.Value, a.Line, a.Tag, len(a.Content), b.Kind, b.Value, b.Line, b.Tag, len(b.Content))
	}
	for i := range a.Content {
		if err := sameNode(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", at, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkFastYAML fails when fastYAML accepts data and decodes it other
// than yaml.v3 does.
func checkFastYAML(t *testing.T, data []byte) (accepted bool) {
	t.Helper()
	fast, ok := fastYAML(data)
	if !ok {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("fastYAML accepted what yaml.v3 refuses (%v):\n%s", err, data)
	}
	var want *yaml.Node
	if len(doc.Content) > 0 {
		want = doc.Content[0]
	}
	if err := sameNode(fast, want, ""); err != nil {
		t.Fatalf("fastYAML and yaml.v3 differ at %v in:\n%s", err, data)
	}
	return true
}

// TestFastYAMLSamples checks that the YAML lockfiles of the samples and
// the shared corpus take the fast path and decode as yaml.v3 decodes them.
func TestFastYAMLSamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/samples/*/*.yaml")
	more, _ := filepath.Glob("testdata/samples/yarn-berry/*")
	corpus, _ := filepath.Glob("../../../shared/corpus/lockfiles/javascript/*/testdata/*.yaml")
	files = append(append(files, more...), corpus...)
	fast := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkFastYAML(t, data) {
			fast++
		} else if strings.Contains(f, "pnpm") && !strings.Contains(f, "invalid") {
			t.Logf("%s: not on the fast path", f)
		}
	}
	if fast == 0 {
		t.Fatalf("none of %d YAML lockfiles took the fast path", len(files))
	}
	t.Logf("%d of %d YAML lockfiles on the fast path", fast, len(files))
}

// FuzzFastYAML holds fastYAML to yaml.v3: whatever it accepts decodes to
// the same nodes.
func FuzzFastYAML(f *testing.F) {
	files, _ := filepath.Glob("testdata/samples/*/*")
	for _, p := range files {
		if strings.Contains(p, "pnpm") || strings.Contains(p, "yarn-berry") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"a: 1\nb:\n  c: 'x''y'\n  d: \"q\"\n",
		"a: {x: 1, 'y': z}\nb: [1, 2]\nc: []\nd: {}\n",
		"a:\n- 1\n- 2\nb:\n  - x # c\n",
		"a: b # c\nd: ~\ne:\nf: null\n",
		"packages:\n  /a/1.0.0:\n    resolution: {integrity: sha512-x, tarball: https://x/y}\n    dev: true\n",
		"a: b\na: c\n", "a: b: c\n", "a:\n  b\n  c\n", "'a': [x, {y: 1}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkFastYAML(t, data)
	})
}

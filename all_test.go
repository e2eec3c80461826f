package bulwark_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/bulwark-sec/bulwark/"

// layers lists every directory of the module from the top down (STYLE.md):
// a package may import packages of the layers below it, never above, and
// the stages of one layer do not import each other, so each stays usable
// alone. A package this list does not place fails the test: a new
// directory takes its place here on purpose.
var layers = [][]string{
	{"cmd"}, // the binary, its CLI under cmd/bulwark/internal/cli
	{"guard"},
	{"console"},
	{"supervise", "watch"},
	{"headers", "inspect", "limit", "accounts", "blackbook"},
	{"alert", "ship"},
	{"routes"},
	{"update"}, // uses audit (STYLE.md)
	{"audit"},
	{"internal/fleet"}, // the counts a fleet shares; carries events
	{"event", "config"},
	{"internal/sqlite", "internal/clientip", "internal/corpus", "internal/testutil", "internal/release"},
}

func layerOf(pkg string) (layer int, top string, ok bool) {
	rel := strings.TrimPrefix(pkg, module)
	for i, tops := range layers {
		for _, t := range tops {
			if rel == t || strings.HasPrefix(rel, t+"/") {
				return i, t, true
			}
		}
	}
	return 0, "", false
}

// TestImportDirection keeps the layout of STYLE.md true.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 20 {
		t.Fatalf("go list gave %d packages; the module has more than 20", len(lines))
	}
	for _, line := range lines {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if pkg+"/" == module { // the root holds only these tests
			continue
		}
		from, fromTop, ok := layerOf(pkg)
		if !ok {
			t.Errorf("%s has no place in the layers of all_test.go: add it where it belongs", pkg)
			continue
		}
		for _, imp := range imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			if fromTop == "event" || fromTop == "config" {
				t.Errorf("%s imports %s: event and config import nothing of ours", pkg, imp)
				continue
			}
			to, toTop, ok := layerOf(imp)
			switch {
			case !ok:
				t.Errorf("%s imports %s, which has no place in the layers", pkg, imp)
			case to < from:
				t.Errorf("%s imports %s, which is above it in the layout", pkg, imp)
			case to == from && fromTop != toTop:
				t.Errorf("%s imports %s: packages of one layer stay independent", pkg, imp)
			}
		}
	}
}

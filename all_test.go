package bulwark_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/bulwark-sec/bulwark/"

// layers lists the top-level directories from the top down (STYLE.md): a
// package may import packages of its own layer's helpers and of the layers
// below it, never above. Stages in one layer do not import each other, so
// each stays usable alone.
var layers = [][]string{
	{"cmd"},
	{"internal/cli"},
	{"guard"},
	{"console"},
	{"supervise", "watch"},
	{"headers", "inspect", "limit", "accounts", "blackbook"},
	{"alert", "ship"},
	{"update"}, // uses audit (STYLE.md)
	{"audit"},
	{"event", "config"},
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
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		from, fromTop, fromKnown := layerOf(pkg)
		for _, imp := range imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			rel := strings.TrimPrefix(imp, module)
			if rel == "internal/cli" && !strings.HasPrefix(pkg, module+"cmd/") {
				t.Errorf("%s imports internal/cli: only cmd/bulwark may", pkg)
			}
			if strings.HasPrefix(rel, "internal/") && rel != "internal/cli" {
				if fromKnown && (fromTop == "event" || fromTop == "config") {
					t.Errorf("%s imports %s: event and config import nothing of ours", pkg, imp)
				}
				continue
			}
			to, toTop, toKnown := layerOf(imp)
			if !fromKnown || !toKnown {
				continue
			}
			switch {
			case to < from:
				t.Errorf("%s imports %s, which is above it in the layout", pkg, imp)
			case to == from && fromTop != toTop:
				t.Errorf("%s imports %s: packages of one layer stay independent", pkg, imp)
			}
		}
	}
}

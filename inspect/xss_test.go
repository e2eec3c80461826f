package inspect

import (
	"strings"
	"testing"

	libinjection "github.com/corazawaf/libinjection-go"
)

// FuzzIsXSSNeedsLTOrEq checks what [scan.xss] relies on to skip
// libinjection: without a < or an =, IsXSS finds nothing.
func FuzzIsXSSNeedsLTOrEq(f *testing.F) {
	for _, v := range []string{`" onload`, `' onerror alert(1)`, "x` style", `javascript:alert(1)`, `"><svg onload=alert(1)>`, `<!--[if`} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsAny(v, "<=") {
			return
		}
		if libinjection.IsXSS(v) {
			t.Errorf("libinjection.IsXSS(%q) = true without < or =", v)
		}
	})
}

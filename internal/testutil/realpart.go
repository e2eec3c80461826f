package testutil

import (
	"os"
	"testing"
)

// RealPartMissing stops a test that needs a real part the machine lacks
// (a program, a package, root, the shared corpus): under CI, where $CI is
// set, the part must be there and the test fails; elsewhere the test is
// skipped, loudly, so a skip is never read as a pass. what says what is
// missing and how to get it.
func RealPartMissing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("REAL PART MISSING: %s", what)
	}
	t.Skipf("REAL PART MISSING: %s", what)
}

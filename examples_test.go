package bulwark_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestGoMiddlewareExample runs the Example tests of examples/go-middleware,
// a module of its own that imports the stages (headers, inspect, limit,
// blackbook, accounts) as any Go application would: from outside this module, where
// internal packages cannot be imported. It builds offline from the module
// cache this module's build filled (GOPROXY=off) with the committed go.sum.
func TestGoMiddlewareExample(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		testutil.RealPartMissing(t, "the go command (to test examples/go-middleware)")
	}
	const limit = 10 * time.Minute // a cold build of modernc.org/sqlite included
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "test", "-count=1", "./...")
	cmd.Dir = "examples/go-middleware"
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=readonly")
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("go test in examples/go-middleware still running after %v:\n%s", limit, out)
	}
	if err != nil {
		t.Fatalf("go test in examples/go-middleware: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

package update

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestBaselineFails checks that tests failing (or hanging) before any
// update make a setup error, not failed updates.
func TestBaselineFails(t *testing.T) {
	dir, env := goFixture(t)
	tests := []struct {
		name, cmd string
		timeout   time.Duration
		want      string
	}{
		{"failing", "echo the suite is red; exit 3", time.Minute, "the suite is red"},
		{"hanging", "sleep 60 & sleep 60", 500 * time.Millisecond, "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			rep, err := Run(ctx, dir, Options{Env: env, Test: []string{"sh", "-c", tt.cmd}, Timeout: tt.timeout})
			var setup *SetupError
			if !errors.As(err, &setup) || !strings.Contains(err.Error(), "fail before any update") {
				t.Fatalf("err = %v, want a SetupError about the tests failing before any update", err)
			}
			if rep == nil || len(rep.Baseline) != 1 || !strings.Contains(rep.Baseline[0], tt.want) {
				t.Errorf("baseline = %q, want it to contain %q", rep.Baseline, tt.want)
			}
		})
	}
	if _, err := Run(context.Background(), t.TempDir(), Options{}); !errors.Is(err, ErrNoProject) {
		t.Errorf("empty dir: err = %v, want ErrNoProject", err)
	}
}

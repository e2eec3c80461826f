package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/watch"
)

// stuckWriter blocks every write until release is closed, telling started
// of the first.
type stuckWriter struct {
	started chan struct{}
	release chan struct{}
}

func (w *stuckWriter) Write(p []byte) (int, error) {
	select {
	case w.started <- struct{}{}:
	default:
	}
	<-w.release
	return len(p), nil
}

// The result of startWatch comes only once the firewall's enforcer has
// returned too: the caller closes the store after it, which the enforcer
// reads.
func TestStartWatchWaitsForTheFirewall(t *testing.T) {
	dir := t.TempDir()
	logFile := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(logFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fileConfig{}.withDefaults()
	cfg.Store.Path = filepath.Join(dir, "bulwark.db")
	cfg.Watch = watch.Config{
		Sources:  []watch.Source{{Path: logFile, Preset: "ssh"}},
		Firewall: watch.FirewallConfig{Backend: "nftables", DryRun: true},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bus := event.NewBus(nil)
	defer bus.Close()
	st, err := openState(t.Context(), cfg, bus.Publish, log)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	out := &stuckWriter{started: make(chan struct{}, 1), release: make(chan struct{})}
	ctx, cancel := context.WithCancel(t.Context())
	done, err := startWatch(ctx, cfg.Watch, st, bus, log, out)
	if err != nil {
		t.Fatal(err)
	}
	<-out.started // the enforcer is writing the table
	cancel()
	var err2 error
	select {
	case err2 = <-done:
		t.Error("startWatch's result came while its firewall enforcer was still running")
		close(out.release)
	case <-time.After(200 * time.Millisecond):
		close(out.release)
		err2 = <-done
	}
	if err2 != nil {
		t.Errorf("startWatch: %v", err2)
	}
}

package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

type events struct {
	mu sync.Mutex
	es []event.Event
}

func (e *events) publish(ev event.Event) { e.mu.Lock(); e.es = append(e.es, ev); e.mu.Unlock() }
func (e *events) len() int               { e.mu.Lock(); defer e.mu.Unlock(); return len(e.es) }

// runWatcher runs a watcher until it has published want events, then stops
// it (which saves positions).
func runWatcher(t *testing.T, cfg Config, db *sqlite.DB, want int) []event.Event {
	t.Helper()
	got := &events{}
	w, err := New(cfg, Options{DB: db, Publish: got.publish})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	// Every line read, nothing more can come: count then, not after a pause.
	testutil.Eventually(t, "every line of the sources read", func() bool { return readToEnd(t, w, db, cfg) })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got.len() != want {
		t.Fatalf("published %d events, want %d", got.len(), want)
	}
	return got.es
}

// readToEnd reports whether w has handled every line of cfg's files: the
// position it reached (not yet saved, else saved) is each file's end.
func readToEnd(t *testing.T, w *Watcher, db *sqlite.DB, cfg Config) bool {
	t.Helper()
	for _, s := range cfg.Sources {
		fi, err := os.Stat(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		w.mu.Lock()
		at, ok := w.pending[s.name()]
		w.mu.Unlock()
		if !ok {
			if at, err = w.load(context.Background(), s.name()); err != nil {
				t.Fatal(err)
			}
		}
		if at.pos.Offset != fi.Size() {
			return false
		}
	}
	return true
}

func TestWatcherEventsAndRestart(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "auth.log")
	sample, err := os.ReadFile("testdata/openssh.log")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(logPath, sample, 0o600)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "bulwark.db"), sqlite.Migrations{"watch": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := Config{Sources: []Source{{Path: logPath, Preset: "ssh", FromStart: true}}}

	es := runWatcher(t, cfg, db, 6)
	e := es[0]
	if e.Category != event.CategoryAuthentication || e.Action != ActionFailure || e.Outcome != event.OutcomeFailure ||
		e.UserName != "sshtest" || e.SourceIP != loopback || e.Labels["service"] != "ssh" {
		t.Errorf("first event = %+v, want an ssh login failure of sshtest from 127.0.0.1", e)
	}
	if es[3].Action != ActionSuccess || es[3].Outcome != event.OutcomeSuccess {
		t.Errorf("fourth event = %+v, want the accepted password", es[3])
	}

	// After a restart only the lines written since are read, though the
	// source says fromStart: the saved position wins.
	f, _ := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("Failed password for root from 198.51.100.7 port 4000 ssh2\n")
	f.Close()
	es = runWatcher(t, cfg, db, 1)
	if es[0].UserName != "root" || es[0].SourceIP.String() != "198.51.100.7" {
		t.Errorf("after restart = %+v, want only the new failure", es[0])
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Sources: []Source{{Path: "/x"}}}, "sources[0].preset: missing"},
		{Config{Sources: []Source{{Path: "/x", Preset: "telnet"}}}, `unknown preset "telnet"`},
		{Config{Sources: []Source{{Preset: "ssh"}}}, "either path"},
		{Config{Sources: []Source{{Path: "/x", Preset: "generic", Failure: "failed from (\\S+)"}}}, "sources[0].failure"},
		{Config{Sources: []Source{{Path: "/x", Preset: "ssh"}, {Path: "/y", Preset: "ssh"}}}, "used twice"},
		{Config{Firewall: FirewallConfig{Backend: "pf"}}, "firewall.backend"},
		{Config{Firewall: FirewallConfig{Table: "a b"}}, "firewall.table"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want an error with %q", tt.cfg, err, tt.want)
		}
	}
}

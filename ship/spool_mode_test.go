package ship

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestSpoolFileModes: whatever the umask, the spool directories are 0700
// and their files (segments, state.json, LOCK) 0600, whether ship creates
// them or finds them with wider modes, which it narrows and logs.
func TestSpoolFileModes(t *testing.T) {
	old := syscall.Umask(0) // modes as asked for, not narrowed by the umask
	defer syscall.Umask(old)

	root := filepath.Join(t.TempDir(), "bulwark-spool")
	cfg := Config{Sinks: []SinkConfig{{Name: "s1", Type: TypeStdout, Spool: SpoolConfig{Interval: 5 * time.Millisecond}}}}
	run := func(logs *logBuffer) {
		t.Helper()
		s, err := New(cfg, Options{Dir: root, Logger: slog.New(slog.NewTextHandler(logs, nil)),
			Sinks: map[string]Sink{"s1": discardSink{}}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			s.Handle(testEvent(i))
		}
		testutil.Eventually(t, "delivery", func() bool { st := s.Stats()[0]; return st.Delivered >= 50 && st.BacklogEvents == 0 })
		time.Sleep(20 * time.Millisecond) // the acknowledgement is written
		for i := 50; i < 60; i++ {
			s.Handle(testEvent(i)) // left in a segment, undelivered or not
		}
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string) (files int) {
		t.Helper()
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			st, err := os.Stat(path)
			if err != nil {
				return err
			}
			want := fileMode
			if d.IsDir() {
				want = dirMode
			} else {
				files++
			}
			if got := st.Mode().Perm(); got != want {
				t.Errorf("%s: %s has mode %v, want %v", what, path, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}

	var logs logBuffer
	run(&logs)
	if n := check("created"); n < 3 {
		t.Fatalf("only %d files in the spool, want a segment, state.json and LOCK", n)
	}
	if l := logs.lines("narrowed"); len(l) != 0 {
		t.Errorf("narrowed modes of files ship created:\n%s", strings.Join(l, ""))
	}

	// Widen everything, as an older version or a careless copy might.
	widened := 0
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		mode := fs.FileMode(0o644)
		if d.IsDir() {
			mode = 0o777
		}
		widened++
		return os.Chmod(path, mode)
	})
	logs = logBuffer{}
	run(&logs)
	check("found wider")
	if n := len(logs.lines("level=WARN", "narrowed")); n < widened {
		t.Errorf("%d narrowed modes logged, want one for each of the %d widened paths:\n%s", n, widened, logs.String())
	}
}

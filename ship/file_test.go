package ship

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

func TestFileRotatesBySizeAndAgeByRenaming(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.jsonl")
	now := time.Date(2026, 11, 30, 15, 4, 5, 0, time.UTC)
	clock := func() time.Time { return now }
	f, err := NewFile(SinkConfig{Name: "f", Type: TypeFile, Path: path, MaxSize: 2 << 10, MaxAge: time.Hour, Keep: 3}, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sent := 0
	for range 20 { // size: ~500 bytes an event, 2KiB a file
		if err := f.Send(context.Background(), records(t, testEvent(sent), testEvent(sent+1))); err != nil {
			t.Fatal(err)
		}
		sent += 2
		now = now.Add(time.Second)
	}
	now = now.Add(2 * time.Hour) // age
	if err := f.Send(context.Background(), records(t, testEvent(sent))); err != nil {
		t.Fatal(err)
	}
	sent++
	names, _ := filepath.Glob(filepath.Join(dir, "events*.jsonl"))
	sort.Strings(names)
	rotated := regexp.MustCompile(`^events\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?\.jsonl$`)
	var n int
	for _, name := range names {
		base := filepath.Base(name)
		if base != "events.jsonl" && !rotated.MatchString(base) {
			t.Errorf("unexpected file %s", base)
		}
		st, _ := os.Stat(name)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", base, st.Mode().Perm())
		}
		if st.Size() > 2<<10 {
			t.Errorf("%s is %d bytes, over maxSize", base, st.Size())
		}
		n += countLines(t, name)
	}
	if len(names) != 4 {
		t.Errorf("files = %v, want events.jsonl and keep=3 rotated ones", names)
	}
	if cur := countLines(t, path); cur != 1 {
		t.Errorf("current file has %d lines after the age rotation, want 1", cur)
	}
	if n >= sent || n < 7 {
		t.Errorf("%d lines kept of %d sent; older files should be pruned, the newest kept", n, sent)
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var e event.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Errorf("%s: line %d: %v", path, n+1, err)
		}
		n++
	}
	return n
}

func TestRotatedKeyOrder(t *testing.T) {
	names := []string{"e.2026-11-30T15-04-06.jsonl", "e.2026-11-30T15-04-05-2.jsonl", "e.2026-11-30T15-04-05.jsonl", "e.2026-11-30T15-04-05-1.jsonl"}
	sort.Slice(names, func(i, j int) bool {
		a, _ := rotatedKey(names[i], "e.", ".jsonl")
		b, _ := rotatedKey(names[j], "e.", ".jsonl")
		return a < b
	})
	want := []string{"e.2026-11-30T15-04-05.jsonl", "e.2026-11-30T15-04-05-1.jsonl", "e.2026-11-30T15-04-05-2.jsonl", "e.2026-11-30T15-04-06.jsonl"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order = %v, want %v", names, want)
		}
	}
	for _, bad := range []string{"e.jsonl", "e.notatime-at-all.jsonl", "e.2026-11-30T15-04-05x1.jsonl", "other.2026-11-30T15-04-05.jsonl"} {
		if _, ok := rotatedKey(bad, "e.", ".jsonl"); ok {
			t.Errorf("rotatedKey(%q) recognised it as rotated", bad)
		}
	}
}

// A batch that only partly fits (a full disk, here a file size limit) is
// cut off again, so the retry leaves whole lines, each event once.
func TestFileWriteErrorLeavesNoTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	f, err := NewFile(SinkConfig{Name: "f", Type: TypeFile, Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Send(context.Background(), records(t, testEvent(0))); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	batch := records(t, testEvent(1), testEvent(2))
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	// The limit applies to the whole process for a moment: half the
	// batch fits. Go ignores the SIGXFSZ that comes with it.
	lim := old
	lim.Cur = uint64(st.Size()) + uint64(len(batch[0].JSON))/2
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &lim); err != nil {
		testutil.RealPartMissing(t, "setrlimit(RLIMIT_FSIZE), which fills the disk for this test: "+err.Error())
	}
	err = f.Send(context.Background(), batch)
	if rerr := unix.Setrlimit(unix.RLIMIT_FSIZE, &old); rerr != nil {
		t.Fatal(rerr)
	}
	if err == nil {
		t.Fatal("Send past the file size limit succeeded")
	}
	if err := f.Send(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if n := countLines(t, path); n != 3 {
		t.Errorf("file has %d lines, want 3", n)
	}
}

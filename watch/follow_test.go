package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// collect follows path in the background and gathers its lines.
type collector struct {
	mu    sync.Mutex
	lines []string
	pos   Position
}

func (c *collector) emit(line []byte, pos Position) {
	c.mu.Lock()
	c.lines = append(c.lines, string(line))
	c.pos = pos
	c.mu.Unlock()
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.lines)
}

func follow(t *testing.T, fl *Follower, c *collector) (stop func()) {
	t.Helper()
	fl.Poll = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fl.Run(ctx, c.emit) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

func waitCount(t *testing.T, c *collector, n int) {
	t.Helper()
	testutil.Eventually(t, fmt.Sprintf("%d lines read", n), func() bool { return c.count() >= n })
}

// checkSequence wants lines "line 0" … "line n-1", each once, in order.
func checkSequence(t *testing.T, lines []string, n int) {
	t.Helper()
	seen := make(map[int]int)
	for _, l := range lines {
		i, err := strconv.Atoi(strings.TrimPrefix(l, "line "))
		if err != nil {
			t.Fatalf("unexpected line %q", l)
		}
		seen[i]++
	}
	var lost, twice []int
	for i := range n {
		switch seen[i] {
		case 0:
			lost = append(lost, i)
		case 1:
		default:
			twice = append(twice, i)
		}
	}
	if len(lost) > 0 || len(twice) > 0 || len(lines) != n {
		t.Errorf("%d lines read for %d written; lost %v; read twice %v", len(lines), n, head(lost), head(twice))
	}
}

func head(s []int) []int { return s[:min(len(s), 10)] }

// writer appends numbered lines at about rate lines/s, rotating the file
// every `every` lines with rotate.
type writer struct {
	path string
	f    *os.File
}

func (w *writer) open(t *testing.T) {
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	w.f = f
}

func (w *writer) line(t *testing.T, i int) {
	if _, err := fmt.Fprintf(w.f, "line %d\n", i); err != nil {
		t.Fatal(err)
	}
}

func TestFollowerRotations(t *testing.T) {
	const rotations, perFile = 10, 300
	for _, mode := range []string{"rename", "copytruncate"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			w := &writer{path: filepath.Join(dir, "auth.log")}
			w.open(t)
			fl, err := NewFollower(w.path, Position{}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer fl.Close()
			c := &collector{}
			stop := follow(t, fl, c)
			n := 0
			tick := time.NewTicker(time.Millisecond) // about 1,000 lines/s
			defer tick.Stop()
			for r := 0; r <= rotations; r++ {
				for range perFile {
					<-tick.C
					w.line(t, n)
					n++
				}
				if r == rotations {
					break
				}
				switch mode {
				case "rename":
					// logrotate's default: move away, the writer reopens.
					os.Rename(w.path, w.path+".1")
					w.f.Close()
					w.open(t)
				case "copytruncate":
					data, _ := os.ReadFile(w.path)
					os.WriteFile(w.path+".1", data, 0o600)
					// Lines written between the copy and the truncation are
					// in neither file; like logrotate, this test doesn't
					// write any (the writer is the same goroutine).
					w.f.Truncate(0)
				}
			}
			waitCount(t, c, n)
			stop()
			// A few more polls, run here once Run has returned, so that
			// they surely happen: nothing is read twice.
			for range 5 {
				if err := fl.step(c.emit); err != nil {
					t.Fatal(err)
				}
			}
			checkSequence(t, c.lines, n)
		})
	}
}

func TestFollowerResumesAtPosition(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "auth.log")
	os.WriteFile(path, []byte("line 0\nline 1\nline 2\npartial"), 0o600)
	fl, err := NewFollower(path, Position{}, true)
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	fl.step(c.emit)
	fl.Close()
	if got := strings.Join(c.lines, ","); got != "line 0,line 1,line 2" {
		t.Fatalf("first read = %q; a partial line must wait for its newline", got)
	}
	if c.pos.Offset != int64(len("line 0\nline 1\nline 2\n")) {
		t.Fatalf("position = %d, want just past the last complete line", c.pos.Offset)
	}
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(" done\nline 3\n")
	f.Close()

	fl, err = NewFollower(path, c.pos, false)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	c2 := &collector{}
	fl.step(c2.emit)
	if got := strings.Join(c2.lines, ","); got != "partial done,line 3" {
		t.Errorf("after restart = %q, want the rest from the saved position", got)
	}

	// A position of another file (rotated while we were down) is not
	// trusted: start at the end, not at a random offset.
	os.Rename(path, path+".1")
	os.WriteFile(path, []byte("new 0\n"), 0o600)
	fl2, err := NewFollower(path, c2.pos, false)
	if err != nil {
		t.Fatal(err)
	}
	defer fl2.Close()
	if fl2.Position().Offset != int64(len("new 0\n")) {
		t.Errorf("offset in a new file = %d, want its end", fl2.Position().Offset)
	}
}

func TestFollowerBoundsLongLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth.log")
	long := strings.Repeat("x", 3*maxLine)
	os.WriteFile(path, []byte(long+"\nshort\n"+long[:maxLine+5]), 0o600)
	fl, err := NewFollower(path, Position{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	c := &collector{}
	fl.step(c.emit)
	if len(c.lines) != 2 || len(c.lines[0]) != maxLine || c.lines[1] != "short" {
		t.Fatalf("got %d lines (first %d bytes), want a truncated long line and \"short\"", len(c.lines), len(c.lines[0]))
	}
	if len(fl.partial) > maxLine {
		t.Errorf("holds %d bytes of a partial line, want at most %d", len(fl.partial), maxLine)
	}
}

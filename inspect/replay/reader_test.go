package replay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadGoesOnAfterABadLine checks that a line that does not parse costs
// that line only: the next Read gives the request of the line after it.
func TestReadGoesOnAfterABadLine(t *testing.T) {
	in := `{"method":"GET","path":"/a"}` + "\n" + `{"method":"GET"` + "\n\n" + `{"method":"POST","path":"/b"}` + "\n"
	r, err := NewReader(strings.NewReader(in), JSONL)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	var errs []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		lines = append(lines, rec.Line)
	}
	if diff := cmp.Diff([]int{1, 4}, lines); diff != "" {
		t.Errorf("lines of the records (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "2:") {
		t.Errorf("errors = %q, want one, on line 2", errs)
	}
}

// TestLineTooLongEndsTheInput checks that a line over MaxLine is an error
// naming it, returned from then on: the reader does not resynchronize in
// the middle of a line it could not hold.
func TestLineTooLongEndsTheInput(t *testing.T) {
	const ok = `{"method":"GET","path":"/"}`
	const max = len(ok) + 10
	for _, long := range []int{max + 1, max + 100} { // held whole in the buffer, or not
		in := ok + "\n" + `{"method":"GET","path":"/` + strings.Repeat("a", long-len(ok)) + `"}` + "\n" + ok + "\n"
		r, err := NewReader(strings.NewReader(in), JSONL)
		if err != nil {
			t.Fatal(err)
		}
		r.MaxLine = max
		if rec, err := r.Read(); err != nil || rec.Line != 1 {
			t.Fatalf("Read = line %d, %v; want line 1", rec.Line, err)
		}
		for range 2 {
			_, err := r.Read()
			var le *LineError
			if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrLineTooLong) {
				t.Fatalf("line of %d bytes, MaxLine %d: Read after it = %v, want ErrLineTooLong on line 2", long, max, err)
			}
		}
	}
}

// TestMaxLineCountsNoLineEnding checks that a line of exactly MaxLine bytes
// is read whatever ends it ("\n", "\r\n" or the end of the input), and one
// byte more is not.
func TestMaxLineCountsNoLineEnding(t *testing.T) {
	line := `{"method":"GET","path":"/` + strings.Repeat("a", 40) + `"}`
	for _, end := range []string{"\n", "\r\n", ""} {
		for _, max := range []int{len(line), len(line) - 1} {
			r, _ := NewReader(strings.NewReader(line+end), JSONL)
			r.MaxLine = max
			_, err := r.Read()
			if tooLong := errors.Is(err, ErrLineTooLong); tooLong != (max < len(line)) {
				t.Errorf("line of %d bytes ending %q, MaxLine %d: Read = %v", len(line), end, max, err)
			}
		}
	}
}

// endless is a reader of one line that never ends; it counts what it gave.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += len(p)
	return len(p), nil
}

// TestHugeLineBoundedMemory checks the bound on attacker-controlled input:
// a line that never ends is an error after MaxLine bytes, having read and
// held no more than a few times that.
func TestHugeLineBoundedMemory(t *testing.T) {
	for _, f := range []Format{JSONL, AccessLog, HTTP} {
		in := &endless{}
		r, _ := NewReader(in, f)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := r.Read()
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrLineTooLong) || !strings.HasPrefix(err.Error(), "1:8388609: ") {
			t.Errorf("%s: Read of an endless line = %v, want ErrLineTooLong at 1:8388609", f, err)
		}
		if in.n > 2*DefaultMaxLine {
			t.Errorf("%s: read %d bytes of an endless line, want at most %d", f, in.n, 2*DefaultMaxLine)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*DefaultMaxLine {
			t.Errorf("%s: allocated %d bytes for an endless line, want at most %d", f, alloc, 3*DefaultMaxLine)
		}
	}
}

func TestNewReaderUnknownFormat(t *testing.T) {
	if _, err := NewReader(strings.NewReader(""), "csv"); err == nil || !strings.Contains(err.Error(), `"jsonl", "access-log" or "http"`) {
		t.Errorf(`NewReader(csv) = %v, want an error naming the formats`, err)
	}
}

// result is one Read, in a comparable form.
type result struct {
	Line       int
	ID, Method string
	Err        string
}

func readResults(in []byte, f Format, max int) []result {
	r, _ := NewReader(bytes.NewReader(in), f)
	r.MaxLine = max
	var out []result
	for i := 0; i < 1e4; i++ { // each Read takes a line or ends: never more than len(in)+1
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		var le *LineError
		if errors.As(err, &le) && errors.Is(err, ErrLineTooLong) {
			return append(out, result{Line: le.Line, Err: fmt.Sprintf("%d:%d: too long", le.Line, le.Column)})
		}
		res := result{Line: rec.Line, ID: rec.ID, Method: rec.Request.Method}
		if err != nil {
			res.Line, res.Err = le.Line, err.Error()
		}
		out = append(out, res)
	}
	panic("Read neither ended nor failed")
}

// FuzzMaxLine checks the line bound against a reader without one: with
// MaxLine set, a reader gives what an unbounded one gives for the lines
// before the first one longer than MaxLine, then ErrLineTooLong naming
// that line, and nothing after it.
func FuzzMaxLine(f *testing.F) {
	f.Add([]byte(`{"method":"GET","path":"/"}`+"\n"+`{"method":"GET","path":"/aaaaaaaaaaaaaaaaaaaaaaaaa"}`+"\r\n"), uint8(30), true)
	f.Add([]byte(`a - - [t] "GET / HTTP/1.1" 1 2 "-" "ua"`+"\n\n"+`b [x`), uint8(20), false)
	f.Fuzz(func(t *testing.T, in []byte, max uint8, isJSONL bool) {
		format := AccessLog
		if isJSONL {
			format = JSONL
		}
		limit := int(max) + 1
		var want []result
		lines := bytes.Split(in, []byte("\n"))
		if len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1] // what ends with a newline has no line after it
		}
		long := 0
		for i, l := range lines {
			if len(bytes.TrimSuffix(l, []byte("\r"))) > limit {
				long = i + 1
				break
			}
		}
		for _, r := range readResults(in, format, 1<<20) {
			if long > 0 && r.Line >= long {
				break
			}
			want = append(want, r)
		}
		if long > 0 {
			want = append(want, result{Line: long, Err: fmt.Sprintf("%d:%d: too long", long, limit+1)})
		}
		got := readResults(in, format, limit)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("MaxLine %d over %q (-unbounded +bounded):\n%s", limit, in, diff)
		}
	})
}

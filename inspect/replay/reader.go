// Package replay reads recorded HTTP requests — JSONL lines, access-log
// lines of the combined log format, raw HTTP/1.x requests — as
// [inspect.Request] values, so the detection engine can judge recorded
// traffic offline (bulwark inspect).
//
// Its input is attacker-controlled: every line is bounded ([Reader.MaxLine]),
// and a line that cannot be read is a [*LineError] saying line:column and
// what is wrong.
package replay

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/bulwark-sec/bulwark/inspect"
)

// A Format is a way requests are recorded, one a line.
type Format string

const (
	// JSONL is one JSON object a line:
	// {"id":"…","method":"GET","path":"/p?q=1","headers":{"User-Agent":"…"},"body":"…"}.
	// Other fields are ignored.
	JSONL Format = "jsonl"
	// AccessLog is the combined log format of Apache and nginx, with their
	// escapes: method, target with its query, Referer and User-Agent.
	// Common log format lines (no Referer and User-Agent) are read too.
	AccessLog Format = "access-log"
	// HTTP is raw HTTP/1.x requests as sent on the wire (saved from an
	// intercepting proxy, or written by hand): a request line, header
	// lines, a blank line, then a body of Content-Length bytes, one
	// request after another; blank lines between them are skipped. A
	// request's id is the number of its request line. Bodies sent chunked
	// are refused: give them with Content-Length.
	HTTP Format = "http"
)

// DefaultMaxLine is the longest line a [Reader] reads if its MaxLine is
// zero. In the HTTP format it bounds a request's head and its body too.
const DefaultMaxLine = 8 << 20

// A Record is one non-blank line of the input (in the HTTP format, one
// request): a request, or a log line of a connection that sent no HTTP
// request.
type Record struct {
	// Line is the line's number, from 1 (in the HTTP format, that of the
	// request line).
	Line int
	// ID is the request's id: the one the line gives (JSONL), else the
	// line number.
	ID string
	// Request is the request the line records; empty if NoRequest.
	Request inspect.Request
	// NoRequest reports that the line logs a connection that sent no HTTP
	// request: nginx's "" or the bytes of a TLS handshake on the plain
	// port. The server refused it; no app saw a request.
	NoRequest bool
}

// A LineError is a line of the input that could not be read.
type LineError struct {
	Line   int // from 1
	Column int // byte of the line the problem is at, from 1
	Err    error
}

func (e *LineError) Error() string { return fmt.Sprintf("%d:%d: %v", e.Line, e.Column, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// ErrLineTooLong is the Err of a [LineError] for a line over the limit (in
// the HTTP format, a request head or body too).
var ErrLineTooLong = errors.New("line too long")

// A Reader reads [Record] values from recorded traffic. It is not safe for
// concurrent use.
type Reader struct {
	// MaxLine bounds a line, and so the memory a Reader holds. Set it
	// before the first Read. If zero, DefaultMaxLine.
	MaxLine int

	in    io.Reader
	parse func(line []byte) (Record, error) // nil for HTTP
	sc    *bufio.Scanner
	br    *bufio.Reader // HTTP
	line  int
	err   error // sticky: a line too long or a failed read
}

// NewReader returns a Reader of in, recorded in format f.
func NewReader(in io.Reader, f Format) (*Reader, error) {
	r := &Reader{in: in}
	switch f {
	case JSONL:
		r.parse = parseJSONL
	case AccessLog:
		r.parse = parseAccessLog
	case HTTP:
	default:
		return nil, fmt.Errorf("replay: format %q: want %q, %q or %q", f, JSONL, AccessLog, HTTP)
	}
	return r, nil
}

// Read returns the record of the next non-blank line, and io.EOF at the
// end of the input. A line that does not parse is a [*LineError], and the
// next Read goes on with the line after it; a line longer than MaxLine
// (Err [ErrLineTooLong]) or a failed read ends the input: Read returns
// that error from then on. In the HTTP format every error ends the
// input: past a request that cannot be read, where the next one starts is
// not known.
func (r *Reader) Read() (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	if r.MaxLine <= 0 {
		r.MaxLine = DefaultMaxLine
	}
	if r.parse == nil {
		return r.readHTTP()
	}
	if r.sc == nil {
		max := r.MaxLine
		r.sc = bufio.NewScanner(r.in)
		r.sc.Buffer(make([]byte, min(64<<10, max+2)), max+2) // +2: room for the "\r\n" ScanLines drops
	}
	for r.sc.Scan() {
		r.line++
		line := r.sc.Bytes()
		if len(line) > r.MaxLine {
			r.err = &LineError{r.line, r.MaxLine + 1, fmt.Errorf("%w: longer than %d bytes", ErrLineTooLong, r.MaxLine)}
			return Record{}, r.err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec, err := r.parse(line)
		if err != nil {
			col := 1
			var ce *colError
			if errors.As(err, &ce) {
				col, err = ce.col, ce.err
			}
			return Record{}, &LineError{r.line, col, err}
		}
		rec.Line = r.line
		if rec.ID == "" {
			rec.ID = strconv.Itoa(r.line)
		}
		return rec, nil
	}
	switch err := r.sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		r.err = &LineError{r.line + 1, r.MaxLine + 1, fmt.Errorf("%w: longer than %d bytes", ErrLineTooLong, r.MaxLine)}
	case err != nil:
		r.err = &LineError{r.line + 1, 1, err}
	default:
		r.err = io.EOF
	}
	return Record{}, r.err
}

// colError is a parse error at a column of the line, from 1.
type colError struct {
	col int
	err error
}

func (e *colError) Error() string { return e.err.Error() }

func errAt(col int, format string, args ...any) error {
	return &colError{col, fmt.Errorf(format, args...)}
}

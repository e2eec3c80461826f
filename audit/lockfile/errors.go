package lockfile

import "fmt"

// A ParseError reports a lockfile that could not be read. It names the
// file and, where known, the line, and says what to do about it.
type ParseError struct {
	File string // the lockfile, as given to Parse
	Line int    // 1-based line, 0 if unknown
	Msg  string // what is wrong and what to do
	Err  error  // the underlying error, if any
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func (e *ParseError) Unwrap() error { return e.Err }

// errorf builds a ParseError for file at line.
func errorf(file string, line int, format string, args ...any) *ParseError {
	return &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

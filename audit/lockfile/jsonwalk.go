package lockfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonDoc is a JSON lockfile read member by member, so that every entry
// keeps its offset (and so its line) in the file.
type jsonDoc struct {
	file  string
	data  []byte
	lines lineIndex
	// valid says data is one well-formed JSON value: members and
	// elements then walk it with a byte scanner (see jsonscan.go)
	// instead of encoding/json's decoder, which reports the errors of
	// a file that is not.
	valid bool
}

func newJSONDoc(file string, data []byte) *jsonDoc {
	return &jsonDoc{file: file, data: data, lines: newLineIndex(data), valid: json.Valid(data)}
}

// skip consumes a JSON value without building it.
type skip struct{}

func (*skip) UnmarshalJSON([]byte) error { return nil }

// members calls fn with each member of the object starting at data[off]:
// its key, its raw value and the value's offset. A value that is not an
// object is reported as an error naming what was expected.
func (d *jsonDoc) members(off int, what string, fn func(key string, val []byte, valOff int) error) error {
	if d.valid && off < len(d.data) && d.data[off] == '{' {
		return scanMembers(d.data, off, fn)
	}
	dec := json.NewDecoder(bytes.NewReader(d.data[off:]))
	tok, err := dec.Token()
	if err != nil {
		return d.syntax(off, dec, err)
	}
	if tok != json.Delim('{') {
		return errorf(d.file, d.lines.line(off), "%s: want an object, got %s: is this file a lockfile of this format?", what, describe(tok))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return d.syntax(off, dec, err)
		}
		key, _ := tok.(string)
		start := off + int(dec.InputOffset())
		start += valueStart(d.data[start:])
		if err := dec.Decode(&skip{}); err != nil {
			return d.syntax(off, dec, err)
		}
		end := off + int(dec.InputOffset())
		if err := fn(key, d.data[start:end], start); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return d.syntax(off, dec, err)
	}
	return nil
}

// elements calls fn with each element of the array starting at data[off].
func (d *jsonDoc) elements(off int, what string, fn func(val []byte, valOff int) error) error {
	if d.valid && off < len(d.data) && d.data[off] == '[' {
		return scanElements(d.data, off, fn)
	}
	dec := json.NewDecoder(bytes.NewReader(d.data[off:]))
	tok, err := dec.Token()
	if err != nil {
		return d.syntax(off, dec, err)
	}
	if tok != json.Delim('[') {
		return errorf(d.file, d.lines.line(off), "%s: want an array, got %s: is this file a lockfile of this format?", what, describe(tok))
	}
	for dec.More() {
		start := off + int(dec.InputOffset())
		start += valueStart(d.data[start:])
		if err := dec.Decode(&skip{}); err != nil {
			return d.syntax(off, dec, err)
		}
		end := off + int(dec.InputOffset())
		if err := fn(d.data[start:end], start); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return d.syntax(off, dec, err)
	}
	return nil
}

// top checks the whole file is one JSON value, then calls fn with each member of it.
func (d *jsonDoc) top(fn func(key string, val []byte, valOff int) error) error {
	start := valueStart(d.data)
	if start == len(d.data) {
		return nil // an empty file: no packages, as osv-scanner sees it too
	}
	if err := d.members(start, "top level", fn); err != nil {
		return err
	}
	return nil
}

// unmarshal decodes the value val found at off into v, reporting errors at its line.
func (d *jsonDoc) unmarshal(val []byte, off int, what string, v any) error {
	if err := json.Unmarshal(val, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &ParseError{File: d.file, Line: d.lines.line(off + int(te.Offset) - 1), Msg: fmt.Sprintf("%s: field %q: want %s, got JSON %s: fix or regenerate the lockfile", what, te.Field, te.Type, te.Value), Err: err}
		}
		return &ParseError{File: d.file, Line: d.lines.line(off), Msg: fmt.Sprintf("%s: %v", what, err), Err: err}
	}
	return nil
}

// syntax turns a decoder error into a ParseError at the right line.
func (d *jsonDoc) syntax(base int, dec *json.Decoder, err error) error {
	off := base + int(dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = base + int(se.Offset)
		if off > 0 {
			off--
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		off = len(d.data)
		return &ParseError{File: d.file, Line: d.lines.line(off), Msg: "unexpected end of JSON: the file is truncated; regenerate it with its package manager", Err: err}
	}
	if off > len(d.data) {
		off = len(d.data)
	}
	return &ParseError{File: d.file, Line: d.lines.line(off), Msg: fmt.Sprintf("invalid JSON: %v: fix or regenerate the lockfile", err), Err: err}
}

// valueStart returns how many bytes of whitespace and ':' or ',' separators precede the next value.
func valueStart(b []byte) int {
	for i, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', ':', ',':
		default:
			return i
		}
	}
	return len(b)
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return string(t)
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

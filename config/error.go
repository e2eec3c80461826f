package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// An Error is one problem in a configuration file, with its place.
type Error struct {
	File string // file name as given to the decoder
	Line int    // 1-based; 0 when unknown
	Path string // dotted key path, e.g. "headers.strictTransportSecurity.maxAge"
	Msg  string // what is wrong
	Hint string // what to do; may be empty
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// sorted orders the errors by line, keeping the order of those on one line.
func (es Errors) sorted() Errors {
	slices.SortStableFunc(es, func(a, b *Error) int { return a.Line - b.Line })
	return es
}

// A FieldError is a validation error about one key below the struct that
// returned it. The decoder reports it at that key's line.
type FieldError struct {
	Path string // dotted, relative to the validated struct: "maxAge" or "hsts.maxAge"
	Err  error
}

// Field returns an error about the key at path (relative to the struct whose
// Validate method returns it). A nil err gives nil.
func Field(path string, err error) error {
	if err == nil {
		return nil
	}
	return &FieldError{Path: path, Err: err}
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// Field returns the key path; stages may return their own error types with
// the same method.
func (e *FieldError) Field() string { return e.Path }

// fielder is any error that names the key it is about.
type fielder interface {
	error
	Field() string
}

// splitErrors flattens errors.Join trees so each problem is reported alone.
func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, splitErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// fieldOf reports the key path an error is about, if it names one, and the
// message without that path.
func fieldOf(err error) (path, msg string, ok bool) {
	var f fielder
	if !errors.As(err, &f) {
		return "", err.Error(), false
	}
	msg = err.Error()
	if fe, isFE := f.(*FieldError); isFE {
		msg = fe.Err.Error()
	} else {
		msg = strings.TrimPrefix(msg, f.Field()+": ")
	}
	return f.Field(), msg, true
}

// Within places the validation errors of a section's struct under the
// section's key: an error about "maxAge" becomes one about
// "section.maxAge", and one naming no key is about the section itself.
func Within(section string, err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range splitErrors(err) {
		field, msg, ok := fieldOf(e)
		if ok {
			field = section + "." + field
		} else {
			field = section
		}
		out = append(out, &FieldError{Path: field, Err: errors.New(msg)})
	}
	return errors.Join(out...)
}

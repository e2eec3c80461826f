package ship

import (
	"context"
	"fmt"
	"io"
)

// Writer writes events as JSON lines to an io.Writer (stdout), one Write
// per batch.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter returns a sink writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Send writes the batch.
func (w *Writer) Send(_ context.Context, batch []Record) error {
	w.buf = appendLines(w.buf[:0], batch)
	if _, err := w.w.Write(w.buf); err != nil {
		return fmt.Errorf("writing events: %w", err)
	}
	return nil
}

// Close does nothing: the writer belongs to the caller.
func (w *Writer) Close() error { return nil }

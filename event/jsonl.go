package event

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
)

// A JSONLWriter writes events as JSON lines, one Write call per event so
// lines never interleave. It is safe for concurrent use.
type JSONLWriter struct {
	mu  sync.Mutex
	w   io.Writer
	log *slog.Logger
	buf []byte
}

// NewJSONLWriter returns a writer to w. Write errors are logged to log (if
// not nil), never returned to the publisher.
func NewJSONLWriter(w io.Writer, log *slog.Logger) *JSONLWriter {
	return &JSONLWriter{w: w, log: log}
}

// Handle writes e; use it as a [Handler].
func (j *JSONLWriter) Handle(e Event) {
	line, err := json.Marshal(e)
	if err == nil {
		j.mu.Lock()
		j.buf = append(append(j.buf[:0], line...), '\n')
		_, err = j.w.Write(j.buf)
		j.mu.Unlock()
	}
	if err != nil && j.log != nil {
		j.log.LogAttrs(context.Background(), slog.LevelError, "writing event", slog.String("event.id", e.ID), slog.String("error", err.Error()))
	}
}

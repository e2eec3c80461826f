package cli

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// newLogger is the operational log of a long-running command (guard, run,
// watch): on a terminal one short readable line per event,
//
//	18:25:47  guarding  listen=127.0.0.1:8080 upstream=http://127.0.0.1:3000
//	18:25:49  WARN  redis is not answering; bans stay local until it does  error="dial tcp …"
//
// elsewhere (a file, journald, a pipe) slog's key=value lines, which tools
// parse. tty says whether w is a terminal.
func newLogger(w io.Writer, tty bool, p palette) *slog.Logger {
	if !tty {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(&termHandler{w: w, p: p, mu: &sync.Mutex{}, level: slog.LevelInfo})
}

// logFor is newLogger with colour on a terminal unless NO_COLOR is set or
// TERM is "dumb".
func logFor(w io.Writer, tty bool) *slog.Logger {
	return newLogger(w, tty, logPalette(tty))
}

// logPalette colours a terminal unless NO_COLOR is set or TERM is "dumb".
func logPalette(tty bool) palette {
	return palette{on: tty && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"}
}

// eventLines writes each event to w as one readable line, as events list
// does: what a terminal shows in place of JSON when events.output is not
// set.
func eventLines(w io.Writer, p palette) func(event.Event) {
	return func(e event.Event) {
		raw, err := json.Marshal(e)
		if err == nil {
			printEventLine(w, raw, p)
		}
	}
}

// A termHandler writes records for a person at a terminal. It is safe for
// concurrent use.
type termHandler struct {
	w      io.Writer
	p      palette
	mu     *sync.Mutex
	level  slog.Level
	prefix string // attributes added with WithAttrs, already formatted
	group  string
}

func (h *termHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *termHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(h.p.dim(r.Time.Local().Format(time.TimeOnly)))
	b.WriteString("  ")
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString(h.p.red("ERROR") + "  ")
	case r.Level >= slog.LevelWarn:
		b.WriteString(h.p.yellow("WARN") + "  ")
	}
	b.WriteString(r.Message)
	attrs := h.prefix
	r.Attrs(func(a slog.Attr) bool {
		attrs += formatAttr(h.group, a)
		return true
	})
	if attrs != "" {
		b.WriteString("  ")
		b.WriteString(h.p.dim(strings.TrimSpace(attrs)))
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *termHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	for _, a := range as {
		c.prefix += formatAttr(h.group, a)
	}
	return &c
}

func (h *termHandler) WithGroup(name string) slog.Handler {
	c := *h
	if c.group != "" {
		name = c.group + "." + name
	}
	c.group = name
	return &c
}

// formatAttr writes " key=value", quoting a value with spaces or quotes.
func formatAttr(group string, a slog.Attr) string {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return ""
	}
	key := a.Key
	if group != "" {
		key = group + "." + key
	}
	if a.Value.Kind() == slog.KindGroup {
		var s string
		for _, g := range a.Value.Group() {
			s += formatAttr(key, g)
		}
		return s
	}
	v := a.Value.String()
	if a.Value.Kind() == slog.KindTime {
		v = a.Value.Time().Local().Format(time.DateTime)
	}
	if v == "" || strings.ContainsAny(v, " \t\"=") {
		v = quote(v)
	}
	return " " + key + "=" + v
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

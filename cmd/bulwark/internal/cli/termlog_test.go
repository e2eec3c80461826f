package cli

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/config"
)

// TestTermLogger: on a terminal, one short line per event with its facts;
// a secret stays redacted; elsewhere slog's key=value lines.
func TestTermLogger(t *testing.T) {
	var b bytes.Buffer
	log := newLogger(&b, true, palette{})
	log.LogAttrs(t.Context(), slog.LevelInfo, "guarding", slog.String("listen", "127.0.0.1:8080"), slog.String("upstream", "http://127.0.0.1:3000"))
	log.With(slog.String("component", "ship")).LogAttrs(t.Context(), slog.LevelWarn, "sink down", slog.String("error", "dial tcp: refused"),
		slog.Any("token", config.Secret("hunter2-secret")))
	log.LogAttrs(t.Context(), slog.LevelDebug, "not shown")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("terminal log:\n%s\nwant 2 lines", b.String())
	}
	clock := `^\d\d:\d\d:\d\d  `
	for i, want := range []string{
		clock + `guarding  listen=127\.0\.0\.1:8080 upstream=http://127\.0\.0\.1:3000$`,
		clock + `WARN  sink down  component=ship error="dial tcp: refused" token=\[redacted\]$`,
	} {
		if !regexp.MustCompile(want).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s", i+1, lines[i], want)
		}
	}

	b.Reset()
	newLogger(&b, false, palette{}).Info("guarding", "listen", "127.0.0.1:8080")
	if !strings.HasPrefix(b.String(), "time=") || !strings.Contains(b.String(), "level=INFO msg=guarding listen=127.0.0.1:8080") {
		t.Errorf("log to a file = %q, want slog's key=value line", b.String())
	}
}

// TestEventLines: on a terminal with no events.output, an event is one
// readable line, not its JSON.
func TestEventLines(t *testing.T) {
	var b bytes.Buffer
	eventLines(&b, palette{})(goldenEvents()[1])
	if got, want := b.String(), "17:59:59  critical  attack-blocked    203.0.113.66  GET /search  bw-sqli-001  blocked sqli in query:q\n"; got != want {
		t.Errorf("eventLines wrote %q, want %q", got, want)
	}
}

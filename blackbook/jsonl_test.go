package blackbook

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, _ := openBook(t, Config{}, Options{})
	src.Ban(ctx, BanRequest{Target: mustTarget(t, "203.0.113.9"), Duration: time.Hour, Reason: "sqli"})
	src.Ban(ctx, BanRequest{Target: mustTarget(t, "2001:db8::/64"), Permanent: true})
	src.Ban(ctx, BanRequest{Target: mustTarget(t, "user:eve"), Duration: time.Hour})
	src.Unban(ctx, mustTarget(t, "user:eve"), "sorry")
	src.Allow(ctx, "192.0.2.0/24", "office")
	src.Record(ctx, Offence{IP: ip("203.0.113.9"), Class: "sqli", Evidence: "' OR 1=1"})
	src.Close()
	var buf bytes.Buffer
	if err := src.Export(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 5 {
		t.Errorf("export has %d lines, want 5 (3 bans, 1 offender, 1 allow):\n%s", n, buf.String())
	}

	dst, _ := openBook(t, Config{}, Options{})
	st, err := dst.Import(ctx, bytes.NewReader(buf.Bytes()))
	if err != nil || st != (ImportStats{Bans: 3, Offenders: 1, Allow: 1}) {
		t.Fatalf("Import = %+v, %v", st, err)
	}
	if _, ok := dst.Banned(ip("2001:db8::1")); !ok {
		t.Error("imported ban not enforced")
	}
	if _, ok := dst.BannedUser("eve"); ok {
		t.Error("imported lifted ban enforced")
	}
	var again bytes.Buffer
	dst.Export(ctx, &again)
	if d := cmp.Diff(buf.String(), again.String()); d != "" {
		t.Errorf("export after import differs (-first +second):\n%s", d)
	}
	// Importing twice changes nothing.
	if st, err := dst.Import(ctx, bytes.NewReader(buf.Bytes())); err != nil || st.Bans != 0 {
		t.Errorf("second Import = %+v, %v", st, err)
	}
}

func TestImportRejectsBadLines(t *testing.T) {
	ctx := context.Background()
	good := `{"type":"ban","id":"A1","target":"203.0.113.9","reason":"","source":"cli","created":"2025-01-01T00:00:00Z","repeat":0}`
	tests := []struct{ in, want string }{
		{good + "\nnot json", "line 2: not a JSON object"},
		{good + "\n" + `{"type":"ban","id":"A2","target":"203.0.113","created":"2025-01-01T00:00:00Z"}`, "line 2"},
		{`{"type":"ban","id":"A2","target":"203.0.113.1","created":"2025-01-01T00:00:00Z","colour":"red"}`, `line 1: unknown field "colour"`},
		{`{"type":"ban","id":"A2","target":"203.0.113.1"}`, `"created" is missing`},
		{`{"type":"ban","id":"A2","target":"203.0.113.1","created":"2025-01-02T00:00:00Z","expires":"2025-01-01T00:00:00Z"}`, "before"},
		{`{"type":"offender","ip":"nope","firstSeen":"2025-01-01T00:00:00Z","lastSeen":"2025-01-01T00:00:00Z"}`, "line 1"},
		{`{"type":"allow","prefix":"10.0.0.1/8"}`, "host bits"},
		{`{"type":"bean"}`, `unknown type "bean"`},
		{`{"id":"x"}`, `no "type"`},
	}
	for _, tt := range tests {
		k, _ := openBook(t, Config{}, Options{})
		_, err := k.Import(ctx, strings.NewReader(tt.in))
		if !errors.Is(err, ErrBadImport) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Import(%.60q…) = %v, want an error saying %q", tt.in, err, tt.want)
		}
		if bans, _ := k.List(ctx, Filter{}); len(bans) != 0 {
			t.Errorf("Import(%.60q…) wrote %d bans despite the error", tt.in, len(bans))
		}
	}
}

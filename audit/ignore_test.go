package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

func TestApplyIgnores(t *testing.T) {
	f := func(name string, ids []string, aliases ...string) Finding {
		return Finding{Package: lockfile.Package{Ecosystem: "npm", Name: name, Version: "1.0.0"}, IDs: ids, Aliases: aliases}
	}
	findings := []Finding{
		f("a", []string{"GHSA-aaaa"}, "CVE-2024-1"),
		f("b", []string{"GHSA-bbbb"}),
		f("c", []string{"GHSA-cccc"}),
		f("d", []string{"GHSA-dddd"}),
	}
	day := func(s string) Date { d, _ := time.Parse(time.DateOnly, s); return Date{d} }
	ignores := []Ignore{
		{ID: "CVE-2024-1", Reason: "by alias", Until: day("2027-01-31")},
		{ID: "GHSA-bbbb", Reason: "last day", Until: day("2026-03-10")},
		{ID: "GHSA-cccc", Reason: "expired", Until: day("2026-03-09")},
	}
	now := time.Date(2026, 3, 10, 23, 59, 0, 0, time.UTC)
	r := ApplyIgnores(findings, ignores, now)
	var kept, ignored []string
	for _, k := range r.Kept {
		kept = append(kept, k.Package.Name)
	}
	for _, i := range r.Ignored {
		ignored = append(ignored, i.Finding.Package.Name+":"+i.By.Reason)
	}
	if got, want := strings.Join(kept, ","), "c,d"; got != want {
		t.Errorf("kept = %s, want %s", got, want)
	}
	if got, want := strings.Join(ignored, ","), "a:by alias,b:last day"; got != want {
		t.Errorf("ignored = %s, want %s", got, want)
	}
	if len(r.Expired) != 1 || r.Expired[0].ID != "GHSA-cccc" {
		t.Errorf("expired = %+v, want GHSA-cccc", r.Expired)
	}
	// The day after Until, the ignore stops.
	if r := ApplyIgnores(findings, ignores, now.Add(time.Minute)); len(r.Expired) != 2 {
		t.Errorf("a minute past 2026-03-10: %d expired, want 2", len(r.Expired))
	}
}

func TestLoadIgnoreFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, text, err string }{
		{"ok", "ignore:\n  - id: GHSA-x\n    reason: not reachable\n    until: 2027-01-31\n", ""},
		{"no reason", "ignore:\n  - id: GHSA-x\n    until: 2027-01-31\n", ":2:"},
		{"bad date", "ignore:\n  - id: GHSA-x\n    reason: r\n    until: 31/01/2027\n", ":4:"},
		{"unknown key", "ignore:\n  - id: GHSA-x\n    reason: r\n    until: 2027-01-31\n    expires: 2027-01-31\n", ":5:"},
		{"no until", "ignore:\n  - id: GHSA-x\n    reason: r\n", "until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".yaml")
			os.WriteFile(path, []byte(tt.text), 0o644)
			f, err := LoadIgnoreFile(path)
			if tt.err == "" {
				if err != nil || len(f.Ignore) != 1 || f.Ignore[0].Until.String() != "2027-01-31" {
					t.Fatalf("LoadIgnoreFile = %+v, %v", f, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("LoadIgnoreFile error = %v, want one containing %q", err, tt.err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

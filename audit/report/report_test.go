package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// sample is a report over findings as audit.Match returns them: one
// package listed by two lockfiles, with two advisory groups (one reached
// through express); a critical with a major fix; a Go module without a
// score or a fix; an ignored and an expired ignore.
func sample() *Report {
	bodyParser := func(file string, line int) lockfile.Package {
		return lockfile.Package{Ecosystem: "npm", Name: "body-parser", Version: "1.20.1", File: file, Line: line,
			Path: []string{"express@4.18.2"}}
	}
	bpFix := &audit.Remediation{Ecosystem: "npm", Name: "body-parser", From: "1.20.1", To: "1.20.3",
		Fixes: []string{"GHSA-qwcr-r2fm-qrc7", "GHSA-xxxx-0000-bp02"}}
	high := audit.Severity{Level: audit.High, Score: 7.5, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", Source: "CVSS_V3"}
	medium := audit.Severity{Level: audit.Medium, Source: "database_specific"}
	bp1 := audit.Finding{IDs: []string{"GHSA-qwcr-r2fm-qrc7"}, Aliases: []string{"CVE-2024-45590"},
		Summary: "body-parser vulnerable to denial of service when url encoding is enabled", Severity: high,
		Fixed: []string{"1.20.3"}, Remediation: bpFix}
	bp2 := audit.Finding{IDs: []string{"GHSA-xxxx-0000-bp02"}, Summary: "A | pipe in a summary", Severity: medium,
		Fixed: []string{"1.20.2"}, Remediation: bpFix}
	var findings []audit.Finding
	for _, pkg := range []lockfile.Package{bodyParser("/app/package-lock.json", 120), bodyParser("/app/web/package-lock.json", 44)} {
		for _, f := range []audit.Finding{bp1, bp2} {
			f.Package = pkg
			findings = append(findings, f)
		}
	}
	findings = append(findings,
		audit.Finding{Package: lockfile.Package{Ecosystem: "npm", Name: "minimist", Version: "0.0.8", Direct: true,
			File: "/app/package-lock.json", Line: 310},
			IDs: []string{"GHSA-xvch-5gv4-984h"}, Aliases: []string{"CVE-2021-44906"}, Summary: "Prototype Pollution in minimist",
			Severity: audit.Severity{Level: audit.Critical, Score: 9.8, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Source: "CVSS_V3"},
			Fixed:    []string{"1.2.6"},
			Remediation: &audit.Remediation{Ecosystem: "npm", Name: "minimist", From: "0.0.8", To: "1.2.6", Major: true,
				Fixes: []string{"GHSA-xvch-5gv4-984h"}}},
		audit.Finding{Package: lockfile.Package{Ecosystem: "Go", Name: "golang.org/x/crypto", Version: "0.59.0", Direct: true,
			File: "/app/go.mod", Line: 16},
			IDs: []string{"GO-2026-5932"}, Summary: "The golang.org/x/crypto/openpgp package is unmaintained",
			Remediation: &audit.Remediation{Ecosystem: "Go", Name: "golang.org/x/crypto", From: "0.59.0", Unfixed: []string{"GO-2026-5932"}}},
	)
	r := New("/app", findings)
	r.Threshold = audit.Low
	r.Files = []string{"go.mod", "package-lock.json", "web/package-lock.json"}
	r.Scanned = 612
	until := audit.Date{Time: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}
	r.AddIgnored([]audit.Ignored{{
		Finding: audit.Finding{Package: lockfile.Package{Name: "qs", Version: "6.5.2"}, IDs: []string{"GHSA-hrpp-h998-j3pp"}},
		By:      audit.Ignore{ID: "CVE-2022-24999", Reason: "qs parses only trusted input here", Until: until},
	}})
	r.Expired = []audit.Ignore{{ID: "GHSA-old", Reason: "was waiting for a release",
		Until: audit.Date{Time: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}}}
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, *Report) error
	}{
		{"table.golden", func(b *bytes.Buffer, r *Report) error { return Table(b, r) }},
		{"report.golden.json", func(b *bytes.Buffer, r *Report) error { return JSON(b, r) }},
		{"report.golden.sarif", func(b *bytes.Buffer, r *Report) error { return SARIF(b, r, "v0.0.0-test") }},
		{"report.golden.md", func(b *bytes.Buffer, r *Report) error { return Markdown(b, r) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, sample()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

// TestGrouping checks that occurrences merge per package version and
// that the counts driving the exit code honour the threshold.
func TestGrouping(t *testing.T) {
	r := sample()
	if got := len(r.Packages); got != 3 {
		t.Fatalf("packages = %d, want 3", got)
	}
	if p := r.Packages[0]; p.Name != "minimist" || p.FixText() != "1.2.6 (major)" {
		t.Errorf("first package = %s, fix %s; want minimist (critical first), fix 1.2.6 (major)", p.Name, p.FixText())
	}
	bp := r.Packages[1]
	if len(bp.Occurrences) != 2 || len(bp.Vulns) != 2 {
		t.Errorf("body-parser: %d occurrences and %d vulns, want 2 and 2", len(bp.Occurrences), len(bp.Vulns))
	}
	if got, want := bp.Occurrences[1].Where(), "web/package-lock.json:44"; got != want {
		t.Errorf("Where = %q, want %q", got, want)
	}
	if got, want := bp.Occurrences[0].Via(), "via express@4.18.2"; got != want {
		t.Errorf("Via = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		level audit.Level
		want  int
	}{{audit.Low, 4}, {audit.Medium, 4}, {audit.High, 3}, {audit.Critical, 2}} { // the Go one is unknown: always counted
		r.Threshold = tt.level
		if got := r.Failing(); got != tt.want {
			t.Errorf("Failing at %s = %d, want %d", tt.level, got, tt.want)
		}
	}
}

package nodejs

import (
	"testing"
	"time"
)

// FuzzPins: any file content yields pins with a line inside the file and
// a bounded spec, or an error; never a panic.
func FuzzPins(f *testing.F) {
	f.Add("package.json", []byte(`{"engines": {"node": ">=18"}, "volta": {"node": "20.11.1"}, "devEngines": {"runtime": [{"name": "node", "version": "^24"}]}}`))
	f.Add("Dockerfile", []byte("FROM --platform=$BUILDPLATFORM node:20.11.0-alpine AS b\nFROM docker.io/library/node@sha256:abc\n"))
	f.Add(".nvmrc", []byte("# comment\nv20.11.0\n"))
	f.Add(".tool-versions", []byte("nodejs 22.22.2 20.0.0\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		pins, err := Pins(name, data)
		if err != nil {
			return
		}
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, p := range pins {
			if p.Line < 0 || p.Line > lines || len(p.Spec) > 104 {
				t.Fatalf("Pins(%q) = %+v: line outside the file's %d or spec unbounded", name, p, lines)
			}
			pkg := p.Package(name)
			if (pkg.Version == "") == (pkg.Constraint == "") && p.Spec != "" {
				t.Fatalf("pin %+v: want exactly one of Version and Constraint, got %+v", p, pkg)
			}
		}
	})
}

// FuzzAdvisory: an advisory either converts to OSV ranges whose events
// alternate introduced/fixed in increasing order, or is refused.
func FuzzAdvisory(f *testing.F) {
	f.Add([]byte(`{"cve": ["CVE-2024-22025"], "vulnerable": "18.x || 20.x || 21.x", "patched": "^18.19.1 || ^20.11.1 || ^21.6.2", "severity": "medium"}`))
	f.Add([]byte(`{"vulnerable": "<= 10", "patched": ">= 10.9.0"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAdvisory(data)
		if err != nil {
			return
		}
		e, err := a.OSV(1)
		if err != nil {
			return
		}
		var last Version
		for i, ev := range e.Affected[0].Ranges[0].Events {
			s := ev.Introduced + ev.Fixed
			if s == "0" {
				continue
			}
			v, ok := ParseVersion(s)
			if !ok || (i > 0 && v.Compare(last) <= 0) {
				t.Fatalf("events %+v not increasing versions", e.Affected[0].Ranges[0].Events)
			}
			last = v
		}
	})
}

func FuzzSchedule(f *testing.F) {
	f.Add([]byte(`{"v20": {"start": "2023-04-18", "lts": "2023-10-24", "end": "2026-04-30", "codename": "Iron"}, "v0.12": {"start": "2015-02-06", "end": "2016-12-31"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSchedule(data)
		if err != nil {
			return
		}
		for k := range s {
			s.Status(k, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
		}
	})
}

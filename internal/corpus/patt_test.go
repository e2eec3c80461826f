package corpus

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadPATT(t *testing.T) {
	t.Parallel()
	cases, err := LoadPATT(sharedDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 90000 || len(cases)%3 != 0 {
		t.Errorf("LoadPATT: %d cases, want three per payload and over 90,000 (there were 107,805)", len(cases))
	}
	lists := map[string]int{}
	byID := map[string]Case{}
	for _, c := range cases {
		lists[c.Group]++
		byID[c.ID] = c
		if !c.Attack {
			t.Fatalf("%s is not an attack", c.ID)
		}
	}
	for _, l := range []string{"Command-Injection", "Directory-Traversal", "File-Inclusion", "NoSQL-Injection", "SQL-Injection",
		"Server-Side-Template-Injection", "XSS-Injection", "XXE-Injection"} {
		if lists[l] == 0 {
			t.Errorf("list %s has no cases", l)
		}
	}
	if len(byID) != len(cases) {
		t.Errorf("%d cases but %d distinct IDs", len(cases), len(byID))
	}

	// NoSQL.txt line 1 is: true, $where: '1 == 1'
	const payload = "true, $where: '1 == 1'"
	q := byID["NoSQL-Injection/NoSQL.txt:1/query"]
	if q.Method != "GET" || q.Path != PATTPath+"?q="+url.QueryEscape(payload) {
		t.Errorf("query case: %s %s", q.Method, q.Path)
	}
	f := byID["NoSQL-Injection/NoSQL.txt:1/form"]
	if f.Method != "POST" || string(f.Body) != "q="+url.QueryEscape(payload) || f.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
		f.Header.Get("Content-Length") != "38" {
		t.Errorf("form case: %s %q %v", f.Method, f.Body, f.Header)
	}
	j := byID["NoSQL-Injection/NoSQL.txt:1/json"]
	if string(j.Body) != `{"q":"true, $where: '1 == 1'"}` || j.Header.Get("Content-Type") != "application/json" {
		t.Errorf("json case: %q %v", j.Body, j.Header)
	}
	// The {FILE} placeholder is filled, comments are skipped.
	if c := byID["Directory-Traversal/deep_traversal.txt:1/json"]; string(c.Body) != `{"q":"../etc/passwd"}` {
		t.Errorf("deep_traversal.txt:1 = %q, want {FILE} replaced", c.Body)
	}
	if _, ok := byID["SQL-Injection/Generic_TimeBased.txt:1/query"]; ok {
		t.Error("the comment on Generic_TimeBased.txt:1 became a case")
	}
}

func TestPATTPayload(t *testing.T) {
	tests := []struct {
		line, want string
		ok         bool
	}{
		{"' OR 1=1 --", "' OR 1=1 --", true},
		{"../../{FILE}\r", "../../etc/passwd", true},
		{"#{7*7}", "#{7*7}", true},
		{"#x{font-family:foo[bar;color:green;}", "#x{font-family:foo[bar;color:green;}", true},
		{"|| ", "|| ", true},
		{"", "", false},
		{"   \t", "", false},
		{"# from wapiti", "", false},
		{"#", "", false},
		{"#\t    Hash comment", "", false},
		{"#Google.com:", "", false},
		{"#AOL/Yahoo", "", false},
	}
	for _, tt := range tests {
		got, ok := pattPayload(tt.line)
		if got != tt.want || ok != tt.ok {
			t.Errorf("pattPayload(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLoadPATTEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "attacks", "payloadsallthethings"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPATT(dir); err == nil || !strings.Contains(err.Error(), "no list folders") {
		t.Errorf("LoadPATT(empty) = %v, want an error saying there are no lists", err)
	}
	if _, err := LoadPATT(t.TempDir()); err == nil || !strings.Contains(err.Error(), "payloadsallthethings") {
		t.Errorf("LoadPATT(missing) = %v, want an error naming the folder", err)
	}
}

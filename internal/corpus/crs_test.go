package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadCRS(t *testing.T) {
	t.Parallel()
	cases, err := LoadCRS(sharedDir(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	perFamily := map[string]int{}
	byID := map[string]Case{}
	for _, c := range cases {
		perFamily[c.Group]++
		if _, dup := byID[c.ID]; dup {
			t.Errorf("ID %s appears twice", c.ID)
		}
		byID[c.ID] = c
		if !c.Attack || c.Corpus != CRS {
			t.Errorf("%s: Attack %v, Corpus %q; want an attack of %q", c.ID, c.Attack, c.Corpus, CRS)
		}
		if len(c.Body) > 0 && c.Header.Get("Content-Length") == "" && c.Header.Get("Transfer-Encoding") == "" {
			t.Errorf("%s: a body without Content-Length", c.ID)
		}
	}
	if len(cases) < 3000 {
		t.Errorf("LoadCRS: %d cases, want over 3,000 (the nine families held 3,592)", len(cases))
	}
	for _, f := range CRSFamilies {
		if perFamily[f] == 0 {
			t.Errorf("family %s has no cases", f)
		}
	}

	want := map[string]Case{
		// data completed as go-ftw does: form type, encoding, length, Connection.
		"942100-1": {Method: "POST", Path: "/post", Body: []byte("var=1234+OR+1%3D1"), Header: map[string][]string{
			"Host": {"localhost"}, "User-Agent": {"OWASP CRS test agent"},
			"Accept":         {"text/xml,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5"},
			"Content-Type":   {"application/x-www-form-urlencoded"},
			"Content-Length": {"17"}, "Connection": {"close"},
		}},
		// the uri exactly as written.
		"932200-3": {Method: "GET", Path: "/get?host=www.google.com;cat+/etc/%24%28echo%29passwd"},
		// encoded_request: base64 of a raw request whose body Content-Length cuts.
		"944200-1": {Method: "POST", Path: "/", Body: []byte("test=\xac\xed\x00\x05")},
	}
	for id, w := range want {
		got, ok := byID[id]
		if !ok {
			t.Errorf("case %s missing", id)
			continue
		}
		if got.Method != w.Method || got.Path != w.Path {
			t.Errorf("%s: %s %s, want %s %s", id, got.Method, got.Path, w.Method, w.Path)
		}
		if w.Body != nil && string(got.Body) != string(w.Body) {
			t.Errorf("%s: body %q, want %q", id, got.Body, w.Body)
		}
		if w.Header != nil {
			if d := cmp.Diff(map[string][]string(w.Header), map[string][]string(got.Header)); d != "" {
				t.Errorf("%s: header (-want +got):\n%s", id, d)
			}
		}
	}
	// A test of several stages gives a case per stage.
	for _, id := range []string{"934120-43/stage1", "934120-43/stage6"} {
		if _, ok := byID[id]; !ok {
			t.Errorf("case %s missing", id)
		}
	}
	// Tests that only expect a rule not to fire are left out.
	for _, id := range []string{"942101-10", "942120-30"} {
		if _, ok := byID[id]; ok {
			t.Errorf("case %s has only no_expect_ids and should be left out", id)
		}
	}
}

func TestLoadCRSFamilies(t *testing.T) {
	t.Parallel()
	cases, err := LoadCRS(sharedDir(t), []string{"913"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("LoadCRS(913) returned no cases")
	}
	for _, c := range cases {
		if c.Group != "913" {
			t.Errorf("%s: group %s, want 913", c.ID, c.Group)
		}
	}
	if _, err := LoadCRS(sharedDir(t), []string{"990"}); err == nil || !strings.Contains(err.Error(), "REQUEST-990-*") {
		t.Errorf("LoadCRS(990) = %v, want an error naming the missing folder", err)
	}
}

// writeFTW writes one YAML file as crs-regression/REQUEST-942-TEST/<name>
// under a new directory and returns the directory.
func writeFTW(t *testing.T, name, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	d := filepath.Join(dir, "crs-regression", "REQUEST-942-TEST")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, name), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadCRSFormats(t *testing.T) {
	dir := writeFTW(t, "942999.yaml", `
tests:
  - stages:
      - stage:
          input:
            method: POST
            uri: "/a b"
            headers: {Host: localhost, Content-Type: multipart/form-data; boundary=x}
            data:
              - "--x"
              - "Content-Disposition: form-data; name=\"f\""
          output:
            log_contains: id "942999"
  - test_id: 7
    stages:
      - input:
          uris: ["/one?x=1", "/two?x=2"]
          data: "a=%27"
          autocomplete_headers: false
        output:
          status: [403]
      - input: {uri: /benign}
        output:
          log: {no_expect_ids: [942999]}
`)
	cases, err := LoadCRS(dir, []string{"942"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Case{}
	for _, c := range cases {
		got[c.ID] = c
	}
	if len(got) != 3 {
		t.Fatalf("got cases %v, want 942999-1, 942999-7/stage1/uri1 and /uri2", keys(got))
	}
	c1 := got["942999-1"]
	if c1.Path != "/a b" || string(c1.Body) != "--x\r\nContent-Disposition: form-data; name=\"f\"" {
		t.Errorf("942999-1: path %q body %q; want the old list data joined by CRLF", c1.Path, c1.Body)
	}
	c2 := got["942999-7/stage1/uri2"]
	if c2.Method != "GET" || c2.Path != "/two?x=2" || string(c2.Body) != "a=%27" || c2.Header.Get("Content-Length") != "5" || c2.Header.Get("Content-Type") != "" {
		t.Errorf("942999-7/stage1/uri2 = %+v; want GET /two?x=2, body untouched without autocomplete, and a Content-Length", c2)
	}
}

func TestLoadCRSErrors(t *testing.T) {
	tests := []struct {
		name, file, yaml string
		want             []string // substrings of the error
	}{
		{"bad yaml", "942001.yaml", "tests:\n  - stages: [\n", []string{"942001.yaml", "line"}},
		{"bad base64", "942002.yaml", "tests:\n  - test_id: 3\n    stages:\n      - input: {encoded_request: \"!!\"}\n        output: {log: {expect_ids: [942002]}}\n",
			[]string{"942002.yaml", "test 942002-3", "encoded_request"}},
		{"template", "942003.yaml", "rule_id: 942003\ntests:\n  - test_id: 1\n    stages:\n      - input: {data: \"{{ .x }}\"}\n        output: {log: {expect_ids: [942003]}}\n",
			[]string{"942003.yaml", "test 942003-1", "template"}},
		{"no rule id", "notes.yaml", "tests: []\n", []string{"notes.yaml", "rule_id"}},
		{"short raw body", "942004.yaml", "tests:\n  - stages:\n      - input: {encoded_request: \"R0VUIC8gSFRUUC8xLjENCkNvbnRlbnQtTGVuZ3RoOiA5DQoNCmFiYw==\"}\n        output: {status: 403}\n",
			[]string{"942004.yaml", "test 942004-1", "Content-Length is 9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCRS(writeFTW(t, tt.file, tt.yaml), []string{"942"})
			if err == nil {
				t.Fatal("LoadCRS succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestFTWEncodeForm(t *testing.T) {
	tests := []struct{ ct, in, want string }{
		{"application/x-www-form-urlencoded", "var=1234 OR 1=1", "var=1234+OR+1%3D1"},
		{"application/x-www-form-urlencoded", "a=1&b=<x>&c", "a=1&b=%3Cx%3E&c"},
		{"application/x-www-form-urlencoded", "a=1&", "a=1"},
		{"application/x-www-form-urlencoded", "&a=1", "&a=1"},
		{"application/x-www-form-urlencoded", "a=%27already", "a=%27already"}, // unescaping changes it: encoded already
		{"application/x-www-form-urlencoded", "a=b+c", "a=b+c"},
		{"application/x-www-form-urlencoded", "a=%zz", "a=%zz"}, // not decodable: as is
		{"application/json", `{"a": "b c"}`, `{"a": "b c"}`},
	}
	for _, tt := range tests {
		if got := string(ftwEncodeForm(tt.ct, []byte(tt.in))); got != tt.want {
			t.Errorf("ftwEncodeForm(%q, %q) = %q, want %q", tt.ct, tt.in, got, tt.want)
		}
	}
}

func keys(m map[string]Case) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

package update

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

func TestParseGOPROXY(t *testing.T) {
	tests := []struct {
		in   string
		want []proxyEntry
	}{
		{"", []proxyEntry{{url: "https://proxy.golang.org"}, {url: "direct"}}},
		{"https://a.example/,direct", []proxyEntry{{url: "https://a.example"}, {url: "direct"}}},
		{"https://a|https://b,off", []proxyEntry{{url: "https://a", orElse: true}, {url: "https://b"}, {url: "off"}}},
		{" file:///tmp/p , ", []proxyEntry{{url: "file:///tmp/p"}}},
	}
	for _, tt := range tests {
		if got := parseGOPROXY(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("parseGOPROXY(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestProxyFallback checks the GOPROXY separators against HTTP proxies: ","
// goes on only after a not-found, "|" after any error.
func TestProxyFallback(t *testing.T) {
	status := func(code int) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }))
		t.Cleanup(s.Close)
		return s.URL
	}
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/example.com/!big/@v/list" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("v1.0.0\nv1.1.0\n"))
	}))
	t.Cleanup(good.Close)
	tests := []struct {
		goproxy string
		want    string // "" for an error
	}{
		{status(404) + "," + good.URL, "v1.0.0 v1.1.0"},
		{status(410) + "," + good.URL, "v1.0.0 v1.1.0"},
		{status(500) + "," + good.URL, ""},
		{status(500) + "|" + good.URL, "v1.0.0 v1.1.0"},
		{status(404) + ",off", ""},
	}
	for _, tt := range tests {
		p := &goProxy{entries: parseGOPROXY(tt.goproxy), client: &http.Client{Timeout: 5 * time.Second}}
		vs, err := p.versions(context.Background(), "example.com/Big")
		if got := strings.Join(vs, " "); got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("GOPROXY=%s: versions = %q, %v; want %q", tt.goproxy, got, err, tt.want)
		}
	}
	p := &goProxy{entries: parseGOPROXY(status(404) + ",direct")}
	p.client = &http.Client{Timeout: 5 * time.Second}
	if _, err := p.versions(context.Background(), "example.com/x"); !errors.Is(err, errDirect) {
		t.Errorf("a list ending in direct: err = %v, want errDirect", err)
	}
}

func TestGoCandidates(t *testing.T) {
	lists := map[string][]string{
		"example.com/m":    {"v1.2.3", "v1.2.4", "v1.2.5", "v1.3.0", "v1.4.0-rc.1", "v1.5.0", "junk"},
		"example.com/m/v2": {"v2.0.0", "v2.1.0"},
		"example.com/m/v3": {"v3.0.0-beta"},
	}
	list := func(p string) ([]string, error) {
		if vs, ok := lists[p]; ok {
			return vs, nil
		}
		return nil, errNotFound
	}
	mod := func(p, v string) ([]byte, error) {
		return []byte("// Deprecated: use example.com/n\nmodule example.com/m\n\nretract [v1.2.5, v1.2.9] // bad patch\nretract v1.5.0\n"), nil
	}
	cs, _, _, err := goCandidates(module.Version{Path: "example.com/m", Version: "v1.2.3"}, list, mod, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, string(c.Kind)+" "+c.To+" "+c.NewPath)
	}
	want := []string{"patch v1.2.4 ", "minor v1.3.0 ", "major v2.1.0 example.com/m/v2"}
	if !slices.Equal(got, want) {
		t.Errorf("candidates = %q, want %q", got, want)
	}
	notes := strings.Join(cs[0].Notes, "; ")
	for _, w := range []string{"deprecated: use example.com/n", "skipped v1.2.5: retracted (bad patch)", "skipped v1.5.0: retracted"} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes %q lack %q", notes, w)
		}
	}
}

func TestNpmrc(t *testing.T) {
	var c npmConfig
	c = loadNpmConfig("", "", nil)
	c.parse([]byte(`# comment
; another
registry = https://npm.example.com
@acme:registry="https://acme.example/npm/"
//acme.example/npm/:_authToken=${TOKEN}
//npm.example.com/:_authToken=plain
garbage line
`), func(k string) string { return map[string]string{"TOKEN": "t0k"}[k] })
	tests := []struct{ name, registry, token string }{
		{"express", "https://npm.example.com/", "plain"},
		{"@acme/util", "https://acme.example/npm/", "t0k"},
		{"@other/x", "https://npm.example.com/", "plain"},
	}
	for _, tt := range tests {
		r := c.registryFor(tt.name)
		if r != tt.registry || string(c.tokenFor(r)) != tt.token {
			t.Errorf("%s: registry %q token %q, want %q %q", tt.name, r, c.tokenFor(r), tt.registry, tt.token)
		}
	}
	if got := secret("x").String(); got != "[redacted]" {
		t.Errorf("secret prints %q", got)
	}
}

func TestNpmCandidates(t *testing.T) {
	p, err := parsePackument([]byte(`{"dist-tags":{"latest":"2.0.0"},"repository":"github:acme/x",
	"versions":{"1.0.0":{},"1.0.1":{"deprecated":"broken"},"1.0.2":{},"1.1.0":{},"1.2.0-beta.1":{},"2.0.0":{},"3.0.0":{}}}`))
	if err != nil {
		t.Fatal(err)
	}
	cs, _, _ := npmCandidates("x", "1.0.0", p, time.Time{})
	var got []string
	for _, c := range cs {
		got = append(got, string(c.Kind)+" "+c.To)
	}
	if want := []string{"patch 1.0.2", "minor 1.1.0", "major 2.0.0"}; !slices.Equal(got, want) {
		t.Errorf("candidates = %q, want %q (3.0.0 is above latest)", got, want)
	}
	if cs[0].ReleaseNotes != "https://github.com/acme/x/releases" {
		t.Errorf("release notes %q", cs[0].ReleaseNotes)
	}
}

type fakeAdvisories map[string][]string

func (f fakeAdvisories) Fixes(_ context.Context, eco, name, from, to string) ([]string, error) {
	if strings.HasPrefix(from, "v") {
		return nil, errors.New("Go versions reach the advisories without v")
	}
	return f[eco+":"+name+"@"+to], nil
}

func (f fakeAdvisories) Malicious(context.Context, []lockfile.Package) ([]Malware, error) {
	return nil, nil
}

func TestMarkSecurity(t *testing.T) {
	cs := []Candidate{
		{Ecosystem: Go, Name: "a", From: "v1.0.0", To: "v1.0.1"},
		{Ecosystem: NPM, Name: "b", From: "1.0.0", To: "1.0.1"},
		{Ecosystem: Go, Name: "c", From: "v1.0.0", To: "v1.0.1"},
	}
	notes := markSecurity(context.Background(), fakeAdvisories{"Go:c@1.0.1": {"GO-2026-0001"}, "npm:b@1.0.1": {"GHSA-xxxx"}}, cs)
	var order []string
	for _, c := range cs {
		order = append(order, c.Name+strings.Join(c.Advisories, ","))
	}
	if want := []string{"bGHSA-xxxx", "cGO-2026-0001", "a"}; !slices.Equal(order, want) || len(notes) != 0 {
		t.Errorf("order = %q, notes %q; want %q", order, notes, want)
	}
}

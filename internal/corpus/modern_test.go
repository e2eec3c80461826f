package corpus

import (
	"bytes"
	"encoding/json"
	"mime"
	"mime/multipart"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestLoadModern(t *testing.T) {
	cases, err := LoadModern()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 2000 {
		t.Errorf("LoadModern: %d requests, the corpus promises at least 2,000", len(cases))
	}
	groups := map[string]int{}
	for _, c := range cases {
		groups[c.Group]++
		if c.Attack || c.Corpus != Modern {
			t.Fatalf("%s: attack %v corpus %q", c.ID, c.Attack, c.Corpus)
		}
		if c.Header.Get("Host") == "" || c.Header.Get("User-Agent") == "" {
			t.Errorf("%s: no Host or User-Agent", c.ID)
		}
		if len(c.Body) > 0 {
			if n, _ := strconv.Atoi(c.Header.Get("Content-Length")); n != len(c.Body) {
				t.Errorf("%s: Content-Length %q, body %d bytes", c.ID, c.Header.Get("Content-Length"), len(c.Body))
			}
			checkBody(t, c)
		}
		if _, err := url.ParseRequestURI(c.Path); err != nil {
			t.Errorf("%s: path %q does not parse: %v", c.ID, c.Path, err)
		}
	}
	for _, g := range []string{"rest", "graphql", "login", "search", "comment", "code", "oauth", "files", "browse", "webhook", "misc"} {
		if groups[g] == 0 {
			t.Errorf("group %s is empty", g)
		}
	}
}

// checkBody checks that a body is what its Content-Type says.
func checkBody(t *testing.T, c Case) {
	t.Helper()
	ct, params, err := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if err != nil {
		t.Errorf("%s: Content-Type %q: %v", c.ID, c.Header.Get("Content-Type"), err)
		return
	}
	switch {
	case ct == "application/json" || strings.HasSuffix(ct, "+json") || ct == "text/plain":
		if !json.Valid(c.Body) {
			t.Errorf("%s: body is not JSON: %.80s", c.ID, c.Body)
		}
	case ct == "application/x-www-form-urlencoded":
		if _, err := url.ParseQuery(string(c.Body)); err != nil {
			t.Errorf("%s: form body: %v", c.ID, err)
		}
	case ct == "multipart/form-data":
		r := multipart.NewReader(bytes.NewReader(c.Body), params["boundary"])
		if _, err := r.ReadForm(1 << 20); err != nil {
			t.Errorf("%s: multipart body: %v", c.ID, err)
		}
	default:
		t.Errorf("%s: unexpected Content-Type %q", c.ID, ct)
	}
}

// TestModernLoginsLookBenign keeps the odd passwords odd but not attacks.
func TestModernLoginsLookBenign(t *testing.T) {
	cases, err := LoadModern()
	if err != nil {
		t.Fatal(err)
	}
	attackish := regexp.MustCompile(`(?i)['"]\s*(or|and|union)\s|--\s|/\*|<script|\bon(load|error)\s*=|\.\./`)
	for _, c := range cases {
		if c.Group != "login" {
			continue
		}
		body, _ := url.QueryUnescape(string(c.Body))
		if m := attackish.FindString(body); m != "" {
			t.Errorf("%s: %q looks like an attack: %s", c.ID, m, body)
		}
	}
}

package main

import (
	"net/http"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// TestCorazaBlocks checks the Coraza configuration: the engine is On (it
// interrupts, not only detects), request bodies are read, and ordinary
// requests pass at both paranoia levels.
func TestCorazaBlocks(t *testing.T) {
	h := func() http.Header {
		return http.Header{"Host": {"localhost"}, "User-Agent": {"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
			"Accept": {"text/html"}, "Accept-Language": {"en"}, "Accept-Encoding": {"gzip"}}
	}
	form := h()
	form.Set("Content-Type", "application/x-www-form-urlencoded")
	form.Set("Content-Length", "27")
	tests := []struct {
		name    string
		c       corpus.Case
		flagged bool
	}{
		{"sqli in query", corpus.Case{Method: "GET", Path: "/?id=1%27%20OR%20%271%27%3D%271%27%20--", Header: h()}, true},
		{"sqli in form body", corpus.Case{Method: "POST", Path: "/login", Header: form, Body: []byte("user=x%27+OR+1%3D1--&pw=abc")}, true},
		{"plain page", corpus.Case{Method: "GET", Path: "/products?page=2&sort=price", Header: h()}, false},
		{"put allowed", corpus.Case{Method: "PUT", Path: "/api/items/7", Header: h()}, false},
	}
	for _, pl := range []int{1, 2} {
		e, err := newCoraza(pl)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			v := e.check(e.prepare(&tt.c), true)
			if v.Flagged != tt.flagged {
				t.Errorf("PL%d %s: flagged %v (%+v), want %v", pl, tt.name, v.Flagged, v.Detail, tt.flagged)
			}
			if d := v.Detail.(corazaDetail); tt.flagged && d.Status != http.StatusForbidden {
				t.Errorf("PL%d %s: interruption status %d, want 403 from SecRuleEngine On", pl, tt.name, d.Status)
			}
		}
	}
}

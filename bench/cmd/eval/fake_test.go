package main

import (
	"net/http"
	"strings"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// fakeEngine flags a request whose path or body holds "attack".
type fakeEngine struct{ name string }

func (f fakeEngine) label() string              { return f.name }
func (f fakeEngine) prepare(c *corpus.Case) any { return c }
func (f fakeEngine) check(in any, explain bool) verdict {
	c := in.(*corpus.Case)
	v := verdict{Flagged: strings.Contains(c.Path+string(c.Body), "attack")}
	if v.Flagged {
		v.Score = 5
	}
	if explain {
		v.Detail = map[string]any{"flagged": v.Flagged}
	}
	return v
}

// fakeSets returns small attack and benign sets.
func fakeSets() []set {
	mk := func(corp, group, id string, attack bool, path string, body string) corpus.Case {
		c := corpus.Case{Corpus: corp, Group: group, ID: id, Attack: attack, Method: "GET", Path: path,
			Header: http.Header{"Host": {"h"}}}
		if body != "" {
			c.Method, c.Body = "POST", []byte(body)
		}
		return c
	}
	return []set{
		{name: corpus.CRS, attack: true, cases: []corpus.Case{
			mk(corpus.CRS, "942", "942100-1", true, "/?q=attack", ""),
			mk(corpus.CRS, "942", "942100-2", true, "/?q=quiet", ""),
			mk(corpus.CRS, "941", "941100-1", true, "/", "x=attack"),
		}},
		{name: corpus.Modern, attack: false, cases: []corpus.Case{
			mk(corpus.Modern, "rest", "rest-0001", false, "/api", ""),
			mk(corpus.Modern, "code", "code-0001", false, "/c", "attack \xff"),
		}},
	}
}

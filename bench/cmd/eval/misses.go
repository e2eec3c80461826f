package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// A miss is one line of the -misses file: an attack Bulwark let through
// or a benign request it blocked. Its id, method, path, headers and body
// are the request in the form `bulwark inspect --format jsonl` reads (it
// ignores the other fields), so the file replays as it is. What the other
// engines made of the request says which misses CRS catches.
type miss struct {
	ID         string            `json:"id"` // "<corpus>:<case id>"
	Kind       string            `json:"kind"`
	Corpus     string            `json:"corpus"`
	Group      string            `json:"group"`
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body,omitempty"`
	BodyBase64 string            `json:"body_base64,omitempty"` // when the body is not UTF-8, which a JSON string cannot hold
	Engines    map[string]any    `json:"engines"`               // -engines name → that engine's account
}

// Kinds of misses.
const (
	kindMiss          = "miss"           // an attack not blocked
	kindFalsePositive = "false-positive" // a benign request blocked
)

// writeMisses writes Bulwark's misses and false positives to path as JSON
// lines, in the cases' order, and returns how many.
func writeMisses(path string, sets []set, results []result) (int, error) {
	bi := slices.IndexFunc(results, func(r result) bool { return r.name == bulwarkName })
	if bi < 0 {
		return 0, fmt.Errorf("writing %s: Bulwark was not run", path)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	n := 0
	for si, s := range sets {
		for ci := range s.cases {
			c := &s.cases[ci]
			if results[bi].verdicts[si][ci].Flagged == c.Attack {
				continue
			}
			m := newMiss(c)
			for _, r := range results {
				m.Engines[r.name] = r.verdicts[si][ci].Detail
			}
			if err := enc.Encode(m); err != nil {
				return 0, fmt.Errorf("writing %s: case %s: %w", path, m.ID, err)
			}
			n++
		}
	}
	return n, writeFile(path, b.Bytes())
}

func newMiss(c *corpus.Case) miss {
	m := miss{ID: c.Corpus + ":" + c.ID, Kind: kindFalsePositive, Corpus: c.Corpus, Group: c.Group,
		Method: c.Method, Path: c.Path, Headers: map[string]string{}, Engines: map[string]any{}}
	if c.Attack {
		m.Kind = kindMiss
	}
	for k, vs := range c.Header {
		sep := ", "
		if k == "Cookie" {
			sep = "; "
		}
		m.Headers[k] = strings.Join(vs, sep)
	}
	if utf8.Valid(c.Body) {
		m.Body = string(c.Body)
	} else {
		m.BodyBase64 = base64.StdEncoding.EncodeToString(c.Body)
	}
	return m
}

// missSummary counts Bulwark's misses and false positives per corpus and
// group, largest first, for the log.
func missSummary(sets []set, results []result) string {
	bi := slices.IndexFunc(results, func(r result) bool { return r.name == bulwarkName })
	if bi < 0 {
		return ""
	}
	type key struct{ kind, corpus, group string }
	counts := map[key]int{}
	for si, s := range sets {
		for ci := range s.cases {
			c := &s.cases[ci]
			if results[bi].verdicts[si][ci].Flagged != c.Attack {
				k := key{kindFalsePositive, c.Corpus, c.Group}
				if c.Attack {
					k.kind = kindMiss
				}
				counts[k]++
			}
		}
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.kind != b.kind {
			return strings.Compare(b.kind, a.kind) // misses first
		}
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a.corpus+"/"+a.group, b.corpus+"/"+b.group)
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-14s %5d  %s/%s\n", k.kind, counts[k], k.corpus, k.group)
	}
	return b.String()
}

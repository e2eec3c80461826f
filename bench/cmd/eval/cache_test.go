package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

func TestVerdictCache(t *testing.T) {
	c := verdictCache{dir: filepath.Join(t.TempDir(), "cache")}
	s := fakeSets()[0]
	p := pass{name: "coraza-pl1+pl2", config: corazaConfig(1, 2)}
	m := machine{Coraza: "v3.8.1", CRS: "v4.25.0"}
	key := c.key(p, s, m)
	if _, ok := c.load(key, len(s.cases)); ok {
		t.Fatal("an empty cache returned verdicts")
	}
	want := []verdict{
		{Flagged: true, Score: 5, Detail: corazaDetail{Flagged: true, Score: 5, DetectionScore: 8, Status: 403, Rules: []int{942100, 949110}}},
		{Detail: corazaDetail{}},
		{Flagged: true, Score: 10, Detail: corazaDetail{Flagged: true, Score: 10, Rules: []int{941100}}},
	}
	if err := c.store(key, want); err != nil {
		t.Fatal(err)
	}
	got, ok := c.load(key, len(s.cases))
	if !ok {
		t.Fatal("the stored verdicts were not found")
	}
	for i := range want {
		w, g := want[i].Detail.(corazaDetail), got[i].Detail.(corazaDetail)
		if got[i].Flagged != want[i].Flagged || got[i].Score != want[i].Score || g.DetectionScore != w.DetectionScore || len(g.Rules) != len(w.Rules) {
			t.Errorf("verdict %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	// Anything the verdicts depend on changes the key.
	changed := s
	changed.cases = append([]corpus.Case(nil), s.cases...)
	changed.cases[1].Body = []byte("x")
	for name, k := range map[string]string{
		"a case":       c.key(p, changed, m),
		"the config":   c.key(pass{name: p.name, config: corazaConfig(2, 2)}, s, m),
		"the versions": c.key(p, s, machine{Coraza: "v3.9.0", CRS: "v4.25.0"}),
	} {
		if k == key {
			t.Errorf("changing %s keeps the cache key", name)
		}
	}

	// A damaged file is a miss, and a disabled cache keeps nothing.
	if err := os.WriteFile(c.path(key), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.load(key, len(s.cases)); ok {
		t.Error("a damaged cache file returned verdicts")
	}
	off := verdictCache{}
	if err := off.store(key, want); err != nil {
		t.Fatal(err)
	}
	if _, ok := off.load(key, len(s.cases)); ok {
		t.Error("a disabled cache returned verdicts")
	}
}

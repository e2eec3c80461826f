package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteMisses(t *testing.T) {
	sets := fakeSets()
	results := fakeResults(t, sets)
	results[0].name = bulwarkName
	path := filepath.Join(t.TempDir(), "misses.jsonl")
	n, err := writeMisses(path, sets, results)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []miss
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m miss
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, m)
	}
	if n != 2 || len(got) != 2 {
		t.Fatalf("wrote %d lines (%d read), want the one miss and the one false positive", n, len(got))
	}
	if m := got[0]; m.ID != "crs:942100-2" || m.Kind != kindMiss || m.Path != "/?q=quiet" || m.Headers["Host"] != "h" ||
		m.Engines[bulwarkName] == nil || m.Engines["beta"] == nil {
		t.Errorf("first line = %+v", m)
	}
	if m := got[1]; m.ID != "modern:code-0001" || m.Kind != kindFalsePositive || m.Body != "" || m.BodyBase64 == "" {
		t.Errorf("second line = %+v; want the body, not UTF-8, in body_base64", m)
	}
	if s := missSummary(sets, results); !strings.Contains(s, "miss") || !strings.Contains(s, "crs/942") || !strings.Contains(s, "modern/code") {
		t.Errorf("missSummary = %q", s)
	}
}

func TestWriteMissesNeedsBulwark(t *testing.T) {
	sets := fakeSets()
	if _, err := writeMisses(filepath.Join(t.TempDir(), "m"), sets, fakeResults(t, sets)); err == nil {
		t.Error("writeMisses without a bulwark result succeeded")
	}
}

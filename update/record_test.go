package update

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRecordLatest(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := LatestRecord(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("LatestRecord of a project never updated = %v, want fs.ErrNotExist", err)
	}
	day := time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	older := &Report{Dir: dir, Date: day, Results: []Result{{Candidate: Candidate{Ecosystem: NPM, Name: "a", From: "1.0.0", To: "1.0.1"}, Status: Failed}}}
	newer := &Report{Dir: dir, Date: day.Add(time.Minute), Runs: 2, Results: []Result{
		{Candidate: Candidate{Ecosystem: NPM, Name: "a", From: "1.0.0", To: "1.0.2", Kind: Patch, Advisories: []string{"GHSA-x"}},
			Status: Passed, Keep: true, Time: 1500 * time.Millisecond}}}
	for _, r := range []*Report{newer, older} {
		if _, err := r.Record(); err != nil {
			t.Fatal(err)
		}
	}
	got, path, err := LatestRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "update-2026-03-01T083100.000Z.json" {
		t.Errorf("record path %s, want .bulwark/update-2026-03-01T083100.000Z.json", path)
	}
	newer.Results[0].Time = 0 // not in the JSON; Seconds is
	if diff := cmp.Diff(newer, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("LatestRecord (-want +got):\n%s", diff)
	}
	if got.Results[0].Seconds != 1.5 {
		t.Errorf("seconds = %v, want 1.5", got.Results[0].Seconds)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, ".bulwark")); len(ents) != 3 {
		t.Errorf(".bulwark holds %d files, want the 2 records and .gitignore", len(ents))
	}
	if ignore, err := os.ReadFile(filepath.Join(dir, ".bulwark", ".gitignore")); err != nil || !strings.Contains(string(ignore), "\n*\n") {
		t.Errorf(".bulwark/.gitignore = %q (%v), want it to ignore everything, itself included", ignore, err)
	}
	for p, want := range map[string]os.FileMode{filepath.Dir(path): 0o700, path: 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("mode of %s = %v (%v), want %v: the record is private state", p, fi.Mode().Perm(), err, want)
		}
	}
}

package audit

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// mapSource is a Source over entries in memory.
type mapSource []*osv.Entry

func (m mapSource) LookupBatch(_ context.Context, keys []osv.Key) (map[osv.Key][]*osv.Entry, error) {
	out := map[osv.Key][]*osv.Entry{}
	for _, k := range keys {
		for _, e := range m {
			for _, a := range e.Affected {
				if a.Package.Ecosystem == k.Ecosystem && a.Package.Name == k.Name {
					out[k] = append(out[k], e)
					break
				}
			}
		}
	}
	return out, nil
}

// adv builds an npm advisory on pkg affected from introduced to fixed.
func adv(id string, aliases []string, pkg, introduced, fixed string) *osv.Entry {
	evs := []osv.Event{{Introduced: introduced}}
	if fixed != "" {
		evs = append(evs, osv.Event{Fixed: fixed})
	}
	return &osv.Entry{ID: id, Aliases: aliases, Summary: id + " summary",
		Affected: []osv.Affected{{Package: osv.Package{Ecosystem: "npm", Name: pkg},
			Ranges: []osv.Range{{Type: "SEMVER", Events: evs}}}}}
}

func TestMatchGroupsAliases(t *testing.T) {
	withdrawn := adv("GHSA-wwww", nil, "lib", "0", "9.0.0")
	withdrawn.Withdrawn = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	src := mapSource{
		adv("GHSA-aaaa", []string{"CVE-2024-1"}, "lib", "0", "1.2.0"),
		adv("NSWG-ECO-9", []string{"CVE-2024-1"}, "lib", "0", "1.3.0"),
		adv("SNYK-1", []string{"GHSA-aaaa"}, "lib", "0", "1.2.0"),
		adv("GHSA-bbbb", []string{"CVE-2024-2"}, "lib", "1.0.0", "2.0.0"),
		adv("GHSA-cccc", nil, "lib", "5.0.0", ""), // does not affect 1.1.0
		withdrawn,
	}
	pkgs := []lockfile.Package{{Ecosystem: "npm", Name: "lib", Version: "1.1.0", File: "package-lock.json", Line: 7}}
	got, err := Match(context.Background(), src, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	var ids [][]string
	for _, f := range got {
		ids = append(ids, f.IDs)
	}
	want := [][]string{{"GHSA-aaaa", "NSWG-ECO-9", "SNYK-1"}, {"GHSA-bbbb"}}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("finding ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CVE-2024-1"}, got[0].Aliases); diff != "" {
		t.Errorf("aliases (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1.2.0", "1.3.0"}, got[0].Fixed); diff != "" {
		t.Errorf("fixed (-want +got):\n%s", diff)
	}
	if got[0].Package.Line != 7 {
		t.Errorf("finding lost the lockfile position: %+v", got[0].Package)
	}
	r := got[0].Remediation
	if r == nil || r.To != "2.0.0" || !r.Major || got[1].Remediation != r {
		t.Errorf("remediation = %+v, want one shared upgrade to 2.0.0 marked major", r)
	}
}

func TestRemediateSkipsFixesInsideAnotherRange(t *testing.T) {
	src := mapSource{
		adv("A-1", nil, "lib", "0", "1.2.0"),
		// 1.2.0 fixes A-1 but is inside B-1, fixed in 1.2.5.
		adv("B-1", nil, "lib", "1.1.0", "1.2.5"),
		// C-1 has no fix: it stays unfixed and does not block the upgrade.
		adv("C-1", nil, "lib", "0", ""),
	}
	got, err := Match(context.Background(), src, []lockfile.Package{{Ecosystem: "npm", Name: "lib", Version: "1.1.5"}})
	if err != nil {
		t.Fatal(err)
	}
	rems := Remediate(got)
	want := []*Remediation{{Ecosystem: "npm", Name: "lib", From: "1.1.5", To: "1.2.5", Fixes: []string{"A-1", "B-1"}, Unfixed: []string{"C-1"}}}
	if diff := cmp.Diff(want, rems); diff != "" {
		t.Errorf("Remediate (-want +got):\n%s", diff)
	}
}

// TestMatchGolden runs the matcher over the advisories in
// testdata/advisories and the packages in testdata/packages.json and
// compares the findings with testdata/findings.golden.json.
func TestMatchGolden(t *testing.T) {
	var src mapSource
	names, _ := filepath.Glob(filepath.Join("testdata", "advisories", "*.json"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		e, err := osv.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		src = append(src, e)
	}
	var pkgs []lockfile.Package
	data, err := os.ReadFile(filepath.Join("testdata", "packages.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &pkgs); err != nil {
		t.Fatal(err)
	}
	findings, err := Match(context.Background(), src, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(findings, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "findings.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("findings differ from %s (-want +got):\n%s", golden, diff)
	}
}

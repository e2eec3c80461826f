package osv

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the advisory parser: no panic, and
// an accepted advisory has an id and named packages.
func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "entries", "*.json"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"id":"X","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`))
	f.Add([]byte(`{"id":"X"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data)
		if err != nil {
			return
		}
		if e.ID == "" {
			t.Errorf("accepted an advisory without id: %q", data)
		}
		for _, a := range e.Affected {
			if a.Package.Name != "" && a.Package.Ecosystem == "" {
				t.Errorf("accepted a package without ecosystem: %q", data)
			}
		}
	})
}

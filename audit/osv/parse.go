package osv

import (
	"encoding/json"
	"errors"
	"fmt"
)

// MaxEntrySize bounds one advisory's JSON. The largest OSV records
// (kernel advisories listing thousands of versions) stay below 4 MiB.
const MaxEntrySize = 16 << 20

// Parse decodes one OSV advisory. It is the parser of untrusted input:
// it rejects oversized records, records without an id or modified time,
// and affected packages without an ecosystem or name, so that the index
// only holds what a lookup can find.
func Parse(data []byte) (*Entry, error) {
	if len(data) > MaxEntrySize {
		return nil, fmt.Errorf("advisory is %d bytes, more than the %d allowed", len(data), MaxEntrySize)
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("decoding advisory: %w", err)
	}
	if e.ID == "" {
		return nil, errors.New(`advisory has no "id"; is this an OSV JSON file?`)
	}
	if e.Modified.IsZero() && !hasModified(data) {
		return nil, fmt.Errorf("advisory %s has no \"modified\" time", e.ID)
	}
	for i, a := range e.Affected {
		if a.Package.Ecosystem == "" && a.Package.Name == "" && len(a.Ranges) > 0 {
			// A GIT-only entry: it names a repository, not a package.
			continue
		}
		if a.Package.Ecosystem == "" || a.Package.Name == "" {
			return nil, fmt.Errorf("advisory %s: affected[%d]: package needs an ecosystem and a name", e.ID, i)
		}
	}
	return &e, nil
}

// hasModified reports whether the record spells out "modified" (the Go
// vulndb copy in the corpus zeroes it to 0001-01-01T00:00:00Z).
func hasModified(data []byte) bool {
	var m struct {
		Modified *string `json:"modified"`
	}
	return json.Unmarshal(data, &m) == nil && m.Modified != nil
}

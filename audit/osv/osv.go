// Package osv holds the OSV advisory schema and Bulwark's local advisory
// database: import from osv.dev's per-ecosystem all.zip files, from
// directories of OSV JSON files and from the Go vulnerability database
// layout; an index from (ecosystem, package name) to advisories so that a
// scan reads only the advisories of the packages it looks up; and
// Update, which downloads all.zip files with conditional requests.
package osv

import (
	"encoding/json"
	"time"
)

// An Entry is one OSV advisory (schema 1.x). Fields Bulwark does not use
// are kept in the stored JSON but not decoded.
type Entry struct {
	SchemaVersion    string          `json:"schema_version,omitempty"`
	ID               string          `json:"id"`
	Modified         time.Time       `json:"modified"`
	Published        time.Time       `json:"published,omitzero"`
	Withdrawn        time.Time       `json:"withdrawn,omitzero"`
	Aliases          []string        `json:"aliases,omitempty"`
	Related          []string        `json:"related,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Severity         []Severity      `json:"severity,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Severity is a scored severity: Type is "CVSS_V2", "CVSS_V3", "CVSS_V4"
// or "Ubuntu"; Score is the vector ("CVSS:3.1/AV:N/…") or the level.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected names one package and the versions of it an advisory affects.
type Affected struct {
	Package           Package         `json:"package"`
	Severity          []Severity      `json:"severity,omitempty"`
	Ranges            []Range         `json:"ranges,omitempty"`
	Versions          []string        `json:"versions,omitempty"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  json.RawMessage `json:"database_specific,omitempty"`
}

// Package identifies a package: Ecosystem is an OSV ecosystem name ("npm",
// "Go", "PyPI", …, possibly with a ":release" suffix for distributions).
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

// Range types.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// A Range is a list of events over one version order (Type).
type Range struct {
	Type             string          `json:"type"`
	Repo             string          `json:"repo,omitempty"`
	Events           []Event         `json:"events"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// An Event sets exactly one of its fields: a version where the
// vulnerability was introduced, fixed, last present, or the limit beyond
// which the range does not look.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// A Reference is a link with its kind ("ADVISORY", "FIX", "WEB", …).
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// IsWithdrawn reports whether the advisory has been withdrawn.
func (e *Entry) IsWithdrawn() bool { return !e.Withdrawn.IsZero() }

// DatabaseSeverity returns database_specific.severity ("HIGH",
// "MODERATE", …) as GitHub and others publish it, or "".
func (e *Entry) DatabaseSeverity() string {
	if len(e.DatabaseSpecific) == 0 {
		return ""
	}
	var ds struct {
		Severity string `json:"severity"`
	}
	if json.Unmarshal(e.DatabaseSpecific, &ds) != nil {
		return ""
	}
	return ds.Severity
}

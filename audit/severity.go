package audit

import (
	"strings"

	"github.com/bulwark-sec/bulwark/audit/osv"
)

// A Level is a qualitative severity, ordered: a higher Level is worse.
type Level int

// Levels, from the CVSS v3 qualitative scale.
const (
	Unknown Level = iota
	None
	Low
	Medium
	High
	Critical
)

var levelNames = [...]string{"unknown", "none", "low", "medium", "high", "critical"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "unknown"
	}
	return levelNames[l]
}

// Severity is how bad a finding is.
type Severity struct {
	Level  Level
	Score  float64 // CVSS v3 base score; 0 when none was computed
	Vector string  // the CVSS vector scored, or ""
	// Source says where Level came from: "CVSS_V3" (computed from
	// Vector), "database_specific" (the publisher's label, used for
	// CVSS v4-only and unscored advisories), or "" (unknown).
	Source string
}

// levelOfScore maps a CVSS base score to its qualitative level.
func levelOfScore(s float64) Level {
	switch {
	case s >= 9:
		return Critical
	case s >= 7:
		return High
	case s >= 4:
		return Medium
	case s > 0:
		return Low
	}
	return None
}

// levelOfLabel maps a publisher's label (GitHub's "MODERATE", …).
func levelOfLabel(s string) Level {
	switch strings.ToUpper(s) {
	case "CRITICAL":
		return Critical
	case "HIGH":
		return High
	case "MODERATE", "MEDIUM":
		return Medium
	case "LOW":
		return Low
	case "NONE":
		return None
	}
	return Unknown
}

// severityOf scores one advisory, given the affected block that matched
// (its own severity, if any, takes precedence over the entry's). A CVSS
// v3 vector is scored with the formula. CVSS v4 vectors are not scored
// (the v4 score is a lookup over macro-vectors, not a formula): the
// publisher's database_specific.severity label is used instead, and
// without one the level is Unknown.
func severityOf(e *osv.Entry, a *osv.Affected) Severity {
	var sevs []osv.Severity
	if a != nil {
		sevs = append(sevs, a.Severity...)
	}
	sevs = append(sevs, e.Severity...)
	for _, s := range sevs {
		if s.Type != "CVSS_V3" {
			continue
		}
		if score, err := CVSS3BaseScore(s.Score); err == nil {
			return Severity{Level: levelOfScore(score), Score: score, Vector: s.Score, Source: "CVSS_V3"}
		}
	}
	if l := levelOfLabel(e.DatabaseSeverity()); l != Unknown {
		return Severity{Level: l, Source: "database_specific"}
	}
	return Severity{}
}

// worse reports whether s ranks above t.
func (s Severity) worse(t Severity) bool {
	if s.Level != t.Level {
		return s.Level > t.Level
	}
	return s.Score > t.Score
}

// MarshalText writes the level's name ("high"), for JSON reports.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

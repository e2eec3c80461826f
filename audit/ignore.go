package audit

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// IgnoreFileName is the ignore file bulwark audit reads from the scanned
// directory when no other is given.
const IgnoreFileName = ".bulwark-ignore.yaml"

// An IgnoreFile is the content of .bulwark-ignore.yaml:
//
//	ignore:
//	  - id: GHSA-qwcr-r2fm-qrc7
//	    reason: "body-parser is only used for JSON; urlencoded is off"
//	    until: 2027-01-31
type IgnoreFile struct {
	Ignore []Ignore `yaml:"ignore"`
}

// An Ignore silences the findings of one advisory until a date.
type Ignore struct {
	// ID is any name of the advisory: its id or one of its aliases
	// (a GHSA, CVE or GO- id of the same group all match).
	ID string `yaml:"id"`
	// Reason says why the finding does not apply or can wait. Required.
	Reason string `yaml:"reason"`
	// Until is the last day (UTC) the ignore holds. Required: an ignore
	// without an end is never looked at again.
	Until Date `yaml:"until"`
}

// Validate implements config.Validator.
func (ig *Ignore) Validate() error {
	if ig.ID == "" {
		return config.Field("id", errors.New("required: the advisory id or alias to ignore"))
	}
	if ig.Reason == "" {
		return config.Field("reason", errors.New("required: say why the finding can be ignored"))
	}
	if ig.Until.IsZero() {
		return config.Field("until", errors.New("required: the last day the ignore holds, as 2027-01-31"))
	}
	return nil
}

// Expired reports whether the ignore no longer holds at now: it holds
// through the whole day Until, in UTC.
func (ig Ignore) Expired(now time.Time) bool {
	return !now.Before(ig.Until.AddDate(0, 0, 1))
}

// A Date is a calendar day written as 2006-01-02, at midnight UTC.
type Date struct{ time.Time }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return fmt.Errorf("%q is not a date: write it as 2027-01-31", b)
	}
	d.Time = t
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d Date) String() string { return d.Format(time.DateOnly) }

// LoadIgnoreFile reads and strictly decodes an ignore file. Errors name
// the file and line.
func LoadIgnoreFile(path string) (IgnoreFile, error) {
	var f IgnoreFile
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	if err := config.Decode(path, data, &f); err != nil {
		return IgnoreFile{}, err
	}
	return f, nil
}

// An Ignored is a finding an ignore silenced.
type Ignored struct {
	Finding Finding
	By      Ignore
}

// Ignores is the outcome of applying an ignore file to findings.
type Ignores struct {
	Kept    []Finding // findings no ignore in force names
	Ignored []Ignored // findings silenced, with the ignore that did it
	// Expired lists the ignores past their date, in file order: they
	// silence nothing, and the report says so.
	Expired []Ignore
}

// ApplyIgnores splits findings into those kept and those silenced by an
// ignore in force at now. An ignore names a finding when its ID is one of
// the finding's ids or aliases.
func ApplyIgnores(findings []Finding, ignores []Ignore, now time.Time) Ignores {
	var r Ignores
	active := map[string]Ignore{}
	for _, ig := range ignores {
		if ig.Expired(now) {
			r.Expired = append(r.Expired, ig)
			continue
		}
		if _, dup := active[ig.ID]; !dup {
			active[ig.ID] = ig
		}
	}
	for _, f := range findings {
		if ig, ok := ignoredBy(f, active); ok {
			r.Ignored = append(r.Ignored, Ignored{Finding: f, By: ig})
		} else {
			r.Kept = append(r.Kept, f)
		}
	}
	return r
}

func ignoredBy(f Finding, active map[string]Ignore) (Ignore, bool) {
	if len(active) == 0 {
		return Ignore{}, false
	}
	for _, names := range [][]string{f.IDs, f.Aliases} {
		for _, n := range names {
			if ig, ok := active[n]; ok {
				return ig, true
			}
		}
	}
	return Ignore{}, false
}

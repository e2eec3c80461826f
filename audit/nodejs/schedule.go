package nodejs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxScheduleSize bounds schedule.json (about 4 KB today).
const MaxScheduleSize = 1 << 20

// A Schedule is the Node.js release schedule: the dates of each release
// line, keyed as nodejs/Release writes them ("v20", "v0.12").
type Schedule map[string]LineDates

// LineDates are one release line's dates, "2006-01-02" or "".
type LineDates struct {
	Start       string `json:"start"`
	LTS         string `json:"lts,omitempty"`
	Maintenance string `json:"maintenance,omitempty"`
	End         string `json:"end"`
	Codename    string `json:"codename,omitempty"`
}

// ParseSchedule decodes schedule.json, checking every date.
func ParseSchedule(data []byte) (Schedule, error) {
	if len(data) > MaxScheduleSize {
		return nil, fmt.Errorf("%d bytes, more than the %d a schedule may have", len(data), MaxScheduleSize)
	}
	var s Schedule
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("not the Node.js release schedule: %w", err)
	}
	if len(s) == 0 {
		return nil, fmt.Errorf("not the Node.js release schedule: no release line")
	}
	for k, d := range s {
		if _, _, ok := lineNumber(k); !ok {
			return nil, fmt.Errorf("release line %q: want \"v20\" or \"v0.12\"", k)
		}
		for _, x := range []string{d.Start, d.LTS, d.Maintenance, d.End} {
			if x == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, x); err != nil {
				return nil, fmt.Errorf("release line %s: date %q: want YYYY-MM-DD", k, x)
			}
		}
	}
	return s, nil
}

// lineNumber reads "v20" as (20, 0) and "v0.12" as (0, 12).
func lineNumber(k string) (major, minor int, ok bool) {
	s, found := strings.CutPrefix(k, "v")
	if !found {
		return 0, 0, false
	}
	a, b, dotted := strings.Cut(s, ".")
	major, err := strconv.Atoi(a)
	if err != nil || major < 0 {
		return 0, 0, false
	}
	if dotted {
		if major != 0 {
			return 0, 0, false
		}
		if minor, err = strconv.Atoi(b); err != nil || minor < 0 {
			return 0, 0, false
		}
	}
	return major, minor, true
}

// LineOf names v's release line as the schedule keys it: "v20", or
// "v0.12" before 1.0.
func LineOf(v Version) string {
	if v[0] == 0 {
		return fmt.Sprintf("v0.%d", v[1])
	}
	return "v" + strconv.Itoa(v[0])
}

// A LineStatus says where a release line stands on a day.
type LineStatus struct {
	Line     string // "20.x"
	Codename string // "Iron", for LTS lines
	End      string // its end of life, "2026-04-30"; "" when the schedule does not list the line
	PastEnd  bool   // the day is after End: no more security releases
	// MoveTo is the newest LTS line in active support on the day
	// ("24.x"), when Line is past its end or close to it (within 6
	// months); "" otherwise.
	MoveTo string
}

// Status returns the status on day of the line key ("v20").
func (s Schedule) Status(key string, day time.Time) LineStatus {
	st := LineStatus{Line: strings.TrimPrefix(key, "v") + ".x"}
	d, ok := s[key]
	if !ok {
		return st
	}
	st.Codename, st.End = d.Codename, d.End
	end, err := time.Parse(time.DateOnly, d.End)
	if err != nil {
		return st
	}
	st.PastEnd = day.After(end.Add(24*time.Hour - time.Nanosecond))
	if day.AddDate(0, 6, 0).After(end) {
		st.MoveTo = s.activeLTS(day, key)
	}
	return st
}

// activeLTS returns the newest line other than not whose LTS has begun
// and which has not ended on day, as "24.x".
func (s Schedule) activeLTS(day time.Time, not string) string {
	var keys []string
	for k, d := range s {
		lts, err1 := time.Parse(time.DateOnly, d.LTS)
		end, err2 := time.Parse(time.DateOnly, d.End)
		if k != not && err1 == nil && err2 == nil && !day.Before(lts) && day.Before(end) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	best := slices.MaxFunc(keys, func(a, b string) int {
		am, an, _ := lineNumber(a)
		bm, bn, _ := lineNumber(b)
		if am != bm {
			return am - bm
		}
		return an - bn
	})
	return strings.TrimPrefix(best, "v") + ".x"
}

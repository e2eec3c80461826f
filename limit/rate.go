package limit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// A Rate is a number of events per period, written in YAML as "100/s",
// "600/m", "20/h", "1000/d" or with any duration: "10/5m", "1/500ms". The zero
// Rate means "not set".
type Rate struct {
	N   int64         // events per Per; at least 1 when set
	Per time.Duration // the period; positive when set
}

// minInterval is the cost of one event at the fastest rate a limit may
// have, one event per microsecond (the unit Redis counts in).
const minInterval = time.Microsecond

var errEmptyRate = errors.New(`empty rate (write it as count/period: "100/s", "600/m", "20/h")`)

// ParseRate parses a rate such as "100/s". See [Rate].
func ParseRate(s string) (Rate, error) {
	num, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		if strings.TrimSpace(s) == "" {
			return Rate{}, errEmptyRate
		}
		return Rate{}, fmt.Errorf(`invalid rate %q: write it as count/period, e.g. "100/s", "600/m", "20/h"`, s)
	}
	num, per = strings.TrimSpace(num), strings.TrimSpace(per)
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 {
		return Rate{}, fmt.Errorf(`invalid rate %q: the count %q must be a whole number of at least 1 (to turn a limit off, write disable: true)`, s, num)
	}
	d, err := parsePeriod(per)
	if err != nil {
		return Rate{}, fmt.Errorf(`invalid rate %q: %w`, s, err)
	}
	r := Rate{N: n, Per: d}
	if r.Interval() < minInterval {
		return Rate{}, fmt.Errorf("invalid rate %q: too fast; at most 1000000/s", s)
	}
	return r, nil
}

// parsePeriod reads "s", "m", "h", "d" (one of them) or a duration "5m".
func parsePeriod(s string) (time.Duration, error) {
	switch strings.ToLower(s) {
	case "s", "sec", "second":
		return time.Second, nil
	case "m", "min", "minute":
		return time.Minute, nil
	case "h", "hour":
		return time.Hour, nil
	case "d", "day":
		return 24 * time.Hour, nil
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, fmt.Errorf(`unknown period %q: use s, m, h, d or a duration such as 10s or 5m`, s)
	}
	d, err := config.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf(`unknown period %q: use s, m, h, d or a duration such as 10s or 5m`, s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("period %q must be longer than zero", s)
	}
	if d > 366*24*time.Hour {
		return 0, fmt.Errorf("period %q is longer than a year", s)
	}
	return d, nil
}

// IsZero reports whether r is unset.
func (r Rate) IsZero() bool { return r.N == 0 && r.Per == 0 }

// Interval is the time one event costs: Per / N.
func (r Rate) Interval() time.Duration {
	if r.N <= 0 {
		return 0
	}
	return r.Per / time.Duration(r.N)
}

// String gives the rate as [ParseRate] reads it; "" for the zero Rate.
func (r Rate) String() string {
	if r.IsZero() {
		return ""
	}
	unit := ""
	switch r.Per {
	case time.Second:
		unit = "s"
	case time.Minute:
		unit = "m"
	case time.Hour:
		unit = "h"
	case 24 * time.Hour:
		unit = "d"
	default:
		unit = config.FormatDuration(r.Per)
	}
	return strconv.FormatInt(r.N, 10) + "/" + unit
}

// UnmarshalText implements encoding.TextUnmarshaler, so config.Decode reads
// rates. An empty text is the zero Rate (the limit's default).
func (r *Rate) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*r = Rate{}
		return nil
	}
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const day = 24 * time.Hour

// ParseDuration parses a Go duration ("1h30m"), optionally led by whole days
// ("365d", "1d12h"). A bare integer is a number of seconds.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > int64(maxDuration/time.Second) || n < -int64(maxDuration/time.Second) {
			return 0, fmt.Errorf("duration %q is out of range", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseUint(s[:i], 10, 32)
		if err != nil || n > uint64(maxDuration/day) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		days = time.Duration(n) * day
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || (days > 0 && d < 0) {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	if days > 0 && days > maxDuration-d {
		return 0, fmt.Errorf("duration %q is out of range", s)
	}
	return days + d, nil
}

const maxDuration = time.Duration(1<<63 - 1)

// FormatDuration writes d the way ParseDuration reads it, as briefly as it
// can: "365d", "10s", "1h30m", "1d12h".
func FormatDuration(d time.Duration) string {
	if d <= 0 || d%time.Second != 0 {
		return d.String()
	}
	var b strings.Builder
	for _, u := range []struct {
		name string
		unit time.Duration
	}{{"d", day}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}} {
		if d >= u.unit {
			fmt.Fprintf(&b, "%d%s", d/u.unit, u.name)
			d %= u.unit
		}
	}
	return b.String()
}

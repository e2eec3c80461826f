package blackbook

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// Config is the black book's part of bulwark.yaml. Its zero value is usable.
type Config struct {
	// DefaultDuration is a ban's base length when the request gives none.
	// If zero, 1h.
	DefaultDuration time.Duration `yaml:"defaultDuration"`
	// Escalation lengthens the bans of repeat offenders.
	Escalation Escalation `yaml:"escalation"`
	// Allowlist lists addresses and CIDRs that are never banned, on top of
	// those added at run time. If empty, none.
	Allowlist []string `yaml:"allowlist"`
	// PollInterval is how often the store is checked for changes made by
	// another process (such as bulwark bans add). If zero, 500ms.
	PollInterval time.Duration `yaml:"pollInterval"`
	// FlushInterval bounds how long a recorded offence waits before it is
	// written to the store. If zero, 1s.
	FlushInterval time.Duration `yaml:"flushInterval"`
	// RedisPrefix starts every Redis key and the channel name, so several
	// deployments can share one Redis. If empty, "bulwark".
	RedisPrefix string `yaml:"redisPrefix"`
}

// Escalation doubles (by Factor) a ban's length for each earlier ban of the
// same target inside Window, up to Max, and optionally makes it permanent.
type Escalation struct {
	// Window is how far back earlier bans count as repeats. If zero, 24h.
	Window time.Duration `yaml:"window"`
	// Factor multiplies the length per repeat. If zero, 2; 1 turns
	// escalation off.
	Factor float64 `yaml:"factor"`
	// Max caps an escalated length. If zero, 7d.
	Max time.Duration `yaml:"max"`
	// PermanentAfter makes the Nth ban inside Window permanent. If zero,
	// never.
	PermanentAfter int `yaml:"permanentAfter"`
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.DefaultDuration == 0 {
		c.DefaultDuration = time.Hour
	}
	if c.Escalation.Window == 0 {
		c.Escalation.Window = 24 * time.Hour
	}
	if c.Escalation.Factor == 0 {
		c.Escalation.Factor = 2
	}
	if c.Escalation.Max == 0 {
		c.Escalation.Max = 7 * 24 * time.Hour
	}
	if c.PollInterval == 0 {
		c.PollInterval = 500 * time.Millisecond
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = time.Second
	}
	if c.RedisPrefix == "" {
		c.RedisPrefix = "bulwark"
	}
	return c
}

// Validate reports every bad value, each at its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	for _, d := range []struct {
		path string
		v    time.Duration
	}{
		{"defaultDuration", c.DefaultDuration}, {"escalation.window", c.Escalation.Window},
		{"escalation.max", c.Escalation.Max}, {"pollInterval", c.PollInterval}, {"flushInterval", c.FlushInterval},
	} {
		if d.v < 0 {
			bad(d.path, "must be at least 0s, got %s", config.FormatDuration(d.v))
		}
	}
	if c.Escalation.Factor != 0 && (c.Escalation.Factor < 1 || c.Escalation.Factor > 100) {
		bad("escalation.factor", "must be between 1 (no escalation) and 100, got %g", c.Escalation.Factor)
	}
	if c.Escalation.PermanentAfter < 0 {
		bad("escalation.permanentAfter", "must be at least 0 (0 means never), got %d", c.Escalation.PermanentAfter)
	}
	for i, s := range c.Allowlist {
		if _, err := clientip.ParsePrefix(s); err != nil {
			bad(fmt.Sprintf("allowlist[%d]", i), "%v", err)
		}
	}
	return errors.Join(errs...)
}

// allowlist returns the configured allowlist; Validate has checked it.
func (c Config) allowlist() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range c.Allowlist {
		if p, err := clientip.ParsePrefix(s); err == nil {
			ps = append(ps, p)
		}
	}
	return ps
}

// escalate returns the length of a ban whose base length is base and which
// follows repeat earlier bans inside the window; permanent says whether it
// has reached the permanent tier.
func (e Escalation) escalate(base time.Duration, repeat int) (d time.Duration, permanent bool) {
	if e.PermanentAfter > 0 && repeat+1 >= e.PermanentAfter {
		return 0, true
	}
	d = base
	for i := 0; i < repeat && d < e.Max; i++ {
		if f := float64(d) * e.Factor; f < float64(e.Max) {
			d = time.Duration(f)
		} else {
			d = e.Max
		}
	}
	return d, false
}

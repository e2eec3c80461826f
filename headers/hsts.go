package headers

import (
	"strconv"
	"time"
)

// StrictTransportSecurity configures Strict-Transport-Security.
type StrictTransportSecurity struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// MaxAge is how long browsers remember to use HTTPS only, sent in whole
	// seconds rounded down (as Helmet does); it must not be negative, and 0
	// tells browsers to forget. If nil, 365 days (31536000 seconds). In YAML,
	// a bare integer is seconds (Helmet's unit): 31536000, or "365d".
	MaxAge *time.Duration `yaml:"maxAge,omitempty"`
	// IncludeSubDomains adds includeSubDomains. If nil, true.
	IncludeSubDomains *bool `yaml:"includeSubDomains,omitempty"`
	// Preload adds preload. If false, it is not sent.
	Preload bool `yaml:"preload,omitempty"`
	// OverHTTP sends the header to plain-HTTP clients too (browsers ignore
	// it there, RFC 6797 §8.1, and §7.2 says not to). If false, it goes
	// only to HTTPS clients: direct, or as a trusted proxy reports.
	OverHTTP bool `yaml:"overHTTP,omitempty"`
}

// defaultMaxAge is Helmet's default HSTS max-age.
const defaultMaxAge = 365 * 24 * time.Hour

func (c *StrictTransportSecurity) build(b *builder, path string) {
	if c == nil {
		c = &StrictTransportSecurity{}
	}
	if c.Disable {
		return
	}
	maxAge := defaultMaxAge
	if c.MaxAge != nil {
		maxAge = *c.MaxAge
	}
	if maxAge < 0 {
		b.fail(path+".maxAge", "must be at least 0s, got %v", maxAge)
		return
	}
	v := "max-age=" + strconv.FormatInt(int64(maxAge/time.Second), 10)
	if c.IncludeSubDomains == nil || *c.IncludeSubDomains {
		v += "; includeSubDomains"
	}
	if c.Preload {
		v += "; preload"
	}
	if c.OverHTTP {
		b.set("Strict-Transport-Security", v, c.Override)
		return
	}
	b.setSchemed("Strict-Transport-Security", v, "", c.Override)
}

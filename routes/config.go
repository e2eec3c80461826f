package routes

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Config is the routes section of bulwark.yaml. Its zero value learns the
// surface from traffic, enforces nothing, and reports new routes after a
// week.
type Config struct {
	// Disable turns the inventory off.
	Disable bool `yaml:"disable"`
	// OpenAPI is the path of the app's OpenAPI 3.0 or 3.1 document, read at
	// start: its operations are the declared surface. If empty, none.
	OpenAPI string `yaml:"openapi"`
	// Express is the app's Express script (server.js), whose routes are
	// listed at start by loading it in Node without listening. If empty,
	// none.
	Express string `yaml:"express"`
	// Learning is how long after the first request routes are learned
	// quietly; a route the app does not declare that appears after it is
	// an event (action new-route). If zero, 168h: a week sees the weekly
	// jobs too.
	Learning time.Duration `yaml:"learning"`
	// Retention forgets a route not called for this long, and bounds the
	// window "declared and never called" looks at. If zero, 720h (30 days).
	Retention time.Duration `yaml:"retention"`
	// MaxTemplates bounds the learned template table. If zero, 5000.
	MaxTemplates int `yaml:"maxTemplates"`
	// Credentials names what carries credentials besides the Authorization
	// header and the account watch's session cookie.
	Credentials Credentials `yaml:"credentials"`
	// Enforce is "declared" to act on requests for routes the app does not
	// declare (see EnforceMode), or empty for none. It needs openapi or
	// express.
	Enforce string `yaml:"enforce"`
	// EnforceMode is "detect" (an event per undeclared request, which
	// passes) or "block" (404 from the gateway). If empty, detect: watch
	// the events before blocking.
	EnforceMode string `yaml:"enforceMode"`
	// EnforcePrefixes limits enforcement to paths under these prefixes
	// ("/api/"). If empty, every path.
	EnforcePrefixes []string `yaml:"enforcePrefixes"`
}

// Enforcement modes.
const (
	EnforceDetect = "detect"
	EnforceBlock  = "block"
)

// WithDefaults returns c with every zero field set to its documented default.
func (c Config) WithDefaults() Config {
	if c.Learning == 0 {
		c.Learning = 7 * 24 * time.Hour
	}
	if c.Retention == 0 {
		c.Retention = 30 * 24 * time.Hour
	}
	if c.MaxTemplates == 0 {
		c.MaxTemplates = 5000
	}
	if c.EnforceMode == "" {
		c.EnforceMode = EnforceDetect
	}
	if len(c.Credentials.Cookies) == 0 {
		c.Credentials.Cookies = DefaultCredentialCookies
	}
	return c
}

// Validate reports every bad value, each at its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if c.Learning < 0 {
		bad("learning", "must be at least 0s, got %s", config.FormatDuration(c.Learning))
	}
	if c.Retention < 0 {
		bad("retention", "must be at least 0s, got %s", config.FormatDuration(c.Retention))
	}
	if c.MaxTemplates < 0 || c.MaxTemplates > 1_000_000 {
		bad("maxTemplates", "must be between 1 and 1000000, got %d", c.MaxTemplates)
	}
	switch c.Enforce {
	case "":
	case "declared":
		if c.OpenAPI == "" && c.Express == "" {
			bad("enforce", "declared needs the declared routes: set routes.openapi or routes.express")
		}
	default:
		bad("enforce", "%q is not declared (or leave it empty)", c.Enforce)
	}
	switch c.EnforceMode {
	case "", EnforceDetect, EnforceBlock:
	default:
		bad("enforceMode", "%q is not detect or block", c.EnforceMode)
	}
	for i, p := range c.EnforcePrefixes {
		if !strings.HasPrefix(p, "/") {
			bad(fmt.Sprintf("enforcePrefixes[%d]", i), "%q must start with /", p)
		}
	}
	for i, h := range c.Credentials.Headers {
		if h == "" || strings.ContainsAny(h, " :\t") {
			bad(fmt.Sprintf("credentials.headers[%d]", i), "%q is not a header name", h)
		}
	}
	return errors.Join(errs...)
}

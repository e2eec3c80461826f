package console

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the console. Its zero value is a safe console.
type Config struct {
	// Disable turns the console off. If false, it is served.
	Disable bool `yaml:"disable"`
	// SessionTTL is how long a login lasts. If zero, 12h.
	SessionTTL time.Duration `yaml:"sessionTTL"`
	// LoginFailures is how many failed logins one address may make in
	// LoginWindow before it is refused until the window passes. If zero, 5.
	LoginFailures int `yaml:"loginFailures"`
	// LoginWindow is the window of LoginFailures. If zero, 1m.
	LoginWindow time.Duration `yaml:"loginWindow"`
	// Events is how many events the console's history keeps at most, in
	// the store, for the pages and GET /v1/events; the oldest go first.
	// If zero, 100000.
	Events int `yaml:"events"`
	// RetentionDays is how many days the history keeps events and the
	// series' samples. If zero, 7.
	RetentionDays int `yaml:"retentionDays"`
}

// WithDefaults returns c with every zero field set to its documented default.
func (c Config) WithDefaults() Config {
	if c.SessionTTL == 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.LoginFailures == 0 {
		c.LoginFailures = 5
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = time.Minute
	}
	if c.Events == 0 {
		c.Events = 100000
	}
	if c.RetentionDays == 0 {
		c.RetentionDays = 7
	}
	return c
}

// Validate reports every bad value, each with its key and a hint.
func (c Config) Validate() error {
	var errs []error
	if c.SessionTTL < 0 || (c.SessionTTL > 0 && c.SessionTTL < time.Minute) {
		errs = append(errs, fmt.Errorf("sessionTTL: must be at least 1m, got %s", c.SessionTTL))
	}
	if c.LoginFailures < 0 {
		errs = append(errs, fmt.Errorf("loginFailures: must be at least 1, got %d", c.LoginFailures))
	}
	if c.LoginWindow < 0 {
		errs = append(errs, fmt.Errorf("loginWindow: must be positive, got %s", c.LoginWindow))
	}
	if c.Events < 0 || c.Events > 1_000_000 {
		errs = append(errs, fmt.Errorf("events: must be between 1 and 1000000, got %d", c.Events))
	}
	if c.RetentionDays < 0 || c.RetentionDays > 90 {
		errs = append(errs, fmt.Errorf("retentionDays: must be between 1 and 90, got %d", c.RetentionDays))
	}
	return errors.Join(errs...)
}

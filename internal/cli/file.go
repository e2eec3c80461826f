package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/alert"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/blackbook/scenario"
	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/console"
	"github.com/bulwark-sec/bulwark/guard"
	"github.com/bulwark-sec/bulwark/ship"
	"github.com/bulwark-sec/bulwark/supervise"
	"github.com/bulwark-sec/bulwark/watch"
)

// fileConfig is the schema of bulwark.yaml: the gateway's sections at the
// top level, then the store and the event output.
type fileConfig struct {
	guard.Config `yaml:",inline"`
	// Store is the embedded state.
	Store storeConfig `yaml:"store"`
	// Events chooses where events are written.
	Events eventsConfig `yaml:"events"`
	// Blackbook keeps offenders and bans.
	Blackbook blackbook.Config `yaml:"blackbook"`
	// Scenarios turn events into bans.
	Scenarios scenario.Config `yaml:"scenarios"`
	// Watch follows the server's own login logs (SSH, FTP).
	Watch watch.Config `yaml:"watch"`
	// Ship sends events to log services and webhooks, through a spool on
	// disk so none is lost while a receiver is down.
	Ship ship.Config `yaml:"ship"`
	// Alerts are the alert rules and the notifiers they send through.
	Alerts alert.Config `yaml:"alerts"`
	// Console is the web console on the admin listener.
	Console console.Config `yaml:"console"`
	// Audit is where the console finds dependency results.
	Audit auditConfig `yaml:"audit"`
	// UserMail names the email notifier (under alerts.notifiers) that
	// mails users about logins from new devices and account changes. If
	// empty: the only email notifier, or with none or several, an outbox
	// directory next to the store.
	UserMail string `yaml:"userMail"`

	Run supervise.Config `yaml:"run"` // the app bulwark run supervises

	Update updateConfig `yaml:"update"` // bulwark update's defaults
}

// updateConfig is what bulwark update reads of the file; its flags win.
type updateConfig struct {
	// AllowScripts names npm packages whose install scripts may run in
	// trials and with --apply (after an install with scripts off), besides
	// --allow-scripts and the project's own lists (npm's allowScripts,
	// pnpm's onlyBuiltDependencies, bun's trustedDependencies).
	AllowScripts []string `yaml:"allowScripts"`
	// MinimumReleaseAge is how long ago a version must have been published
	// to be tried, unless it fixes an advisory. If nil, 3 days; 0 tries
	// versions however new.
	MinimumReleaseAge *time.Duration `yaml:"minimumReleaseAge"`
}

// Validate reports every bad value, each at its key.
func (c updateConfig) Validate() error {
	var errs []error
	if d := c.MinimumReleaseAge; d != nil && *d < 0 {
		errs = append(errs, config.Field("minimumReleaseAge", fmt.Errorf("must be at least 0s, got %s", *d)))
	}
	for i, name := range c.AllowScripts {
		if name == "" || strings.ContainsAny(name, " \t\n\x00") {
			errs = append(errs, config.Field(fmt.Sprintf("allowScripts[%d]", i), fmt.Errorf("%q is not an npm package name", name)))
		}
	}
	return errors.Join(errs...)
}

// auditConfig tells guard where the results of bulwark audit --monitor
// and bulwark update are, for the console's Dependencies page and the
// admin API's /v1/audit and /v1/updates.
type auditConfig struct {
	// DB is the advisory database bulwark audit --monitor keeps its
	// snapshots in, read-only here. If empty, $BULWARK_OSV_DB, or else
	// bulwark-osv.db next to the store.
	DB string `yaml:"db"`
	// Projects are the project directories whose latest bulwark update
	// run is shown. If empty, the projects bulwark audit --monitor has
	// scanned.
	Projects []string `yaml:"projects"`
}

type eventsConfig struct {
	// Output is "stdout", "stderr", "none" or a file path (appended to,
	// mode 0600). If empty, "stdout".
	Output string `yaml:"output"`
}

func (c fileConfig) Validate() error {
	return c.Config.Validate()
}

func (c fileConfig) withDefaults() fileConfig {
	c.Config = c.Config.WithDefaults()
	c.Run = c.Run.WithDefaults()
	if c.Store.Path == "" {
		c.Store.Path = "bulwark.db"
	}
	if c.Events.Output == "" {
		c.Events.Output = "stdout"
	}
	// Like fail2ban's ignoreip and CrowdSec's default whitelist: a client
	// on this host is a local proxy or a health check, and banning or
	// limiting it would refuse everyone behind it. "[]" in the file
	// removes the default.
	if c.Blackbook.Allowlist == nil {
		c.Blackbook.Allowlist = loopback
	}
	if c.Limits.Exempt == nil {
		c.Limits.Exempt = loopback
	}
	if c.Audit.DB == "" {
		c.Audit.DB = os.Getenv("BULWARK_OSV_DB")
	}
	if c.Audit.DB == "" {
		c.Audit.DB = filepath.Join(filepath.Dir(c.Store.Path), defaultOSVDB)
	}
	if c.Admin.TokenFile == "" {
		c.Admin.TokenFile = filepath.Join(filepath.Dir(c.Store.Path), "bulwark-admin.token")
	}
	return c
}

var loopback = []string{"127.0.0.0/8", "::1"}

// maxConfigSize bounds the configuration file read.
const maxConfigSize = 1 << 20

// loadConfig reads and decodes the file at path; an empty path gives the
// zero configuration. Errors in the file are usage errors.
func loadConfig(path string) (fileConfig, error) {
	var c fileConfig
	if path == "" {
		return c, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return c, usageError{fmt.Errorf("reading configuration: %w", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return c, usageError{fmt.Errorf("reading configuration: %w", err)}
	}
	if len(data) > maxConfigSize {
		return c, usagef("%s: larger than %d bytes; is it the right file?", path, maxConfigSize)
	}
	if err := config.Decode(path, data, &c); err != nil {
		var es config.Errors
		if errors.As(err, &es) {
			return c, usageError{configErrors(es)}
		}
		return c, usageError{err}
	}
	return c, nil
}

// configErrors prints one problem per line under a heading.
type configErrors config.Errors

func (es configErrors) Error() string {
	if len(es) == 1 {
		return "invalid configuration: " + es[0].Error()
	}
	return fmt.Sprintf("invalid configuration, %d problems:\n%s", len(es), config.Errors(es).Error())
}

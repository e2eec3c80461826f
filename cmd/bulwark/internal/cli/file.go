package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
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

	// stateDir is the state directory when store.path was not given:
	// the store and its neighbours go there, created on first write.
	// stateErr says why there is none.
	stateDir string
	stateErr error
	// eventLines writes events as readable lines, not JSON: guard on a
	// terminal with no events.output set.
	eventLines bool
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
	// bulwark-osv.db in the cache directory ($BULWARK_HOME, else
	// $XDG_CACHE_HOME/bulwark).
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
	errs := []error{c.Config.Validate()}
	for _, a := range []struct{ key, addr string }{{"listen", c.Listen}, {"admin.listen", c.Admin.Listen}} {
		if err := checkPort(a.addr); err != nil {
			errs = append(errs, config.Field(a.key, err))
		}
	}
	// What net/http would take but no client sends: a typo of a unit,
	// found at start (or never) instead of here.
	if n := int64(c.Server.MaxHeaderBytes); n > maxHeaderBytes {
		errs = append(errs, config.Field("server.maxHeaderBytes",
			fmt.Errorf("%s is more than any client sends; at most 1MiB (the default is 32KiB)", c.Server.MaxHeaderBytes)))
	}
	if n := int64(c.Server.MaxBodyBytes); n > maxBodyBytes {
		errs = append(errs, config.Field("server.maxBodyBytes",
			fmt.Errorf("%s is more than a request body can be here; at most 64GiB (the default is 10MiB)", c.Server.MaxBodyBytes)))
	}
	return errors.Join(errs...)
}

// Bounds of the sizes a configuration may give.
const (
	maxHeaderBytes = 1 << 20
	maxBodyBytes   = 64 << 30
)

// checkPort reports a listen address whose port is not a number from 0
// to 65535 (":80800"); the rest of the address is the gateway's to check.
func checkPort(addr string) error {
	if addr == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil // guard's Validate says what is wrong with it
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535 (write host:port, e.g. 127.0.0.1:8080 or :8080)", port)
	}
	return nil
}

func (c fileConfig) withDefaults() fileConfig {
	c.Config = c.Config.WithDefaults()
	c.Run = c.Run.WithDefaults()
	if c.Store.Path == "" {
		c.stateDir, c.stateErr = stateDir()
		if c.stateErr == nil {
			c.Store.Path = filepath.Join(c.stateDir, "bulwark.db")
		}
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
		c.Audit.DB = defaultAdvisoryDB()
	}
	if c.Admin.TokenFile == "" && c.Store.Path != "" {
		c.Admin.TokenFile = filepath.Join(filepath.Dir(c.Store.Path), "bulwark-admin.token")
	}
	return c
}

var loopback = []string{"127.0.0.0/8", "::1"}

// prepareStore makes sure the store can be created where withDefaults
// put it: the state directory is made when it is the default one; a
// store.path in a missing folder stays an error (a mistyped path is not
// a new tree). Only commands that write call it.
func (c fileConfig) prepareStore() error {
	if c.stateErr != nil {
		return usageError{c.stateErr}
	}
	if c.stateDir != "" {
		return makeStateDir(c.stateDir)
	}
	return nil
}

// storeExists reports whether the store is there to read; read-only
// commands answer "nothing yet" instead of creating it.
func (c fileConfig) storeExists() bool {
	return c.Store.Path != "" && exists(c.Store.Path)
}

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
	if errors.Is(err, os.ErrNotExist) {
		return c, usagef("no configuration file at %s: check the path, or write one with bulwark init", absPath(path))
	}
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

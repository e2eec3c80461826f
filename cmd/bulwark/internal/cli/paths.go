package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The state directory holds what bulwark keeps between runs: the store
// (bulwark.db with its -wal and -shm), the admin token, the console's
// password for the run, the users' mail outbox and the sinks' spools. It
// is, first found:
//
//	$BULWARK_HOME
//	/var/lib/bulwark                 as root (systemd's StateDirectory=bulwark)
//	$XDG_STATE_HOME/bulwark          default ~/.local/state/bulwark
//
// store.path (and the flags naming a file) override it; nothing is
// written to the current folder unless a path says so.
func stateDir() (string, error) { return stateDirFor(os.Geteuid() == 0) }

func stateDirFor(root bool) (string, error) {
	if d := os.Getenv("BULWARK_HOME"); d != "" {
		return filepath.Abs(d)
	}
	if root {
		return "/var/lib/bulwark", nil
	}
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" || !filepath.IsAbs(base) { // the XDG spec ignores a relative value
		home, err := os.UserHomeDir()
		if err != nil || home == "" || home == "/" {
			return "", errors.New("no state directory: set BULWARK_HOME (or HOME), or give store.path")
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "bulwark"), nil
}

// cacheDir is where the advisory database lives: data that can be
// fetched again. With $BULWARK_HOME set it is that folder, so one
// variable moves everything; else $XDG_CACHE_HOME/bulwark (default
// ~/.cache/bulwark), or /var/cache/bulwark as root (systemd's
// CacheDirectory=bulwark).
func cacheDir() (string, error) {
	if d := os.Getenv("BULWARK_HOME"); d != "" {
		return filepath.Abs(d)
	}
	if base := os.Getenv("XDG_CACHE_HOME"); base != "" && filepath.IsAbs(base) {
		return filepath.Join(base, "bulwark"), nil
	}
	if os.Geteuid() == 0 {
		return "/var/cache/bulwark", nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == "/" {
		return "", errors.New("no cache directory: set BULWARK_HOME or XDG_CACHE_HOME, or give the database's path")
	}
	return filepath.Join(home, ".cache", "bulwark"), nil
}

// defaultAdvisoryDB is the advisory database's path when neither --db,
// $BULWARK_OSV_DB nor audit.db names one: bulwark-osv.db in the cache
// directory, or in the current folder when there is none.
func defaultAdvisoryDB() string {
	if d := os.Getenv("BULWARK_OSV_DB"); d != "" {
		return d
	}
	dir, err := cacheDir()
	if err != nil {
		return defaultOSVDB
	}
	return filepath.Join(dir, defaultOSVDB)
}

// makeStateDir creates dir (and its parents) private to the user, for a
// command about to write its state there.
func makeStateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the state directory %s: %w (set BULWARK_HOME to another folder, or give store.path)", dir, err)
	}
	return nil
}

// absPath is path made absolute for messages ("no store at
// /home/ann/.local/state/bulwark/bulwark.db"), or path itself when the
// working directory is unknown.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// exists reports whether path names something; read-only commands ask
// before opening a store, which would create it.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

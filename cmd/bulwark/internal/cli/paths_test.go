package cli

import (
	"path/filepath"
	"testing"
)

// TestStateDir follows the order the docs give: $BULWARK_HOME, then
// /var/lib/bulwark as root, then $XDG_STATE_HOME/bulwark, then
// ~/.local/state/bulwark; a relative XDG value is ignored, as the spec says.
func TestStateDir(t *testing.T) {
	for _, tc := range []struct {
		name, home, xdg, userHome string
		root                      bool
		want                      string
	}{
		{name: "BULWARK_HOME wins", home: "/srv/bw", xdg: "/x", root: true, want: "/srv/bw"},
		{name: "root", xdg: "/x", userHome: "/root", root: true, want: "/var/lib/bulwark"},
		{name: "XDG_STATE_HOME", xdg: "/x/state", userHome: "/home/ann", want: "/x/state/bulwark"},
		{name: "no XDG", userHome: "/home/ann", want: "/home/ann/.local/state/bulwark"},
		{name: "relative XDG ignored", xdg: "rel", userHome: "/home/ann", want: "/home/ann/.local/state/bulwark"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("BULWARK_HOME", tc.home)
			t.Setenv("XDG_STATE_HOME", tc.xdg)
			t.Setenv("HOME", tc.userHome)
			got, err := stateDirFor(tc.root)
			if err != nil || got != tc.want {
				t.Errorf("stateDir() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	t.Setenv("BULWARK_HOME", "")
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "")
	if got, err := stateDirFor(false); err == nil {
		t.Errorf("stateDir() with no home = %q, want an error", got)
	}
}

// TestAdvisoryDBInCache: the advisory database goes to the cache
// directory, not next to the store nor the current folder.
func TestAdvisoryDBInCache(t *testing.T) {
	t.Setenv("BULWARK_OSV_DB", "")
	t.Setenv("BULWARK_HOME", "")
	t.Setenv("XDG_CACHE_HOME", "/c")
	if got, want := defaultAdvisoryDB(), filepath.Join("/c", "bulwark", "bulwark-osv.db"); got != want {
		t.Errorf("defaultAdvisoryDB() = %q, want %q", got, want)
	}
	t.Setenv("BULWARK_HOME", "/srv/bw")
	if got, want := defaultAdvisoryDB(), "/srv/bw/bulwark-osv.db"; got != want {
		t.Errorf("with BULWARK_HOME, defaultAdvisoryDB() = %q, want %q", got, want)
	}
}

package cli

import (
	"os"
	"testing"
)

// TestMain keeps the state of every command these tests run in a folder
// of their own, never the machine's (/var/lib/bulwark as root, or
// ~/.local/state/bulwark).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bulwark-home")
	if err != nil {
		panic(err)
	}
	os.Setenv("BULWARK_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

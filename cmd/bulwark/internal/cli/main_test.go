package cli

import (
	"os"
	"testing"
	"time"
)

// TestMain keeps the state of every command these tests run in a folder
// of their own, never the machine's (/var/lib/bulwark as root, or
// ~/.local/state/bulwark), and shows times in UTC, as the golden files
// hold them: set once here, before any test starts a goroutine that reads
// the clock (a test setting time.Local raced with a gateway another test
// was still closing).
func TestMain(m *testing.M) {
	time.Local = time.UTC
	dir, err := os.MkdirTemp("", "bulwark-home")
	if err != nil {
		panic(err)
	}
	os.Setenv("BULWARK_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

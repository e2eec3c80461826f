//go:build unix

package ship

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockSpool takes an exclusive lock on dir for this process: two shippers
// appending to one spool would interleave records and acknowledge each
// other's, so a second one is refused with the reason. The lock goes with
// the returned file (and with the process).
func lockSpool(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("locking spool: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("spool %s is in use by another process: give each gateway its own ship.dir", dir)
		}
		return nil, fmt.Errorf("locking spool %s: %w", dir, err)
	}
	return f, nil
}

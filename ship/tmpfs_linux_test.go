package ship

import (
	"testing"

	"golang.org/x/sys/unix"
)

// mountTmpfs mounts a tmpfs of size bytes on dir, unmounted at the end of
// the test, and reports whether it could (it takes root, or CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, dir string, size string) bool {
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Logf("mounting a tmpfs: %v", err)
		return false
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, 0); err != nil {
			t.Errorf("unmounting the tmpfs: %v", err)
		}
	})
	return true
}

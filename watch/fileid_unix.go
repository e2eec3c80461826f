//go:build unix

package watch

import (
	"io/fs"
	"syscall"
)

// fileID is the device and inode of a followed file: a new one under the
// same name means the log was rotated.
func fileID(fi fs.FileInfo) Position {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return Position{Dev: uint64(st.Dev), Inode: st.Ino}
	}
	return Position{}
}

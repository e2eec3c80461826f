package ship

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// Modes of what ship keeps on disk: undelivered events hold client
// addresses, user names and request paths, so only the gateway's user may
// read them.
const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
)

// privateDir creates dir (and its parents) 0700, and narrows an existing
// dir open to group or others to 0700, saying so. A sticky directory (such
// as /tmp) is shared by design: it is left alone, with a warning.
func privateDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	perm := st.Mode().Perm()
	if perm&0o077 == 0 {
		return nil
	}
	if st.Mode()&fs.ModeSticky != 0 {
		logMode(log, slog.LevelWarn, "spool directory is shared (sticky); not changing its mode: give ship.dir a directory of its own", dir, perm)
		return nil
	}
	if err := os.Chmod(dir, dirMode); err != nil {
		return fmt.Errorf("narrowing the mode of %s to %v: %w", dir, dirMode, err)
	}
	logMode(log, slog.LevelWarn, "spool directory was open to other users; narrowed its mode", dir, perm, slog.String("mode", dirMode.String()))
	return nil
}

// privateFile narrows the mode of a spool file open to group or others to
// 0600, saying so.
func privateFile(path string, log *slog.Logger) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	perm := st.Mode().Perm()
	if !st.Mode().IsRegular() || perm&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, fileMode); err != nil {
		return fmt.Errorf("narrowing the mode of %s to %v: %w", path, fileMode, err)
	}
	logMode(log, slog.LevelWarn, "spool file was open to other users; narrowed its mode", path, perm, slog.String("mode", fileMode.String()))
	return nil
}

func logMode(log *slog.Logger, level slog.Level, msg, path string, was fs.FileMode, attrs ...slog.Attr) {
	if log != nil {
		log.LogAttrs(context.Background(), level, msg, append([]slog.Attr{slog.String("path", path), slog.String("was", was.String())}, attrs...)...)
	}
}

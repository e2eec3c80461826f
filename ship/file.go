package ship

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// rotatedLayout is the time in a rotated file's name (no colons, so the
// names work on every file system).
const rotatedLayout = "2006-01-02T15-04-05"

// File appends events as JSON lines to a file (mode 0600), fsyncing each
// batch. It rotates by renaming, never by copy and truncate: the file is
// renamed to name.<UTC time>.ext once it would pass MaxSize or is older
// than MaxAge, and the newest Keep rotated files are kept.
type File struct {
	path, stem, ext string
	maxSize         int64
	maxAge          time.Duration
	keep            int
	clock           func() time.Time

	f      *os.File
	size   int64
	opened time.Time
	buf    []byte
}

// NewFile returns a file sink for a valid cfg of type file. A nil clock
// means time.Now. The file is opened at the first Send.
func NewFile(cfg SinkConfig, clock func() time.Time) (*File, error) {
	cfg = cfg.withDefaults()
	if clock == nil {
		clock = time.Now
	}
	ext := filepath.Ext(cfg.Path)
	return &File{
		path: cfg.Path, stem: strings.TrimSuffix(cfg.Path, ext), ext: ext,
		maxSize: int64(cfg.MaxSize), maxAge: cfg.MaxAge, keep: cfg.Keep, clock: clock,
	}, nil
}

// Send appends the batch and fsyncs it.
func (f *File) Send(_ context.Context, batch []Record) error {
	f.buf = appendLines(f.buf[:0], batch)
	if f.f == nil {
		if err := f.open(); err != nil {
			return err
		}
	}
	if f.size > 0 && (f.size+int64(len(f.buf)) > f.maxSize || f.clock().Sub(f.opened) >= f.maxAge) {
		if err := f.rotate(); err != nil {
			return err
		}
	}
	at := f.size
	n, err := f.f.Write(f.buf)
	f.size += int64(n)
	if err == nil {
		err = f.f.Sync()
	}
	if err != nil {
		// Cut off what part of the batch got in (a full disk takes some
		// of it), so the batch written again follows whole lines.
		if terr := f.f.Truncate(at); terr != nil {
			err = errors.Join(err, terr)
		}
		f.f.Close()
		f.f = nil // reopened, and the batch written again, at the next Send
		return fmt.Errorf("writing events to %s: %w", f.path, err)
	}
	return nil
}

func (f *File) open() error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("creating directory for %s: %w", f.path, err)
	}
	file, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening events file: %w", err)
	}
	st, err := file.Stat()
	if err != nil {
		file.Close()
		return fmt.Errorf("opening events file: %w", err)
	}
	f.f, f.size, f.opened = file, st.Size(), f.clock()
	if f.size > 0 && f.clock().Sub(st.ModTime()) >= f.maxAge {
		f.opened = st.ModTime()
	}
	return nil
}

// rotate renames the current file aside, opens a new one and removes
// rotated files beyond keep.
func (f *File) rotate() error {
	f.f.Close()
	f.f = nil
	base := f.stem + "." + f.clock().UTC().Format(rotatedLayout)
	name := base + f.ext
	for i := 1; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = base + "-" + strconv.Itoa(i) + f.ext
	}
	if err := os.Rename(f.path, name); err != nil {
		return fmt.Errorf("rotating events file: %w", err)
	}
	if err := f.open(); err != nil {
		return err
	}
	syncDir(filepath.Dir(f.path))
	return f.prune()
}

// prune removes the oldest rotated files beyond keep.
func (f *File) prune() error {
	dir := filepath.Dir(f.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("listing rotated events files: %w", err)
	}
	prefix, ext := filepath.Base(f.stem)+".", f.ext
	type rotatedFile struct{ name, key string }
	var rotated []rotatedFile
	for _, e := range entries {
		if key, ok := rotatedKey(e.Name(), prefix, ext); ok {
			rotated = append(rotated, rotatedFile{e.Name(), key})
		}
	}
	slices.SortFunc(rotated, func(a, b rotatedFile) int { return strings.Compare(a.key, b.key) })
	for len(rotated) > f.keep {
		if err := os.Remove(filepath.Join(dir, rotated[0].name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing old events file: %w", err)
		}
		rotated = rotated[1:]
	}
	return nil
}

// rotatedKey recognises a rotated file, prefix + time [+ "-N"] + ext, and
// returns a key that sorts oldest first.
func rotatedKey(name, prefix, ext string) (string, bool) {
	mid, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return "", false
	}
	if mid, ok = strings.CutSuffix(mid, ext); !ok || len(mid) < len(rotatedLayout) {
		return "", false
	}
	ts, rest := mid[:len(rotatedLayout)], mid[len(rotatedLayout):]
	if _, err := time.Parse(rotatedLayout, ts); err != nil {
		return "", false
	}
	n := 0
	if rest != "" {
		var err error
		if n, err = strconv.Atoi(strings.TrimPrefix(rest, "-")); err != nil || rest[0] != '-' {
			return "", false
		}
	}
	return fmt.Sprintf("%s~%06d", ts, n), true
}

// Close closes the file.
func (f *File) Close() error {
	if f.f == nil {
		return nil
	}
	err := f.f.Close()
	f.f = nil
	return err
}

package supervise

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync"
)

// A rotatingFile is a log file rotated by renaming when a line would take
// it past maxSize: path.N-1 → path.N, …, path → path.1, and the file beyond
// maxFiles is removed. Lines are never split across files. A rotatingFile
// is safe for concurrent use.
type rotatingFile struct {
	path     string
	maxSize  int64
	maxFiles int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// openRotating opens path for appending, creating it with mode 0600.
func openRotating(path string, maxSize int64, maxFiles int) (*rotatingFile, error) {
	r := &rotatingFile{path: path, maxSize: maxSize, maxFiles: maxFiles}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rotatingFile) open() error {
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening app log: %w (check that its directory exists and is writable)", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("opening app log: %w", err)
	}
	r.f, r.size = f, fi.Size()
	return nil
}

// WriteLine writes one whole line, rotating first if it would not fit.
func (r *rotatingFile) WriteLine(line []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size > 0 && r.size+int64(len(line)) > r.maxSize {
		if err := r.rotate(); err != nil {
			// Keep writing to the file we have rather than lose lines.
			if r.f == nil {
				return err
			}
			defer func() { r.size = 0 }() // try rotating again after maxSize more
			_, werr := r.f.Write(line)
			return errors.Join(err, werr)
		}
	}
	if r.f == nil {
		if err := r.open(); err != nil {
			return err
		}
	}
	n, err := r.f.Write(line)
	r.size += int64(n)
	return err
}

// rotate shifts the files by one name and opens a fresh one.
func (r *rotatingFile) rotate() error {
	name := func(i int) string { return r.path + "." + strconv.Itoa(i) }
	if err := os.Remove(name(r.maxFiles)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rotating app log: %w", err)
	}
	for i := r.maxFiles - 1; i >= 1; i-- {
		if err := os.Rename(name(i), name(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotating app log: %w", err)
		}
	}
	if err := os.Rename(r.path, name(1)); err != nil {
		return fmt.Errorf("rotating app log: %w", err)
	}
	old := r.f
	r.f = nil
	old.Close()
	return r.open()
}

// Close closes the file.
func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

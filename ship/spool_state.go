package ship

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// loadState reads the acknowledged position; a missing file is the start.
func (s *spool) loadState() (position, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return position{}, nil
	}
	if err != nil {
		return position{}, err
	}
	var p position
	if err := json.Unmarshal(b, &p); err != nil {
		return position{}, fmt.Errorf("parsing %s: %w", stateFile, err)
	}
	if p.Off < 0 {
		return position{}, fmt.Errorf("parsing %s: negative offset", stateFile)
	}
	return p, nil
}

// saveState replaces the state file whole: write a temporary file, fsync
// it, rename it over the old one and fsync the directory, so a crash
// leaves either the old position or the new one.
func (s *spool) saveState(p position) error {
	b, _ := json.Marshal(p)
	tmp := filepath.Join(s.dir, stateFile+".tmp")
	f, err := s.opts.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
	if err != nil {
		return fmt.Errorf("writing spool state: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(s.dir, stateFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing spool state: %w", err)
	}
	return syncDir(s.dir)
}

// syncDir makes a directory's entries (new, renamed or removed files)
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

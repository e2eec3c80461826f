package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The lines between which -out puts the report; the rest of the file,
// the prose around the table, is left as it is.
const (
	beginMarker = "<!-- eval:begin: written by bench/cmd/eval; edits here are lost -->"
	endMarker   = "<!-- eval:end -->"
)

// writeInto puts rep between the markers of the markdown file path, or
// creates the file with the markers around rep. A file that exists
// without both markers is left alone: it would lose what is written in it.
func writeInto(path, rep string) error {
	block := beginMarker + "\n" + rep + endMarker + "\n"
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
		return writeFile(path, []byte(block))
	case err != nil:
		return fmt.Errorf("writing the report: %w", err)
	}
	i := bytes.Index(old, []byte(beginMarker))
	j := bytes.Index(old, []byte(endMarker))
	if i < 0 || j < i {
		return fmt.Errorf("writing the report: %s has no %q line followed by a %q line; add them where the table goes, or give another -out",
			path, beginMarker, endMarker)
	}
	rest := old[j+len(endMarker):]
	rest = bytes.TrimPrefix(rest, []byte("\n"))
	var b bytes.Buffer
	b.Write(old[:i])
	b.WriteString(block)
	b.Write(rest)
	return writeFile(path, b.Bytes())
}

// writeFile replaces path with data through a temporary file, so that an
// interrupted write leaves the old file whole.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".eval-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

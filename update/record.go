package update

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// recordStamp names a run's record: UTC, sortable as text.
const recordStamp = "2006-01-02T150405.000Z"

// maxRecord bounds the size of a record read back.
const maxRecord = 16 << 20

// Record writes the report as JSON to .bulwark/update-STAMP.json in the
// project (STAMP is r.Date in UTC, so each run has its own file), replacing
// the file whole, and returns its path. Call it after [Apply] to keep what
// Apply did too. [LatestRecord] reads it back.
func (r *Report) Record() (string, error) {
	path := filepath.Join(r.Dir, ".bulwark", "update-"+r.Date.UTC().Format(recordStamp)+".json")
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		return "", fmt.Errorf("recording the run: %w", err)
	}
	if _, err := stateDir(r.Dir); err != nil {
		return "", fmt.Errorf("recording the run: %w", err)
	}
	tmp := path + ".tmp"
	os.Remove(tmp) // a leftover would keep its own mode
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return "", fmt.Errorf("recording the run: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("recording the run: %w", err)
	}
	return path, nil
}

// stateDir creates the project's .bulwark directory if needed and returns
// its path. The directory ignores itself (a .gitignore holding "*"), so
// the records and PR descriptions written there leave git status clean
// without touching the project's own .gitignore.
func stateDir(project string) (string, error) {
	dir := filepath.Join(project, ".bulwark")
	// The records are Bulwark's state: private, like everything it keeps.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Lstat(ignore); err == nil {
		return dir, nil
	}
	if err := os.WriteFile(ignore, []byte("# Written by bulwark update: its records stay out of git.\n*\n"), 0o644); err != nil {
		return "", err
	}
	return dir, nil
}

// LatestRecord reads the newest run record (see [Report.Record]) of the
// project in dir and returns it with its path. With none, the error wraps
// [fs.ErrNotExist].
func LatestRecord(dir string) (*Report, string, error) {
	ents, err := os.ReadDir(filepath.Join(dir, ".bulwark"))
	if err != nil && !os.IsNotExist(err) {
		return nil, "", fmt.Errorf("reading the update runs of %s: %w", dir, err)
	}
	var names []string
	for _, e := range ents {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, "update-") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, "", fmt.Errorf("no bulwark update run recorded in %s: %w", dir, fs.ErrNotExist)
	}
	path := filepath.Join(dir, ".bulwark", slices.Max(names))
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("reading the update run: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxRecord {
		return nil, "", fmt.Errorf("reading %s: larger than %d bytes", path, maxRecord)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, "", fmt.Errorf("reading %s: %w", path, err)
	}
	return &r, path, nil
}

package osv

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ImportStats counts what an import did with the advisories it read.
type ImportStats struct {
	Added     int // new ids
	Updated   int // ids already present, replaced by a changed record
	Unchanged int // identical records already present
	Older     int // records older (by modified) than the stored one, ignored
}

// Total is the number of advisories read.
func (s ImportStats) Total() int { return s.Added + s.Updated + s.Unchanged + s.Older }

// Import imports the advisories at path, in one transaction: either all
// of them are imported, or, when any file is unreadable or not an OSV
// advisory, nothing changes and the error names the file.
//
// path is a zip file as osv.dev publishes per ecosystem
// ({ecosystem}/all.zip: one JSON file per advisory), or a directory,
// read recursively for *.json and *.json.gz files, which covers a
// checkout of OSV JSON files and the Go vulnerability database layout
// (ID/GO-….json[.gz], whose index/ files are skipped). Re-importing is
// idempotent: a record replaces the stored one only when it differs and
// is not older by its modified time.
func (db *DB) Import(ctx context.Context, path string) (ImportStats, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return ImportStats{}, fmt.Errorf("importing advisories: %w", err)
	}
	var stats ImportStats
	err = db.inTx(ctx, func(w *writer) error {
		var err error
		if fi.IsDir() {
			err = w.dir(ctx, path)
		} else {
			err = w.zipFile(ctx, path)
		}
		stats = w.stats
		return err
	})
	return stats, err
}

// inTx runs f with a writer inside one transaction, committed only when
// f succeeds.
func (db *DB) inTx(ctx context.Context, f func(*writer) error) error {
	tx, err := db.store.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("importing advisories: %w", err)
	}
	defer tx.Rollback()
	w, err := newWriter(ctx, tx)
	if err != nil {
		return fmt.Errorf("importing advisories: %w", err)
	}
	defer w.close()
	if err := f(w); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("importing advisories: %w", err)
	}
	return nil
}

// A writer upserts advisories inside one transaction.
type writer struct {
	tx                 *sql.Tx
	sel, put, del, aff *sql.Stmt
	stats              ImportStats
	z                  compressor
}

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{tx: tx}
	for _, s := range []struct {
		stmt **sql.Stmt
		q    string
	}{
		{&w.sel, `SELECT modified, hash FROM osv_entries WHERE id = ?`},
		{&w.put, `INSERT INTO osv_entries(id, modified, withdrawn, aliases, summary, hash, raw) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn,
			aliases = excluded.aliases, summary = excluded.summary, hash = excluded.hash, raw = excluded.raw`},
		{&w.del, `DELETE FROM osv_affected WHERE id = ?`},
		{&w.aff, `INSERT OR IGNORE INTO osv_affected(ecosystem, name, id) VALUES (?, ?, ?)`},
	} {
		st, err := tx.PrepareContext(ctx, s.q)
		if err != nil {
			w.close()
			return nil, err
		}
		*s.stmt = st
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.sel, w.put, w.del, w.aff} {
		if st != nil {
			st.Close()
		}
	}
}

// timeFormat stores times so that string order is time order.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// add stores one advisory read from the file named name.
func (w *writer) add(ctx context.Context, name string, data []byte) error {
	e, err := Parse(data)
	if err != nil {
		return fmt.Errorf("importing %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	modified := e.Modified.UTC().Format(timeFormat)
	var oldMod string
	var oldHash []byte
	switch err := w.sel.QueryRowContext(ctx, e.ID).Scan(&oldMod, &oldHash); {
	case errors.Is(err, sql.ErrNoRows):
		w.stats.Added++
	case err != nil:
		return fmt.Errorf("importing %s: %w", name, err)
	case oldMod > modified:
		w.stats.Older++
		return nil
	case bytes.Equal(oldHash, sum[:]):
		w.stats.Unchanged++
		return nil
	default:
		w.stats.Updated++
		if _, err := w.del.ExecContext(ctx, e.ID); err != nil {
			return fmt.Errorf("importing %s: %w", name, err)
		}
	}
	raw, err := w.z.compress(data)
	if err != nil {
		return fmt.Errorf("importing %s: %w", name, err)
	}
	withdrawn := ""
	if e.IsWithdrawn() {
		withdrawn = e.Withdrawn.UTC().Format(timeFormat)
	}
	if _, err := w.put.ExecContext(ctx, e.ID, modified, withdrawn, strings.Join(e.Aliases, " "), e.Summary, sum[:], raw); err != nil {
		return fmt.Errorf("importing %s: %w", name, err)
	}
	for _, a := range e.Affected {
		if a.Package.Name == "" {
			continue
		}
		if _, err := w.aff.ExecContext(ctx, a.Package.Ecosystem, NormalizeName(a.Package.Ecosystem, a.Package.Name), e.ID); err != nil {
			return fmt.Errorf("importing %s: %w", name, err)
		}
	}
	return nil
}

// isAdvisoryFile reports whether rel, a slash-separated path relative to
// the imported root, names an advisory: *.json or *.json.gz, not hidden,
// and not one of the Go vulnerability database's index files.
func isAdvisoryFile(rel string) bool {
	base := path.Base(rel)
	if strings.HasPrefix(base, ".") || !(strings.HasSuffix(base, ".json") || strings.HasSuffix(base, ".json.gz")) {
		return false
	}
	dir := path.Dir(rel)
	return dir != "index" && !strings.HasSuffix(dir, "/index")
}

// readAdvisory reads at most MaxEntrySize bytes of r, gunzipping when gz.
func readAdvisory(r io.Reader, gz bool) ([]byte, error) {
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxEntrySize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxEntrySize {
		return nil, fmt.Errorf("more than %d bytes", MaxEntrySize)
	}
	return data, nil
}

// dir imports every advisory file under root.
func (w *writer) dir(ctx context.Context, root string) error {
	n := 0
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("importing %s: %w", p, err)
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || !isAdvisoryFile(filepath.ToSlash(rel)) {
			return err
		}
		if n++; n%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("importing %s: %w", p, err)
		}
		data, err := readAdvisory(f, strings.HasSuffix(p, ".gz"))
		f.Close()
		if err != nil {
			return fmt.Errorf("importing %s: %w", p, err)
		}
		return w.add(ctx, p, data)
	})
}

// MaxZipEntries bounds the files of one zip (osv.dev's largest
// ecosystem zips hold a few hundred thousand advisories).
const MaxZipEntries = 5_000_000

// zipFile imports every advisory file in the zip at name.
func (w *writer) zipFile(ctx context.Context, name string) error {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return fmt.Errorf("importing %s: not a zip of OSV advisories: %w", name, err)
	}
	defer zr.Close()
	if len(zr.File) > MaxZipEntries {
		return fmt.Errorf("importing %s: %d files, more than the %d allowed", name, len(zr.File), MaxZipEntries)
	}
	for i, f := range zr.File {
		if i%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if f.FileInfo().IsDir() || !isAdvisoryFile(f.Name) {
			continue
		}
		where := name + ":" + f.Name
		if f.UncompressedSize64 > MaxEntrySize {
			return fmt.Errorf("importing %s: %d bytes, more than the %d allowed", where, f.UncompressedSize64, MaxEntrySize)
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("importing %s: %w", where, err)
		}
		data, err := readAdvisory(rc, strings.HasSuffix(f.Name, ".gz"))
		rc.Close()
		if err != nil {
			return fmt.Errorf("importing %s: %w", where, err)
		}
		if err := w.add(ctx, where, data); err != nil {
			return err
		}
	}
	return nil
}

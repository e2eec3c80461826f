package release

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"time"
)

// An entry is one file of an archive.
type entry struct {
	name string // path inside the archive, slash-separated
	src  string // file to copy
	mode int64  // 0755 or 0644
}

// writeTarGz writes entries to a gzip-compressed tar at dst, reproducibly:
// entries in the given order, owned by 0:0 with no user or group names,
// every time mtime, no time or name in the gzip header.
func writeTarGz(dst string, entries []entry, mtime time.Time) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer closeInto(f, &err)
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	dirs := map[string]bool{}
	for _, e := range entries {
		if d := path.Dir(e.name); d != "." && !dirs[d] {
			dirs[d] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: mtime, Format: tar.FormatUSTAR}); err != nil {
				return err
			}
		}
		src, err := os.Open(e.src)
		if err != nil {
			return err
		}
		st, err := src.Stat()
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Mode: e.mode, Size: st.Size(), ModTime: mtime, Format: tar.FormatUSTAR})
		}
		if err == nil {
			_, err = io.Copy(tw, src)
		}
		src.Close()
		if err != nil {
			return fmt.Errorf("archiving %s: %w", e.src, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// writeZip writes entries to a zip at dst, reproducibly: entries in the
// given order, every time mtime.
func writeZip(dst string, entries []entry, mtime time.Time) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer closeInto(f, &err)
	zw := zip.NewWriter(f)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(os.FileMode(e.mode))
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		src, err := os.Open(e.src)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, src)
		src.Close()
		if err != nil {
			return fmt.Errorf("archiving %s: %w", e.src, err)
		}
	}
	return zw.Close()
}

// closeInto closes c, keeping the first error in *err.
func closeInto(c io.Closer, err *error) {
	if cerr := c.Close(); *err == nil {
		*err = cerr
	}
}

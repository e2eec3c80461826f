package accounts

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
)

// breachMagic opens a breach file: after it come sorted, distinct 20-byte
// SHA-1 sums.
const breachMagic = "BULWARK-BREACH-SHA1-v1\n"

// A BreachFile is the offline list of breached passwords written by
// [ImportBreaches], searched by binary search on disk. It is safe for
// concurrent use.
type BreachFile struct {
	f *os.File
	n int64 // records
}

// OpenBreachFile opens a file written by [ImportBreaches].
func OpenBreachFile(path string) (*BreachFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening breach list: %w (build one with bulwark breach import)", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening breach list: %w", err)
	}
	magic := make([]byte, len(breachMagic))
	if _, err := f.ReadAt(magic, 0); err != nil || string(magic) != breachMagic || (st.Size()-int64(len(magic)))%20 != 0 {
		f.Close()
		return nil, fmt.Errorf("%s is not a breach list written by bulwark breach import", path)
	}
	return &BreachFile{f: f, n: (st.Size() - int64(len(magic))) / 20}, nil
}

// Count returns 1 if sum is in the list, else 0.
func (b *BreachFile) Count(_ context.Context, sum [20]byte) (int, error) {
	lo, hi := int64(0), b.n
	var rec [20]byte
	for lo < hi {
		mid := lo + (hi-lo)/2
		if _, err := b.f.ReadAt(rec[:], int64(len(breachMagic))+mid*20); err != nil {
			return 0, fmt.Errorf("reading breach list: %w", err)
		}
		switch c := bytes.Compare(rec[:], sum[:]); {
		case c == 0:
			return 1, nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, nil
}

// Close closes the file.
func (b *BreachFile) Close() error { return b.f.Close() }

// ImportBreaches reads SHA-1 sums, one per line as 40 hex characters
// optionally followed by ":COUNT" (the format of Have I Been Pwned's
// downloads, which come sorted), and writes a breach file to w. Lines must
// be in ascending order; duplicates are dropped. It returns the number of
// sums written.
func ImportBreaches(ctx context.Context, r io.Reader, w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(breachMagic); err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(r)
	var prev [20]byte
	var n, line int64
	for sc.Scan() {
		line++
		if line%65536 == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		h, _, _ := strings.Cut(s, ":")
		var sum [20]byte
		if len(h) != 40 {
			return n, fmt.Errorf("line %d: want 40 hex characters of a SHA-1, got %q", line, event.Truncate(h, 50))
		}
		if _, err := hex.Decode(sum[:], []byte(h)); err != nil {
			return n, fmt.Errorf("line %d: want 40 hex characters of a SHA-1, got %q", line, h)
		}
		switch c := bytes.Compare(sum[:], prev[:]); {
		case c == 0 && n > 0:
			continue
		case c < 0:
			return n, fmt.Errorf("line %d: not in ascending order: sort the file first (LC_ALL=C sort -u)", line)
		}
		prev = sum
		if _, err := bw.Write(sum[:]); err != nil {
			return n, err
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("reading hashes: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, err
	}
	if n == 0 {
		return 0, errors.New("no SHA-1 hashes found: give lines of 40 hex characters")
	}
	return n, nil
}

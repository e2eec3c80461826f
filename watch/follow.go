package watch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// A Position is how far a log file has been read: the file's identity and
// the offset just past the last complete line handed out.
type Position struct {
	Dev    uint64 `json:"dev"`
	Inode  uint64 `json:"inode"`
	Offset int64  `json:"offset"`
}

// maxLine bounds one line; the rest of a longer line is dropped, so a
// hostile writer cannot make the follower hold unbounded memory.
const maxLine = 16 << 10

// A Follower reads the lines appended to a log file and keeps reading
// across rotations:
//
//   - rename (logrotate's default, and syslog daemons): the old file is read
//     to its end before the new one at the path is opened;
//   - copy and truncate (copytruncate): the truncation is noticed because the
//     file shrank below the position; the lines written between the last
//     read and the copy are read from the copy (the path with ".1", or
//     CopyPath) from the old position, then the truncated file from 0.
//
// Only complete lines are handed out; a partial last line waits for its
// newline. A Follower is used from one goroutine.
type Follower struct {
	Path string
	// CopyPath is where copytruncate leaves the copy. If empty, Path+".1".
	CopyPath string
	// Poll is how often the file is checked for growth. If zero, 250ms.
	Poll time.Duration

	f       *os.File
	pos     Position // past the last line emitted
	pending int64    // bytes read past pos: a partial line
	partial []byte   // its first maxLine bytes
	buf     []byte
}

// NewFollower starts at pos when it still names the file at path (same
// device and inode, offset within its size), else at the file's end — a
// first start does not replay old history — unless fromStart is set.
func NewFollower(path string, pos Position, fromStart bool) (*Follower, error) {
	fl := &Follower{Path: path, buf: make([]byte, 64<<10)}
	f, id, size, err := openLog(path)
	if err != nil {
		return nil, err
	}
	fl.f = f
	fl.pos = Position{Dev: id.Dev, Inode: id.Inode}
	switch {
	case pos.Dev == id.Dev && pos.Inode == id.Inode && pos.Offset <= size:
		fl.pos.Offset = pos.Offset
	case fromStart:
		fl.pos.Offset = 0
	default:
		fl.pos.Offset = size
	}
	if _, err := f.Seek(fl.pos.Offset, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("following %s: %w", path, err)
	}
	return fl, nil
}

// Position reports how far the lines handed out so far reach.
func (fl *Follower) Position() Position { return fl.pos }

// Close closes the file.
func (fl *Follower) Close() error { return fl.f.Close() }

// Run hands every new line to emit, with the position just past it, until
// ctx is done. Emit is called from Run's goroutine.
func (fl *Follower) Run(ctx context.Context, emit func(line []byte, pos Position)) error {
	poll := fl.Poll
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := fl.step(emit); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// step reads what is new, then checks for rotation.
func (fl *Follower) step(emit func([]byte, Position)) error {
	if err := fl.drain(fl.f, emit); err != nil {
		return err
	}
	cur, err := os.Stat(fl.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // between rename and create: keep the old file
	}
	if err != nil {
		return fmt.Errorf("following %s: %w", fl.Path, err)
	}
	id := fileID(cur)
	switch {
	case id.Dev != fl.pos.Dev || id.Inode != fl.pos.Inode:
		// Renamed away: the old file was read to its end above, and one
		// more time now, for lines written between that read and the stat.
		if err := fl.drain(fl.f, emit); err != nil {
			return err
		}
		return fl.reopen(0)
	case cur.Size() < fl.pos.Offset:
		fl.readCopy(emit)
		return fl.reopen(0)
	}
	return nil
}

// readCopy reads, from the copy copytruncate made, what was written after
// the position and before the truncation.
func (fl *Follower) readCopy(emit func([]byte, Position)) {
	name := fl.CopyPath
	if name == "" {
		name = fl.Path + ".1"
	}
	c, err := os.Open(name)
	if err != nil {
		return
	}
	defer c.Close()
	if st, err := c.Stat(); err != nil || st.Size() < fl.pos.Offset {
		return // not the copy of what was read
	}
	if _, err := c.Seek(fl.pos.Offset, io.SeekStart); err != nil {
		return
	}
	fl.forget()
	fl.drain(c, emit)
}

func (fl *Follower) reopen(offset int64) error {
	f, id, _, err := openLog(fl.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	fl.f.Close()
	fl.f = f
	fl.forget()
	fl.pos = Position{Dev: id.Dev, Inode: id.Inode, Offset: offset}
	return nil
}

// drain reads r to its current end, emitting complete lines. The position
// advances past each line emitted, never into a partial one: the bytes of a
// partial line are pending until its newline comes.
func (fl *Follower) drain(r io.Reader, emit func([]byte, Position)) error {
	for {
		n, err := r.Read(fl.buf)
		data := fl.buf[:n]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				fl.keep(data)
				fl.pending += int64(len(data))
				break
			}
			line := data[:i]
			if len(fl.partial) > 0 {
				fl.keep(line)
				line = fl.partial
			}
			fl.pos.Offset += fl.pending + int64(i) + 1
			fl.pending = 0
			emit(bytes.TrimSuffix(line[:min(len(line), maxLine)], []byte{'\r'}), fl.pos)
			fl.partial = fl.partial[:0]
			data = data[i+1:]
		}
		if err == io.EOF || n == 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", fl.Path, err)
		}
	}
}

// keep holds the start of a partial line, up to maxLine bytes.
func (fl *Follower) keep(b []byte) {
	if room := maxLine - len(fl.partial); room > 0 {
		fl.partial = append(fl.partial, b[:min(room, len(b))]...)
	}
}

// forget drops a partial line, to read it again from elsewhere.
func (fl *Follower) forget() {
	fl.partial = fl.partial[:0]
	fl.pending = 0
}

func openLog(path string) (*os.File, Position, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Position{}, 0, fmt.Errorf("following %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Position{}, 0, fmt.Errorf("following %s: %w", path, err)
	}
	return f, fileID(st), st.Size(), nil
}

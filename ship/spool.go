package ship

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A spool is one sink's durable queue: append-only segment files of
// records (see record.go) in its own directory, and a state file holding
// the acknowledged position. Append is cheap (a copy under a mutex); an
// owned flusher goroutine writes and fsyncs the appended records as a group
// every interval (or at once with FsyncAlways), and only then are they
// visible to the reader. A spool is safe for concurrent use; next and ack
// belong to the one delivery goroutine.
type spool struct {
	dir  string
	opts spoolOptions
	lock *os.File // held while open: one process per spool

	mu          sync.Mutex
	segs        []*segment // oldest first; the last one takes appends
	total       int64      // bytes in segs, including pending ones
	pending     []chunk    // appended, not yet written
	pendingRecs int        // records appended since the last flush began
	held        int        // records appended, not yet written (pending or in a flush)
	heldBytes   int64
	fault       *writeFault // set while writes fail
	heldDropped uint64      // events dropped at the held bound, or held at a failed close
	writeFails  uint64      // failed flushes
	free        [][]byte    // written chunk buffers, for reuse
	toDelete    []uint64    // segment files the flusher removes
	acked       position    // everything before it is delivered
	ackRecs     int         // records before ack.off in ack.seg
	ackDirty    bool
	read        position // where next reads from
	notify      chan struct{}
	closed      bool

	flushMu sync.Mutex // serializes flush; guards w
	w       spoolFile
	wSeg    uint64
	wOff    int64 // size of w

	kick chan struct{}
	stop chan struct{}
	done chan struct{}

	readFile *os.File // owned by the delivery goroutine
	readSeg  uint64
	readBuf  []byte
	readBR   *bufio.Reader
	slab     []byte
}

type spoolOptions struct {
	MaxBytes     int64         // disk budget; oldest segments are dropped beyond it
	SegmentSize  int64         // a segment is closed once it reaches this size
	Interval     time.Duration // group commit interval
	MaxPending   int           // group commit once this many records wait
	Always       bool          // write and fsync on every append
	MaxHeld      int           // records held in memory before new ones are dropped
	MaxHeldBytes int64         // bytes held in memory before new records are dropped
	Log          *slog.Logger
	// OpenFile opens segment and state files for writing. If nil,
	// os.OpenFile; tests inject write faults (a full disk) through it.
	OpenFile func(name string, flag int, perm os.FileMode) (spoolFile, error)
}

// A spoolFile is a file the spool writes: a segment or the state file.
type spoolFile interface {
	io.Writer
	io.WriterAt
	Sync() error
	Truncate(size int64) error
	Close() error
}

func openOSFile(name string, flag int, perm os.FileMode) (spoolFile, error) {
	return os.OpenFile(name, flag, perm)
}

type segment struct {
	id        uint64
	size      int64 // bytes appended, written or not
	committed int64 // bytes written and synced
	records   int
}

type chunk struct {
	seg  uint64
	data []byte
	recs int
}

// A position is a byte offset in a segment.
type position struct {
	Seg uint64 `json:"segment"`
	Off int64  `json:"offset"`
}

// An entry is one record read from the spool, with the position after it.
type entry struct {
	data []byte
	end  position
}

var errSpoolClosed = errors.New("ship: spool closed")

const stateFile = "state.json"

func segName(id uint64) string { return fmt.Sprintf("%020d.seg", id) }

// openSpool opens (creating if needed) the spool in dir, recovers from a
// torn tail, and starts its flusher.
func openSpool(dir string, o spoolOptions) (*spool, error) {
	if o.OpenFile == nil {
		o.OpenFile = openOSFile
	}
	if o.MaxHeld <= 0 {
		o.MaxHeld = defaultMaxHeld
	}
	if o.MaxHeldBytes <= 0 {
		o.MaxHeldBytes = defaultMaxHeldBytes
	}
	if err := privateDir(dir, o.Log); err != nil {
		return nil, fmt.Errorf("creating spool directory: %w", err)
	}
	lock, err := lockSpool(dir)
	if err != nil {
		return nil, err
	}
	s := &spool{
		dir: dir, opts: o, notify: make(chan struct{}), lock: lock,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	if err := s.recover(); err != nil {
		lock.Close()
		return nil, err
	}
	go s.flusher()
	return s, nil
}

// recover lists the segments, checks every record, truncates a bad tail,
// and restores the acknowledged position.
func (s *spool) recover() error {
	names, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("reading spool directory: %w", err)
	}
	var ids []uint64
	for _, n := range names {
		if n.Type().IsRegular() {
			if err := privateFile(filepath.Join(s.dir, n.Name()), s.opts.Log); err != nil {
				return err
			}
		}
		if id, ok := strings.CutSuffix(n.Name(), ".seg"); ok {
			if v, err := strconv.ParseUint(id, 10, 64); err == nil {
				ids = append(ids, v)
			}
		}
	}
	slices.Sort(ids)
	ack, err := s.loadState()
	if err != nil {
		s.warn("spool state unreadable; delivering again from the oldest segment", slog.String("error", err.Error()))
	}
	for _, id := range ids {
		if id < ack.Seg {
			s.toDelete = append(s.toDelete, id) // fully acknowledged
			continue
		}
		seg, err := s.check(id, ack)
		if err != nil {
			return err
		}
		s.segs = append(s.segs, seg)
		s.total += seg.size
	}
	next := uint64(1)
	if len(ids) > 0 {
		next = ids[len(ids)-1] + 1
	}
	if len(s.segs) == 0 || ack.Seg < s.segs[0].id {
		ack = position{Seg: next}
		if len(s.segs) > 0 {
			ack = position{Seg: s.segs[0].id}
		}
		s.ackRecs = 0
	}
	if first := s.segs; len(first) > 0 && ack.Seg == first[0].id && ack.Off > first[0].size {
		ack.Off = first[0].size
	}
	s.acked, s.read = ack, ack
	s.segs = append(s.segs, &segment{id: next}) // appends start a new segment
	return nil
}

// check scans one segment, truncating it at the first bad record.
func (s *spool) check(id uint64, ack position) (*segment, error) {
	path := filepath.Join(s.dir, segName(id))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("opening spool segment: %w", err)
	}
	defer f.Close()
	valid, records, bad := scanRecords(f, func(_ []byte, end int64) {
		if id == ack.Seg && end <= ack.Off {
			s.ackRecs++
		}
	})
	if bad != nil {
		st, _ := f.Stat()
		var size int64
		if st != nil {
			size = st.Size()
		}
		s.warn("spool segment has a torn or corrupt tail; truncating it (events after it in this segment are lost)",
			slog.String("segment", path), slog.Int64("valid_bytes", valid), slog.Int64("lost_bytes", size-valid),
			slog.String("error", bad.Error()))
		if err := f.Truncate(valid); err != nil {
			return nil, fmt.Errorf("truncating spool segment %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			return nil, fmt.Errorf("truncating spool segment %s: %w", path, err)
		}
	}
	return &segment{id: id, size: valid, committed: valid, records: records}, nil
}

func (s *spool) warn(msg string, attrs ...slog.Attr) {
	if s.opts.Log != nil {
		s.opts.Log.LogAttrs(context.Background(), slog.LevelWarn, msg, append(attrs, slog.String("spool", s.dir))...)
	}
}

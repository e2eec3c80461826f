package ship

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// A spool record on disk is an 8-byte header, then the payload (one
// event's ECS JSON):
//
//	uint32 little-endian  payload length
//	uint32 little-endian  CRC-32C (Castagnoli) of the payload
//
// A record whose header is cut short, whose length is zero or over
// maxRecord, or whose CRC does not match ends the valid part of a segment.
const (
	headerLen = 8
	maxRecord = 1 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt reports a record that is torn or fails its CRC.
var errCorrupt = errors.New("ship: corrupt spool record")

// appendRecord appends the framed payload to buf.
func appendRecord(buf, payload []byte) []byte {
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(payload)))
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(payload, castagnoli))
	return append(buf, payload...)
}

// readRecord reads one record from r into buf (grown as needed) and returns
// the payload. At a clean end of input it returns io.EOF; a torn or bad
// record gives an error wrapping errCorrupt.
func readRecord(r *bufio.Reader, buf []byte) ([]byte, error) {
	var h [headerLen]byte
	n, err := io.ReadFull(r, h[:])
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("%w: header cut short after %d bytes", errCorrupt, n)
	}
	size := binary.LittleEndian.Uint32(h[:4])
	if size == 0 || size > maxRecord {
		return nil, fmt.Errorf("%w: length %d out of range", errCorrupt, size)
	}
	if cap(buf) < int(size) {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("%w: payload cut short (want %d bytes)", errCorrupt, size)
	}
	if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(h[4:]) {
		return nil, fmt.Errorf("%w: CRC mismatch", errCorrupt)
	}
	return buf, nil
}

// scanRecords reads records from r until the end or the first bad record,
// calling fn (if not nil) with each payload and the offset just past it. It
// returns the length of the valid prefix, the number of records in it, and
// the corruption found (nil at a clean end).
func scanRecords(r io.Reader, fn func(payload []byte, end int64)) (valid int64, records int, bad error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for {
		p, err := readRecord(br, buf)
		if err == io.EOF {
			return valid, records, nil
		}
		if err != nil {
			return valid, records, err
		}
		buf = p
		valid += headerLen + int64(len(p))
		records++
		if fn != nil {
			fn(p, valid)
		}
	}
}

package inspect

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/andybalholm/brotli"
)

// Content codings. Express's body parsers inflate gzip, deflate and br
// bodies by default, so the engine inspects what they decode to; a coding
// it cannot undo is refused, never passed uninspected.

const (
	// maxCodings bounds the codings stacked on one body.
	maxCodings = 4
	// maxRatio bounds how many times larger than its encoded form a body
	// may decode to; ratioFloor is the decoded size under which any ratio
	// is fine (a short repetitive body compresses well).
	maxRatio   = 100
	ratioFloor = 64 << 10
)

var (
	ruleCoding    = newRule("bw-body-001", Protocol, 0, "content coding the engine does not decode (415)")
	ruleBadCoding = newRule("bw-body-002", Protocol, 0, "body that does not decode in its content coding (400)")
	ruleBomb      = newRule("bw-limit-004", Protocol, 0, "decoded body over maxBody or 100 times its encoded size (413)")
)

// contentCodings returns the codings of the Content-Encoding header lines
// in the order they were applied, lower case, identity left out.
func contentCodings(h http.Header) []string {
	var cs []string
	for _, line := range h.Values("Content-Encoding") {
		for c := range strings.SplitSeq(line, ",") {
			c = strings.ToLower(strings.Trim(c, " \t"))
			if c != "" && c != "identity" {
				cs = append(cs, c)
			}
		}
	}
	return cs
}

// decodeCodings undoes codings (as from [contentCodings]), the last
// applied first, and returns the decoded body. Its size is bounded by maxLen
// and by maxRatio times len(body) (ratioFloor at least). It returns the
// rule of the refusal if the body cannot be decoded.
func decodeCodings(codings []string, body []byte, maxLen int64) ([]byte, *rule) {
	if len(codings) == 0 {
		return body, nil
	}
	if len(codings) > maxCodings {
		return nil, ruleCoding
	}
	limit := max(ratioFloor, maxRatio*int64(len(body)))
	limit = min(limit, maxLen)
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		switch codings[i] {
		case "gzip", "x-gzip":
			body, err = gunzip(body, limit)
		case "deflate":
			body, err = inflate(body, limit)
		case "br":
			body, err = readLimited(brotli.NewReader(bytes.NewReader(body)), limit)
		default:
			return nil, ruleCoding
		}
		switch {
		case errors.Is(err, errTooLarge):
			return nil, ruleBomb
		case err != nil:
			return nil, ruleBadCoding
		}
	}
	return body, nil
}

var errTooLarge = errors.New("decoded body too large")

// readLimited reads r to its end, or fails with errTooLarge past limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// gunzip decodes one or more gzip members. Like Node's zlib, which
// Express uses, it stops at bytes after a member that do not start
// another one.
func gunzip(body []byte, limit int64) ([]byte, error) {
	br := bytes.NewReader(body)
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
	var out []byte
	for {
		zr.Multistream(false)
		b, err := readLimited(zr, limit-int64(len(out)))
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		rest := body[len(body)-br.Len():]
		if len(rest) < 2 || rest[0] != 0x1f || rest[1] != 0x8b {
			return out, nil
		}
		if err := zr.Reset(br); err != nil {
			return nil, err
		}
	}
}

// inflate decodes a zlib stream (RFC 1950), which is what "deflate" means
// and what Node's zlib.createInflate accepts; a body without a zlib header
// is read as raw deflate (RFC 1951), as some clients send and some servers
// accept.
func inflate(body []byte, limit int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(body))
	if errors.Is(err, zlib.ErrHeader) {
		return readLimited(flate.NewReader(bytes.NewReader(body)), limit)
	}
	if err != nil {
		return nil, err
	}
	return readLimited(zr, limit)
}

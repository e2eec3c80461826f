package inspect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"unicode/utf8"
)

// Large uploads. A multipart/form-data body over maxBody is not held in
// memory: it is spooled to a temporary file and forwarded from it, and
// what the engine inspects is a digest of it, itself a multipart body
// with the same boundary: every text field whole, and of each file its
// first uploadHead bytes and the code runs ([codeRuns]) found in the rest.

// uploadHead is how much of a file part is inspected whole.
const uploadHead = 64 << 10

// A spool is a request body kept in an unlinked temporary file.
type spool struct {
	f    *os.File
	name string // to remove at close where an open file cannot be removed
}

// newSpool creates a spool readable only by this user.
func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "bulwark-body-*")
	if err != nil {
		return nil, fmt.Errorf("spooling a request body: %w", err)
	}
	s := &spool{f: f, name: f.Name()}
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	return s, nil
}

func (s *spool) Read(p []byte) (int, error) { return s.f.Read(p) }

// Close closes and removes the file; the proxy closes the body it sends,
// and the middleware closes it again when the request is done.
func (s *spool) Close() error {
	err := s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
	}
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}

// spoolUpload copies body (of which head was read already) to a spool of
// at most maxLen bytes, and returns it, rewound, with the digest of the
// multipart body. It fails with errTooLarge if the body or its digest
// (at most budget bytes) is too large, or with the error of reading.
func spoolUpload(head []byte, body io.Reader, boundary string, maxLen, budget int64) (*spool, []byte, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, nil, err
	}
	lr := &io.LimitedReader{R: io.MultiReader(bytes.NewReader(head), body), N: maxLen + 1}
	tee := io.TeeReader(lr, sp.f)
	digest, err := digestMultipart(tee, boundary, budget)
	if err == nil {
		_, err = io.Copy(io.Discard, tee) // the epilogue, forwarded as it came
	}
	if err == nil && lr.N == 0 {
		err = errTooLarge
	}
	if err == nil {
		_, err = sp.f.Seek(0, io.SeekStart)
	}
	if err != nil {
		sp.Close()
		return nil, nil, err
	}
	return sp, digest, nil
}

// digestMultipart reads a multipart body from r and returns its digest,
// at most budget bytes of content, or errTooLarge. A body that does not
// parse as multipart digests to what parsed: the scan inspects that, and
// the app refuses the rest.
func digestMultipart(r io.Reader, boundary string, budget int64) ([]byte, error) {
	var d bytes.Buffer
	left := budget
	take := func(b []byte) error {
		if left -= int64(len(b)); left < 0 {
			return errTooLarge
		}
		d.Write(b)
		return nil
	}
	mr := multipart.NewReader(r, boundary)
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			break // io.EOF, or a body the app will not parse either
		}
		fmt.Fprintf(&d, "--%s\r\n", boundary)
		for k, vs := range part.Header {
			for _, v := range vs {
				fmt.Fprintf(&d, "%s: %s\r\n", k, v)
			}
		}
		d.WriteString("\r\n")
		if _, hasFile := partFilename(part); !hasFile {
			b, err := io.ReadAll(io.LimitReader(part, left+1))
			if err == nil {
				err = take(b)
			}
			if err != nil {
				return nil, err
			}
		} else if err := digestFile(part, take); err != nil {
			return nil, err
		}
		d.WriteString("\r\n")
	}
	fmt.Fprintf(&d, "--%s--\r\n", boundary)
	return d.Bytes(), nil
}

// digestFile gives take the first uploadHead bytes of a file (cut at a
// character boundary if it is text) and the code runs in the rest.
func digestFile(r io.Reader, take func([]byte) error) error {
	head := make([]byte, uploadHead)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return take(head)
	}
	if err != nil {
		return err
	}
	for i := 1; i <= 3 && i <= n; i++ { // a rune cut at the end
		if utf8.RuneStart(head[n-i]) {
			if !utf8.FullRune(head[n-i:]) {
				head = head[:n-i]
			}
			break
		}
	}
	if err := take(head); err != nil {
		return err
	}
	// The rest, in chunks. A run that may go on into the next chunk (the
	// printable bytes at the end, up to maxRun) is carried over to it.
	buf := make([]byte, 0, uploadHead+maxRun)
	buf = append(buf, head[printableTail(head):]...)
	runs := 0
	for {
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil && err != io.EOF {
			return err
		}
		done := err == io.EOF
		carry := len(buf)
		if !done {
			carry = printableTail(buf)
		}
		for _, run := range codeRuns(buf[:carry]) {
			if runs++; runs > maxRuns {
				return nil
			}
			if err := take(append([]byte{'\n'}, run...)); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
		buf = append(buf[:0], buf[carry:]...)
	}
}

// printableTail returns where the printable bytes at the end of b start,
// at most maxRun from its end.
func printableTail(b []byte) int {
	i := len(b)
	for i > 0 && len(b)-i < maxRun && printableByte(b[i-1]) {
		i--
	}
	return i
}

// partFilename returns the file name of a part, and whether it has one.
func partFilename(p *multipart.Part) (string, bool) {
	_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	name, ok := params["filename"]
	if !ok {
		name, ok = params["filename*"]
	}
	return name, ok
}

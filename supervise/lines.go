package supervise

import (
	"bufio"
	"errors"
	"io"
	"os"
)

// readLines reads r to its end and calls emit with each line, its newline
// included. A line longer than maxLine bytes is emitted as pieces of
// maxLine bytes (each given a newline), in order; a last line without a
// newline gets one. emit must not keep the slice. A read deadline or a
// closed reader counts as the end.
func readLines(r io.Reader, maxLine int, emit func(line []byte)) error {
	br := bufio.NewReaderSize(r, min(maxLine, 64<<10))
	var long []byte // a line longer than the reader's buffer, so far
	cut := func(content int) {
		for ; content > maxLine; content -= maxLine {
			emit(append(long[:maxLine:maxLine], '\n'))
			long = append(long[:0], long[maxLine:]...)
		}
	}
	for {
		frag, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, frag...)
			cut(len(long))
			continue
		}
		content := len(frag)
		if content > 0 && frag[content-1] == '\n' {
			content--
		}
		if len(long) > 0 || content > maxLine {
			long = append(long, frag...)
			cut(len(long) - (len(frag) - content))
			frag, long = long, long[:0]
		}
		if len(frag) > 0 {
			if frag[len(frag)-1] != '\n' {
				frag = append(frag[:len(frag):len(frag)], '\n') // a partial last line
			}
			emit(frag)
		}
		if err != nil {
			if err == io.EOF || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, os.ErrClosed) {
				return nil
			}
			return err
		}
	}
}

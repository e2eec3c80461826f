package watch

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
)

// followJournal runs journalctl for a unit and hands each message on, with
// the journal cursor just past it. It starts after cursor when one is
// saved, else at the end of the journal.
func followJournal(ctx context.Context, unit, cursor string, emit func(line []byte, cursor string)) error {
	args := []string{"--follow", "--output=json", "--unit=" + unit}
	if cursor != "" {
		args = append(args, "--after-cursor="+cursor)
	} else {
		args = append(args, "--lines=0")
	}
	cmd := exec.CommandContext(ctx, "journalctl", args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("journal of %s: %w (is systemd's journalctl installed?)", unit, err)
	}
	r := bufio.NewReaderSize(out, 64<<10)
	for {
		line, err := readBounded(r)
		if err != nil {
			break
		}
		var entry struct {
			Message any    `json:"MESSAGE"` // a string, or an array of bytes when not UTF-8
			Cursor  string `json:"__CURSOR"`
		}
		if json.Unmarshal(line, &entry) != nil {
			continue
		}
		if msg, ok := entry.Message.(string); ok {
			emit([]byte(msg), entry.Cursor)
		}
	}
	if err := cmd.Wait(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("journalctl for %s: %w", unit, err)
	}
	return nil
}

// readBounded reads one line, dropping what exceeds 4×maxLine (a journal
// entry is JSON around the message).
func readBounded(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if err != nil {
			return nil, err
		}
		if len(line) < 4*maxLine {
			line = append(line, chunk[:min(len(chunk), 4*maxLine-len(line))]...)
		}
		if !isPrefix {
			return line, nil
		}
	}
}

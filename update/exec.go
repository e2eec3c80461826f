package update

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// runOut runs a short command in dir and returns its standard output; the
// error carries the tail of standard error.
func runOut(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := command(ctx, dir, env, name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, tailLines(stderr.String(), 5))
	}
	return stdout.Bytes(), nil
}

// runTail runs a command with a time limit and returns its combined
// output, of which it keeps the last 1 MiB (truncated says if it lost
// the start). The whole process group is killed when the limit passes or
// ctx ends.
func runTail(ctx context.Context, dir string, env []string, limit time.Duration, name string, args ...string) (out string, truncated bool, err error) {
	return runTailIsolated(ctx, isolation{}, dir, env, limit, name, args...)
}

// runTailIsolated is runTail in a network namespace of its own when iso
// is set (see [isolation]).
func runTailIsolated(ctx context.Context, iso isolation, dir string, env []string, limit time.Duration, name string, args ...string) (out string, truncated bool, err error) {
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	buf := &tailBuffer{max: 1 << 20}
	if iso.ok() {
		name, args = iso.wrap(name, args)
	}
	cmd := command(ctx, dir, env, name, args...)
	iso.apply(cmd)
	cmd.Stdout, cmd.Stderr = buf, buf
	err = cmd.Run()
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("timed out after %s: %w", limit, ctx.Err())
	}
	return buf.String(), buf.truncated, err
}

func command(ctx context.Context, dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	setProcessGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max       int
	buf       []byte
	truncated bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.truncated = true
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }

// tailLines returns the last n lines of s.
func tailLines(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

package supervise

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
)

// logOutput is where the app's lines go for the whole of one Run: the
// console and, per stream, an optional rotating file. It is safe for
// concurrent use: each destination takes one whole line at a time.
type logOutput struct {
	maxLine int
	prefix  bool
	console [2]*lockedWriter // stdout, stderr; nil when off
	recent  *recent          // keeps the last lines in memory; nil for none
	files   [2]*rotatingFile // nil when none
	log     *slog.Logger
	failed  sync.Map // destination → struct{}: its write error was logged
}

// The app's two output streams.
const (
	streamStdout = 0
	streamStderr = 1
)

var streamNames = [2]string{"stdout", "stderr"}

// lockedWriter writes one line at a time to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) write(p []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write(p)
	return err
}

// openLogs opens the log files of cfg (with defaults); the console writers
// are stdout and stderr, and rec (if not nil) keeps the last lines.
func openLogs(cfg Logs, stdout, stderr io.Writer, rec *recent, log *slog.Logger) (*logOutput, error) {
	o := &logOutput{maxLine: int(cfg.MaxLine), prefix: cfg.Console == ConsolePrefixed, recent: rec, log: log}
	if cfg.Console != ConsoleOff {
		mu := new(sync.Mutex)
		o.console[streamStdout] = &lockedWriter{mu, stdout}
		if stderr != stdout {
			mu = new(sync.Mutex) // the same writer shares one lock
		}
		o.console[streamStderr] = &lockedWriter{mu, stderr}
	}
	for i, f := range []LogFile{cfg.Stdout, cfg.Stderr} {
		if f.Path == "" {
			continue
		}
		if i == streamStderr && f.Path == cfg.Stdout.Path {
			o.files[i] = o.files[streamStdout]
			continue
		}
		rf, err := openRotating(f.Path, int64(f.MaxSize), f.MaxFiles)
		if err != nil {
			o.close()
			return nil, err
		}
		o.files[i] = rf
	}
	return o, nil
}

// close closes the log files.
func (o *logOutput) close() {
	for i, f := range o.files {
		if f != nil && (i == 0 || f != o.files[0]) {
			f.Close()
		}
	}
}

// wants reports whether the stream goes anywhere.
func (o *logOutput) wants(stream int) bool {
	return o.console[stream] != nil || o.files[stream] != nil || o.recent != nil
}

// sink returns the line handler of one stream of process pid. Each sink is
// used by one goroutine.
func (o *logOutput) sink(stream, pid int) func(line []byte) {
	var buf []byte
	head := "app[" + strconv.Itoa(pid) + "] "
	return func(line []byte) {
		if o.recent != nil {
			o.recent.add(stream, pid, line)
		}
		if c := o.console[stream]; c != nil {
			out := line
			if o.prefix {
				buf = append(append(buf[:0], head...), line...)
				out = buf
			}
			o.check(c, c.write(out))
		}
		if f := o.files[stream]; f != nil {
			o.check(f, f.WriteLine(line))
		}
	}
}

// check logs a destination's first write error, and its recovery.
func (o *logOutput) check(dest any, err error) {
	if err == nil {
		if _, had := o.failed.LoadAndDelete(dest); had {
			o.log.LogAttrs(context.Background(), slog.LevelInfo, "app log writable again")
		}
		return
	}
	if _, had := o.failed.LoadOrStore(dest, struct{}{}); !had {
		o.log.LogAttrs(context.Background(), slog.LevelError, "writing app log; lines are lost until it works again",
			slog.String("error", err.Error()))
	}
}

package watch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// Migrations are the store's steps for the watch component: how far each
// source has been read.
var Migrations = []string{
	`CREATE TABLE watch_positions (
		source TEXT PRIMARY KEY,
		dev INTEGER NOT NULL DEFAULT 0,
		inode INTEGER NOT NULL DEFAULT 0,
		offset INTEGER NOT NULL DEFAULT 0,
		cursor TEXT NOT NULL DEFAULT ''
	)`,
}

// Options are a Watcher's collaborators.
type Options struct {
	// DB keeps each source's position across restarts. If nil, a restart
	// reads from the end of each log.
	DB *sqlite.DB
	// Publish receives an event per login attempt. If nil, they are dropped.
	Publish func(event.Event)
	// Logger is for operational messages. If nil, slog.Default().
	Logger *slog.Logger
}

// A Watcher follows every configured source until its context ends.
type Watcher struct {
	cfg  Config
	opts Options

	mu      sync.Mutex
	pending map[string]saved // positions not yet written to the store
}

type saved struct {
	pos    Position
	cursor string
}

// New validates cfg and returns a Watcher.
func New(cfg Config, opts Options) (*Watcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Publish == nil {
		opts.Publish = func(event.Event) {}
	}
	return &Watcher{cfg: cfg, opts: opts, pending: make(map[string]saved)}, nil
}

// Run follows all sources until ctx is done, saving positions every second
// and once more at the end. A source that cannot be opened is logged and
// retried; it does not stop the others.
func (w *Watcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, s := range w.cfg.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.runSource(ctx, s)
		}()
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return w.flush(context.WithoutCancel(ctx))
		case <-t.C:
			if err := w.flush(ctx); err != nil {
				w.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "saving log positions", slog.String("error", err.Error()))
			}
		}
	}
}

// runSource follows one source, reopening it after errors with a pause.
func (w *Watcher) runSource(ctx context.Context, s Source) {
	for ctx.Err() == nil {
		err := w.follow(ctx, s)
		if ctx.Err() != nil {
			return
		}
		if err == nil { // journalctl exited: follow it again
			err = errors.New("the source ended")
		}
		w.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "watching a log",
			slog.String("source", s.name()), slog.String("error", err.Error()))
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
}

func (w *Watcher) follow(ctx context.Context, s Source) error {
	p, err := s.parser()
	if err != nil {
		return err
	}
	last, err := w.load(ctx, s.name())
	if err != nil {
		return err
	}
	handle := func(line []byte, at saved) {
		if a, ok := p.Parse(string(line)); ok {
			w.opts.Publish(attemptEvent(a, s))
		}
		w.mu.Lock()
		w.pending[s.name()] = at
		w.mu.Unlock()
	}
	if s.Journal != "" {
		return followJournal(ctx, s.Journal, last.cursor, func(line []byte, cursor string) {
			handle(line, saved{cursor: cursor})
		})
	}
	fl, err := NewFollower(s.Path, last.pos, s.FromStart)
	if err != nil {
		return err
	}
	defer fl.Close()
	return fl.Run(ctx, func(line []byte, pos Position) { handle(line, saved{pos: pos}) })
}

// attemptEvent makes the ECS event of an attempt. The user name is what the
// client sent: bounded and stripped of control characters.
func attemptEvent(a Attempt, s Source) event.Event {
	e := event.Event{
		Category: event.CategoryAuthentication, Type: "start", Action: a.Action,
		SourceIP: a.IP, UserName: cleanUser(a.User),
		Labels: map[string]string{"service": s.service(), "source": s.name(), "reason": a.Reason},
	}
	switch a.Action {
	case ActionSuccess:
		e.Outcome, e.Severity = event.OutcomeSuccess, event.SeverityInfo
		e.Message = s.service() + " login of " + e.UserName + " from " + a.IP.String()
	default:
		e.Outcome, e.Severity = event.OutcomeFailure, event.SeverityLow
		e.Message = s.service() + " " + strings.ReplaceAll(a.Action, "-", " ") + " for " + e.UserName + " from " + a.IP.String()
	}
	return e
}

func cleanUser(u string) string {
	u = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, u)
	if len(u) > 128 {
		u = strings.ToValidUTF8(u[:128], "")
	}
	return u
}

func (w *Watcher) load(ctx context.Context, source string) (saved, error) {
	var s saved
	if w.opts.DB == nil {
		return s, nil
	}
	err := w.opts.DB.QueryRowContext(ctx,
		`SELECT dev, inode, offset, cursor FROM watch_positions WHERE source = ?`, source,
	).Scan(&s.pos.Dev, &s.pos.Inode, &s.pos.Offset, &s.cursor)
	if errors.Is(err, sql.ErrNoRows) {
		return saved{}, nil
	}
	if err != nil {
		return s, fmt.Errorf("reading the position of %s: %w", source, err)
	}
	return s, nil
}

// flush writes the positions reached since the last flush, in one
// transaction.
func (w *Watcher) flush(ctx context.Context) error {
	w.mu.Lock()
	pending := w.pending
	w.pending = make(map[string]saved)
	w.mu.Unlock()
	if w.opts.DB == nil || len(pending) == 0 {
		return nil
	}
	tx, err := w.opts.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for source, s := range pending {
		if _, err := tx.ExecContext(ctx, `INSERT INTO watch_positions (source, dev, inode, offset, cursor) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source) DO UPDATE SET dev = excluded.dev, inode = excluded.inode, offset = excluded.offset, cursor = excluded.cursor`,
			source, s.pos.Dev, s.pos.Inode, s.pos.Offset, s.cursor); err != nil {
			return err
		}
	}
	return tx.Commit()
}

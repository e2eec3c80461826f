package blackbook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
)

// Options are a Book's collaborators.
type Options struct {
	// DB is the store: a SQLite database (the modernc.org/sqlite driver,
	// which this package registers as "sqlite") holding the black book's
	// tables. [OpenDB] opens a file ready for use; a database the caller
	// opened needs [Migrate] first, and, since the Book writes from several
	// goroutines, a busy timeout and immediate transactions
	// ("file:PATH?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate").
	// Required; the caller closes it after the Book.
	DB *sql.DB
	// Redis, if set, shares bans with the other gateways using the same
	// Redis. The caller owns and closes the client, after the Book; give it
	// short dial and read timeouts (a second or two).
	Redis redis.UniversalClient
	// Publish receives the Book's events (bans, unbans, allowlist changes).
	// If nil, events are dropped. It must not block.
	Publish func(event.Event)
	// Logger is for operational messages. If nil, slog.Default().
	Logger *slog.Logger
	// Clock tells the time. If nil, time.Now.
	Clock func() time.Time
}

// A Book is the black book: bans, offenders and the allowlist, stored in
// SQLite, indexed in memory and optionally shared through Redis. It is safe
// for concurrent use. Close stops its goroutines.
type Book struct {
	cfg     Config
	db      *sql.DB
	rdb     redis.UniversalClient
	publish func(event.Event)
	log     *slog.Logger
	now     func() time.Time
	idx     *index
	allowDB []netip.Prefix // runtime entries, as last loaded; guarded by allowMu
	allowMu sync.Mutex
	// writeMu orders the store's ban changes with the index updates that
	// follow them, so that a watcher's stale read never undoes a newer change.
	writeMu sync.Mutex

	offences   chan Offence
	dropped    atomic.Uint64
	kick       chan struct{} // wakes the Redis loop to push the outbox
	redisState atomic.Int32  // redisUnknown, redisUp or redisDown
	instance   string        // this Book's id in Redis messages

	stop      context.CancelFunc
	wg        sync.WaitGroup
	closed    atomic.Bool
	closeOnce sync.Once
}

// offenceBuffer bounds the offences waiting to be written; more are dropped
// and counted.
const offenceBuffer = 8192

// Open validates cfg, loads the bans in force and the allowlist from the
// store, and starts the Book's goroutines: one that notices changes made by
// other processes, one that writes offences, and with Redis one that shares
// bans.
func Open(ctx context.Context, cfg Config, opts Options) (*Book, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("blackbook: %w", err)
	}
	if opts.DB == nil {
		return nil, errors.New("blackbook: no store: Options.DB is required (open one with blackbook.OpenDB)")
	}
	if err := checkSchema(ctx, opts.DB); err != nil {
		return nil, err
	}
	k := &Book{
		cfg:      cfg.WithDefaults(),
		db:       opts.DB,
		rdb:      opts.Redis,
		publish:  opts.Publish,
		log:      opts.Logger,
		now:      opts.Clock,
		idx:      newIndex(),
		offences: make(chan Offence, offenceBuffer),
		kick:     make(chan struct{}, 1),
		instance: event.NewID(),
	}
	if k.publish == nil {
		k.publish = func(event.Event) {}
	}
	if k.log == nil {
		k.log = slog.Default()
	}
	if k.now == nil {
		k.now = time.Now
	}
	if err := k.reloadAllowlist(ctx); err != nil {
		return nil, fmt.Errorf("blackbook: loading the allowlist: %w", err)
	}
	w, err := k.newWatcher(ctx)
	if err != nil {
		return nil, fmt.Errorf("blackbook: loading bans: %w", err)
	}
	bg, stop := context.WithCancel(context.Background())
	k.stop = stop
	k.wg.Add(2)
	go func() { defer k.wg.Done(); w.run(bg) }()
	go func() { defer k.wg.Done(); k.runFlusher(bg) }()
	if k.rdb != nil {
		k.wg.Add(2)
		go func() { defer k.wg.Done(); k.runSubscriber(bg) }()
		go func() { defer k.wg.Done(); k.runPusher(bg) }()
	}
	return k, nil
}

// Close stops the Book's goroutines, writing the offences still buffered
// and, with Redis, trying for up to two seconds to write the outbox (what is
// left there is written by the next Book to open the store, or by a running
// one sharing it). It does not close the store or the Redis client.
func (k *Book) Close() error {
	k.closeOnce.Do(func() {
		k.closed.Store(true)
		k.stop()
		k.wg.Wait()
		if k.rdb != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := k.drainOutbox(ctx); err != nil {
				k.log.LogAttrs(ctx, slog.LevelWarn, "black book: bans left in the outbox for Redis",
					slog.String("error", err.Error()))
			}
		}
	})
	return nil
}

// Banned returns the ban in force for the address a, if any. It costs a few
// map probes and allocates nothing. Expired bans and allowlisted addresses
// are never banned.
func (k *Book) Banned(a netip.Addr) (Ban, bool) { return k.idx.banned(a, k.now) }

// BannedUser returns the ban in force for the user name, if any.
func (k *Book) BannedUser(name string) (Ban, bool) { return k.idx.bannedUser(name, k.now) }

// Dropped counts the offences that did not fit in the buffer and were lost.
func (k *Book) Dropped() uint64 { return k.dropped.Load() }

func (k *Book) emit(e event.Event) {
	if e.Time.IsZero() {
		e.Time = k.now()
	}
	k.publish(e)
}

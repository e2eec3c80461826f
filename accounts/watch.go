package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/clientip"
	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// A Mailer sends one mail. The alert package's notifiers satisfy it
// through an adapter; [Outbox] writes mails to a directory.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// A Mail is one message to a user.
type Mail struct {
	From    string `json:"from,omitempty"`
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
}

// A Banner bans client IPs, in the black book.
type Banner interface {
	BanIP(ctx context.Context, b Ban) error
}

// A Ban is one IP to ban, with the user it concerns, if any.
type Ban struct {
	IP     netip.Addr
	User   string        // the account attacked or disowned; may be empty
	For    time.Duration // how long
	Reason string        // one line for people, e.g. "credential stuffing: 20 usernames in 1h"
}

// Options are a [Watch]'s collaborators.
type Options struct {
	// DB is the store: a SQLite database (the modernc.org/sqlite driver,
	// which this package registers as "sqlite") holding the accounts
	// tables. [OpenDB] opens a file ready for use; a database the caller
	// opened needs [Migrate] first, and, since the Watch writes from
	// several goroutines, a busy timeout and immediate transactions
	// ("file:PATH?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate").
	// Required; the caller closes it after the Watch.
	DB *sql.DB
	// Publish receives the events. If nil, they are discarded.
	Publish func(event.Event)
	// Mailer mails users. If nil, no mail is sent (events still are).
	Mailer Mailer
	// Bans bans IPs. If nil, bans are only events.
	Bans Banner
	// Logger is for operational messages. If nil, slog.Default().
	Logger *slog.Logger
	// Clock tells the time. If nil, time.Now.
	Clock func() time.Time
	// ClientIP decides the client's address, from trusted proxies. If nil,
	// the socket peer.
	ClientIP func(*http.Request) netip.Addr
	// HTTPClient makes the breached-password range requests. If nil, a
	// client with the configured timeout.
	HTTPClient *http.Client
	// Fleet, if set, shares the failed-login counts, blocked pairs, known
	// networks and devices and used links with the other gateways using
	// the same Redis, so that they decide and mail as one; while Redis is
	// unreachable they are counted here. If nil, they are this watch's.
	Fleet *fleet.Shared
}

// A Watch watches account activity. It is safe for concurrent use; Close
// stops its background work.
type Watch struct {
	cfg      Config
	routes   []Route
	cookie   string // session cookie name; "" = learn from logins
	db       *sql.DB
	publishF func(event.Event)
	mailer   Mailer
	bans     Banner
	log      *slog.Logger
	clock    func() time.Time
	clientIP func(*http.Request) netip.Addr
	key      []byte
	fleet    *fleet.Shared

	noLinkBase sync.Once // warns once that mails go without a link

	sessions *sessions
	shared   *sharedSessions // nil without a fleet
	alone    journal         // counted while Redis was away, to replay
	counts   *counters
	pairs    *pairBlocks
	breach   breachChecker // nil when off

	mu      sync.Mutex
	closed  bool
	pending sync.WaitGroup // mails being sent
	slots   chan struct{}  // bounds mails in flight
	learned string         // session cookie name learned from a login
}

// New validates cfg (after defaults) and builds a Watch.
func New(cfg Config, opts Options) (*Watch, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	if opts.DB == nil {
		return nil, errors.New("accounts: no store: Options.DB is required (open one with accounts.OpenDB)")
	}
	w := &Watch{
		cfg: cfg, db: opts.DB, publishF: opts.Publish, mailer: opts.Mailer, bans: opts.Bans,
		log: opts.Logger, clock: opts.Clock, clientIP: opts.ClientIP, slots: make(chan struct{}, 64), fleet: opts.Fleet,
	}
	if w.log == nil {
		w.log = slog.Default()
	}
	if w.clock == nil {
		w.clock = time.Now
	}
	if w.clientIP == nil {
		w.clientIP = clientip.Peer
	}
	p := presets[cfg.Preset]
	w.routes = append(append([]Route(nil), cfg.Routes...), p.routes...)
	w.cookie = cfg.SessionCookie
	if w.cookie == "" {
		w.cookie = p.sessionCookie
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := checkSchema(ctx, opts.DB); err != nil {
		return nil, err
	}
	if cfg.Key != "" {
		w.key = []byte(cfg.Key.Reveal())
	} else {
		k, err := storeKey(ctx, opts.DB)
		if err != nil {
			return nil, fmt.Errorf("accounts: %w", err)
		}
		w.key = k
	}
	var err error
	if w.sessions, err = loadSessions(ctx, opts.DB, cfg.Sessions, w.clock()); err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	if w.pairs, err = loadPairs(ctx, opts.DB, cfg.Thresholds.MaxTracked, w.clock()); err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	w.counts = newCounters(cfg.Thresholds)
	switch cfg.Breach.Mode {
	case "online":
		client := opts.HTTPClient
		if client == nil {
			client = &http.Client{Timeout: cfg.Breach.Timeout}
		}
		w.breach = newRangeClient(cfg.Breach, client, w.clock)
	case "offline":
		f, err := OpenBreachFile(cfg.Breach.File)
		if err != nil {
			return nil, fmt.Errorf("accounts: breach.file: %w", err)
		}
		w.breach = f
	}
	if w.fleet != nil {
		w.startSharedSessions()
		w.fleet.OnResume(w.mergeAlone)
	}
	return w, nil
}

// Close waits for mails in flight, stops reading the fleet's revoked
// sessions and releases the offline breach file.
func (w *Watch) Close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.pending.Wait()
	if w.shared != nil {
		w.shared.close()
	}
	if c, ok := w.breach.(interface{ Close() error }); ok {
		return c.Close()
	}
	return nil
}

// publish sends e, with the request's facts when r is not nil.
func (w *Watch) publish(e event.Event) {
	if e.Time.IsZero() {
		e.Time = w.clock()
	}
	if w.publishF != nil {
		w.publishF(e)
	}
}

func (w *Watch) logError(ctx context.Context, doing string, err error) {
	w.log.LogAttrs(ctx, slog.LevelError, "accounts: "+doing, slog.String("error", err.Error()))
}

// sendMail sends m in the background, bounded; Close waits for it.
func (w *Watch) sendMail(m Mail) {
	if w.mailer == nil || m.To == "" {
		return
	}
	if m.From == "" {
		m.From = w.cfg.NewDevice.From
	}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.pending.Add(1)
	w.mu.Unlock()
	select {
	case w.slots <- struct{}{}:
	default:
		w.pending.Done()
		w.log.LogAttrs(context.Background(), slog.LevelWarn, "accounts: mail dropped: too many in flight",
			slog.String("subject", m.Subject))
		return
	}
	go func() {
		defer w.pending.Done()
		defer func() { <-w.slots }()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := w.mailer.Send(ctx, m); err != nil {
			w.logError(ctx, "sending mail", err)
		}
	}()
}

// ban bans through the Banner, logging a failure.
func (w *Watch) ban(ctx context.Context, b Ban) {
	if w.bans == nil || !b.IP.IsValid() {
		return
	}
	if err := w.bans.BanIP(ctx, b); err != nil {
		w.logError(ctx, "banning "+b.IP.String(), err)
	}
}

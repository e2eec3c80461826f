package alert

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// Options are what an [Alerter] takes from its environment.
type Options struct {
	// DB is the store holding the outbox and alert state (opened with
	// [Migrations]). Required: pending notifications must survive a crash.
	DB *sqlite.DB
	// Logger receives delivery failures. If nil, nothing is logged.
	Logger *slog.Logger
	// Clock tells the time. If nil, time.Now. Waits use the runtime's
	// timers.
	Clock func() time.Time
	// Publish receives an event (kind alert) for each notification and
	// one for each notification given up. If nil, none are published.
	Publish func(event.Event)
	// TLSConfig is the base TLS configuration of notifiers, e.g. with
	// private RootCAs. If nil, the system's roots.
	TLSConfig *tls.Config
	// Notifiers add notifiers, or replace configured ones of the same
	// name (tests, custom channels). If nil, only the configured ones.
	Notifiers map[string]Notifier
}

// An Alerter evaluates rules over events, groups and throttles the
// alerts, and delivers notifications through its notifiers. Its methods
// are safe for concurrent use.
type Alerter struct {
	opts      Options
	log       *slog.Logger
	now       func() time.Time
	store     store
	rules     []*ruleState
	byName    map[string]*Rule
	notifiers map[string]Notifier
	maxKeys   int

	mu     sync.Mutex
	groups map[string]*group // rule name + "\x00" + group key
	closed bool

	wake    chan struct{}            // the grouping loop
	senders map[string]chan struct{} // per notifier
	ctx     context.Context          // cancelled by Close
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// A ruleState is a rule and its counts.
type ruleState struct {
	rule    *Rule
	counter *counter
	alerts  int // alerts held, bounded by maxKeys
}

// ErrNoDB is returned by New without Options.DB.
var ErrNoDB = errors.New("alert: Options.DB is required: pending notifications are kept in the store")

// New validates cfg, builds the notifiers (reading template files),
// reloads the state of notified groups and starts delivering what the
// outbox holds. Close stops it.
func New(ctx context.Context, cfg Config, opts Options) (*Alerter, error) {
	if opts.DB == nil {
		return nil, ErrNoDB
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	a := &Alerter{opts: opts, log: opts.Logger, now: opts.Clock, store: store{opts.DB},
		byName: map[string]*Rule{}, notifiers: map[string]Notifier{}, groups: map[string]*group{},
		wake: make(chan struct{}, 1), senders: map[string]chan struct{}{}, maxKeys: cfg.MaxKeys}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.maxKeys == 0 {
		a.maxKeys = defaultMaxKeys
	}
	tlsConfig, err := cfg.tlsConfig(opts.TLSConfig)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	no := NotifierOptions{TLSConfig: tlsConfig, Clock: a.now}
	for _, name := range sortedKeys(cfg.Notifiers) {
		if _, ok := opts.Notifiers[name]; ok {
			continue
		}
		n, err := newNotifier(name, cfg.Notifiers[name], no)
		if err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		a.notifiers[name] = n
	}
	for name, n := range opts.Notifiers {
		a.notifiers[name] = n
	}
	if !cfg.Disable {
		rules, err := cfg.rules(sortedKeys(cfg.Notifiers))
		if err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		for _, r := range rules {
			a.rules = append(a.rules, &ruleState{rule: r,
				counter: newCounter(r.Window, r.Threshold, r.Distinct != "", a.maxKeys)})
			a.byName[r.Name] = r
		}
	}
	if err := a.restore(ctx); err != nil {
		return nil, err
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.wg.Add(1)
	go a.loop()
	for name, n := range a.notifiers {
		wake := make(chan struct{}, 1)
		a.senders[name] = wake
		a.wg.Add(1)
		go a.send(name, n, wake)
	}
	a.warnOrphans(ctx)
	return a, nil
}

func newNotifier(name string, c NotifierConfig, o NotifierOptions) (Notifier, error) {
	switch c.Type {
	case TypeEmail:
		return NewEmail(name, c, o)
	case TypeSMS:
		return NewSMS(name, c, o)
	case TypeSlack:
		return NewSlack(name, c, o)
	case TypeWebhook:
		return NewWebhook(name, c, o)
	}
	return nil, fmt.Errorf("notifier %s: unknown type %q", name, c.Type)
}

// restore reloads the groups notified within their repeat interval, their
// alerts as firing and told, so the same alerts do not page again.
func (a *Alerter) restore(ctx context.Context) error {
	now := a.now()
	maxRepeat := defaultRoute.RepeatInterval
	for _, r := range a.byName {
		maxRepeat = max(maxRepeat, r.Route.RepeatInterval)
	}
	states, err := a.store.groups(ctx, now.Add(-maxRepeat))
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	for _, st := range states {
		r := a.byName[st.Rule]
		if r == nil || now.Sub(st.LastNotified) >= r.Route.RepeatInterval {
			continue
		}
		g := &group{rule: r, key: st.Key, labels: st.Labels, alerts: map[string]*alertState{},
			lastNotified: st.LastNotified, nextFlush: now.Add(r.Route.GroupInterval)}
		for _, sa := range st.Alerts {
			g.alerts[sa.Key] = &alertState{key: sa.Key, labels: sa.Labels, startsAt: sa.StartsAt,
				lastActive: now, count: sa.Count, notified: true}
		}
		a.groups[r.Name+"\x00"+st.Key] = g
		a.stateOf(r).alerts += len(g.alerts)
	}
	return nil
}

func (a *Alerter) stateOf(r *Rule) *ruleState {
	for _, rs := range a.rules {
		if rs.rule == r {
			return rs
		}
	}
	return nil
}

func (a *Alerter) warnOrphans(ctx context.Context) {
	pending, err := a.store.pending(ctx)
	if err != nil {
		a.log.LogAttrs(ctx, slog.LevelWarn, "alert outbox unreadable", slog.String("error", err.Error()))
		return
	}
	for name, n := range pending {
		if _, ok := a.notifiers[name]; !ok {
			a.log.LogAttrs(ctx, slog.LevelWarn, "notifications wait for a notifier that is no longer configured",
				slog.String("notifier", name), slog.Int("pending", n))
		}
	}
}

// Rules returns the rules in effect, sorted by name.
func (a *Alerter) Rules() []*Rule {
	out := make([]*Rule, len(a.rules))
	for i, rs := range a.rules {
		out[i] = rs.rule
	}
	return out
}

// Notifier returns the notifier called name, e.g. to send other mail
// through an [*Email] with SendMail.
func (a *Alerter) Notifier(name string) (Notifier, bool) {
	n, ok := a.notifiers[name]
	return n, ok
}

// Test sends a test notification through the notifier called name, at
// once and without the outbox, and returns its error.
func (a *Alerter) Test(ctx context.Context, name string) error {
	n, ok := a.notifiers[name]
	if !ok {
		known := sortedKeys(a.notifiers)
		if len(known) == 0 {
			return fmt.Errorf("no notifier %q: none is configured (add one under alerts.notifiers in bulwark.yaml)", name)
		}
		return fmt.Errorf("no notifier %q (known: %s)", name, strings.Join(known, ", "))
	}
	return sendTest(ctx, n, name, a.now)
}

// Close stops evaluating and delivering and waits, until ctx is done, for
// the deliveries under way to end. Notifications not yet delivered stay
// in the outbox for the next start.
func (a *Alerter) Close(ctx context.Context) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	a.mu.Unlock()
	a.cancel()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("closing alerter: %w", ctx.Err())
	}
	for _, n := range a.notifiers {
		if c, ok := n.(interface{ close() }); ok {
			c.close()
		}
	}
	return err
}

func (a *Alerter) publish(e event.Event) {
	if a.opts.Publish != nil {
		a.opts.Publish(e)
	}
}

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/alert"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/blackbook/scenario"
	"github.com/bulwark-sec/bulwark/console"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/routes"
	"github.com/bulwark-sec/bulwark/watch"
)

// migrations are every component's store steps.
var migrations = sqlite.Migrations{
	"blackbook": blackbook.Migrations,
	"watch":     watch.Migrations,
	"accounts":  accounts.Migrations,
	"alert":     alert.Migrations,
	"console":   console.Migrations,
	"routes":    routes.Migrations,
}

// state is what guard, watch and bans share: the store, Redis, and the
// black book.
type state struct {
	db    *sqlite.DB
	redis redis.UniversalClient
	fleet *fleet.Shared // the counts shared through redis; nil without it
	book  *blackbook.Book
}

// openState opens the store (creating the state directory when the store
// is its default one) and the black book; the book's events go to publish
// (nil: dropped).
func openState(ctx context.Context, cfg fileConfig, publish func(event.Event), log *slog.Logger) (*state, error) {
	if err := cfg.prepareStore(); err != nil { // the state directory, on first use
		return nil, err
	}
	db, err := sqlite.Open(ctx, cfg.Store.Path, migrations)
	if err != nil {
		return nil, err
	}
	for _, f := range db.Tightened() {
		log.LogAttrs(ctx, slog.LevelWarn, "store file was readable by other users; made it private (0600)", slog.String("file", f))
	}
	st := &state{db: db}
	if st.redis, err = openRedis(cfg.Store.Redis, log); err != nil {
		db.Close()
		return nil, usageError{err}
	}
	if st.redis != nil {
		if err := pingRedis(ctx, st.redis); err != nil {
			log.LogAttrs(ctx, slog.LevelWarn, "redis is not answering; bans and counts stay local until it does",
				slog.String("redis", cfg.Store.Redis.describe()), slog.String("error", err.Error()))
		}
		st.fleet = fleet.New(st.redis, fleet.Options{Prefix: cfg.Store.Redis.prefix(), Publish: publish, Logger: log})
	}
	opts := blackbook.Options{DB: db.DB, Publish: publish, Logger: log}
	if st.redis != nil {
		opts.Redis = st.redis
		if cfg.Blackbook.RedisPrefix == "" {
			cfg.Blackbook.RedisPrefix = cfg.Store.Redis.prefix()
		}
	}
	if st.book, err = blackbook.Open(ctx, cfg.Blackbook, opts); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// Close closes the book, then what it uses.
func (st *state) Close() {
	if st.book != nil {
		st.book.Close()
	}
	st.fleet.Close()
	if st.redis != nil {
		st.redis.Close()
	}
	st.db.Close()
}

// startScenarios subscribes the scenarios to the bus, banning through the
// book with sources named source+scenario ("scenario:", "watch:"), and
// records attacks as offences.
func (st *state) startScenarios(cfg scenario.Config, bus *event.Bus, source string, log *slog.Logger) (*scenario.Engine, error) {
	engine, err := scenario.New(cfg, scenario.Options{Banner: bookBanner{st.book, bus, source}, Publish: bus.Publish, Logger: log, Fleet: st.fleet})
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	bus.SubscribeBatch("scenarios", 0, scenario.MaxBatch, engine.HandleBatch)
	bus.Subscribe("offences", 0, func(e event.Event) {
		if e.Category == event.CategoryMalicious && e.SourceIP.IsValid() {
			st.book.Record(context.Background(), blackbook.Offence{
				IP: e.SourceIP, User: e.UserName, Class: e.Labels["class"], RuleID: e.RuleID,
				Evidence: e.Method + " " + e.Path + ": " + e.Message, Time: e.Time,
			})
		}
	})
	return engine, nil
}

// bookBanner carries out scenario decisions in the black book.
type bookBanner struct {
	book   *blackbook.Book
	bus    *event.Bus
	source string // the bans' source, before the scenario's name
}

func (b bookBanner) Ban(ctx context.Context, d scenario.Decision) error {
	source := b.source + d.Scenario
	if !d.Target.IP.IsValid() {
		// A user attacked from many addresses: locking the account would
		// hand the attacker a way to lock anyone out, so people are told.
		b.bus.Publish(event.Event{
			Kind: event.KindAlert, Category: event.CategoryAuthentication, Type: "info",
			Action: "account-under-attack", Outcome: event.OutcomeFailure, Severity: event.SeverityHigh,
			UserName: d.Target.User, Message: d.Reason,
			Labels: map[string]string{"scenario": d.Scenario, "service": d.Target.Service},
		})
		return nil
	}
	// A user+IP pair is banned by its IP: the address is the attacker's.
	_, err := b.book.Ban(ctx, blackbook.BanRequest{
		Target: blackbook.IPTarget(d.Target.IP), Duration: d.Duration,
		Reason: d.Reason, Source: source,
	})
	if errors.Is(err, blackbook.ErrAllowlisted) {
		return scenario.ErrSpared
	}
	return err
}

package console

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// fleetLink is a console's link to its fleet's stream.
type fleetLink struct {
	name   string
	stream *fleet.Stream
	cancel context.CancelFunc
	done   chan struct{}
}

// FleetOptions are a console's place in a fleet.
type FleetOptions struct {
	// Name is this gateway's name in the fleet's events (observer.name).
	// Required.
	Name string
	// Mirrored, if set, is given each event of another gateway once it is
	// kept, in the stream's order: the black book records the others'
	// attacks with it, so offenders' dossiers cover the fleet.
	Mirrored func(event.Event)
}

// JoinFleet makes the console show the whole fleet sharing sh: this
// gateway's events, named o.Name (observer.name), and its traffic samples
// are appended to the fleet's stream, and a follower mirrors the other
// gateways' into this console's history, so the pages, GET /v1/events,
// /v1/events/top, /v1/series and the live stream show every gateway's.
//
// The history stays this gateway's own store: while Redis is away the
// console shows this gateway's events, and catches up with the others'
// (as far as the stream's cap reaches back) when it returns. The follower
// keeps where it is in the stream in the store, so a restart goes on from
// there, and it never mirrors this gateway's own entries (told apart by an
// instance id kept in the store, whatever the names). Close stops it.
func (c *Console) JoinFleet(ctx context.Context, sh *fleet.Shared, o FleetOptions) error {
	if sh == nil {
		return errors.New("console: joining the fleet: no redis")
	}
	if o.Name == "" {
		return errors.New("console: joining the fleet: a gateway name is required")
	}
	if c.rec.fleet.Load() != nil {
		return errors.New("console: joining the fleet: already joined")
	}
	owner := instanceOwner(c.db.Path())
	inst, err := c.fleetInstance(ctx, sh, owner)
	if err != nil {
		return err
	}
	from, err := fleetState(ctx, c.db.DB, "cursor")
	if err != nil {
		return err
	}
	st := sh.NewStream(fleet.StreamOptions{Name: o.Name, Instance: inst, MaxLen: int64(c.cfg.Events),
		MaxAge: time.Duration(c.cfg.RetentionDays) * 24 * time.Hour, Logger: c.log})
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	link := &fleetLink{name: o.Name, stream: st, cancel: cancel, done: make(chan struct{})}
	c.rec.fleet.Store(link)
	go func() {
		defer close(link.done)
		held := make(chan struct{})
		go func() {
			defer close(held)
			c.holdInstance(runCtx, sh, inst, owner)
		}()
		defer func() { <-held }()
		st.Run(runCtx, from, func(ctx context.Context, entries []fleet.Entry, last string) error {
			err := c.rec.mirror(ctx, entries, func(ctx context.Context) error {
				return setFleetState(ctx, c.db.DB, "cursor", last)
			})
			if o.Mirrored != nil {
				for _, e := range entries {
					if e.Event != nil {
						o.Mirrored(*e.Event)
					}
				}
			}
			return err
		})
	}()
	return nil
}

// mirror keeps other gateways' entries as their own recorder would: the
// events in the history and on the live streams (never on this gateway's
// bus: its alerts and sinks are its own), the samples' traffic in the
// series. Once they are written it calls commit, which keeps the place in
// the stream. The entries are taken whatever fails (a failed write is
// logged, and the events wait in the recorder for its next flush): given
// again, they would be kept twice.
func (r *Recorder) mirror(ctx context.Context, entries []fleet.Entry, commit func(context.Context) error) error {
	for _, e := range entries {
		switch {
		case e.Event != nil:
			r.record(*e.Event)
		case e.Traffic != nil:
			// A sample of another gateway adds its traffic, never its
			// app's state: that is the app this gateway supervises.
			s := Sample{Time: e.Traffic.Time, Requests: e.Traffic.Requests, Banned: e.Traffic.Banned,
				BansActive: -1, Restarts: -1, CPU: -1, RSS: -1}
			if err := r.hist.AddSample(ctx, s); err != nil {
				r.log.LogAttrs(ctx, slog.LevelError, "console history", slog.String("error", err.Error()))
			}
		}
	}
	if r.flush(ctx) != nil {
		return nil // logged; the place is kept with the next batch
	}
	if err := commit(ctx); err != nil {
		r.log.LogAttrs(ctx, slog.LevelError, "console history", slog.String("error", err.Error()))
	}
	return nil
}

// fleetState reads one value of the console_fleet table, "" if unset.
// instanceLease is how long a gateway's claim on its instance id outlives
// its last renewal, which comes every third of it; claimWait bounds one
// claim (at start, or a renewal), which no request waits for.
const (
	instanceLease = time.Minute
	claimWait     = 2 * time.Second
)

func claimInstance(ctx context.Context, sh *fleet.Shared, inst, owner string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, claimWait)
	defer cancel()
	return sh.ClaimInstance(ctx, inst, owner, instanceLease)
}

// instanceOwner names who runs a gateway in its instance claim: the host
// and the store's path, which a restart keeps and a copy of the store
// (an image cloned with it) does not.
func instanceOwner(store string) string {
	host, _ := os.Hostname()
	if abs, err := filepath.Abs(store); err == nil {
		store = abs
	}
	return host + ":" + store
}

// fleetInstance returns this gateway's instance id, kept in the store so
// that a restart never reads back its own entries. A store copied to
// another gateway carries the same id, and the two would never read each
// other's entries; so the id is claimed in Redis for its owner, and a
// gateway that finds it held by another owner takes a new one and says
// so. While Redis does not answer the stored id is kept unchecked.
func (c *Console) fleetInstance(ctx context.Context, sh *fleet.Shared, owner string) (string, error) {
	inst, err := fleetState(ctx, c.db.DB, "instance")
	if err != nil {
		return "", err
	}
	for range 3 {
		if inst == "" {
			var b [12]byte
			rand.Read(b[:])
			inst = hex.EncodeToString(b[:])
			if err := setFleetState(ctx, c.db.DB, "instance", inst); err != nil {
				return "", err
			}
		}
		holder, err := claimInstance(ctx, sh, inst, owner)
		if err != nil || holder == "" {
			return inst, nil
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "fleet: this store's instance id is in use by another gateway (a copy of this store?); taking a new one",
			slog.String("instance", inst), slog.String("holder", holder))
		inst = ""
	}
	return "", errors.New("console: joining the fleet: every instance id tried is in use")
}

// holdInstance renews the claim on inst until ctx ends (taking it again
// after a Redis outage let it lapse). If another owner took it meanwhile,
// two gateways share the id and do not see each other's events: it says
// so, once.
func (c *Console) holdInstance(ctx context.Context, sh *fleet.Shared, inst, owner string) {
	t := time.NewTicker(instanceLease / 3)
	defer t.Stop()
	warned := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		holder, err := claimInstance(ctx, sh, inst, owner)
		if err == nil && holder != "" && !warned {
			warned = true
			c.log.LogAttrs(ctx, slog.LevelError, "fleet: another gateway took this gateway's instance id while Redis was away; restart one of them so it takes a new id",
				slog.String("instance", inst), slog.String("holder", holder))
		}
	}
}

func fleetState(ctx context.Context, db *sql.DB, key string) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM console_fleet WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("console: reading the fleet's %s: %w", key, err)
	}
	return v, nil
}

func setFleetState(ctx context.Context, db *sql.DB, key, value string) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO console_fleet(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("console: keeping the fleet's %s: %w", key, err)
	}
	return nil
}

package watch

import (
	"context"
	"log/slog"
	"net/netip"
	"time"
)

// Enforce keeps fw equal to the bans list returns: a full Sync at start,
// then every `every` (or when poke receives) only the differences. Bans
// made or lifted by other processes sharing the store (bulwark bans, the
// gateway) are picked up by the next round. It returns when ctx is done.
func Enforce(ctx context.Context, fw Firewall, list func(context.Context) ([]Block, error), every time.Duration, poke <-chan struct{}, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	applied := map[netip.Prefix]time.Time{} // when each entry times out in the kernel; zero: never
	synced := false
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		blocks, err := list(ctx)
		if err == nil {
			if !synced {
				err = fw.Sync(ctx, blocks)
				if err == nil {
					synced = true
					clear(applied)
					for p, until := range wanted(blocks, time.Now()) {
						applied[p] = until
					}
				}
			} else {
				err = apply(ctx, fw, applied, blocks)
			}
		}
		if err != nil && ctx.Err() == nil {
			log.LogAttrs(ctx, slog.LevelError, "firewall", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-poke:
		}
	}
}

// apply adds the blocks not yet applied, adds again those whose end has
// moved (a ban extended or made permanent replaces the one in force, and the
// kernel would otherwise drop the entry at the old time), and removes those
// gone. A block's expiry is the kernel's: entries time out there on their own.
func apply(ctx context.Context, fw Firewall, applied map[netip.Prefix]time.Time, blocks []Block) error {
	now := time.Now()
	want := wanted(blocks, now)
	for p, until := range want {
		if at, ok := applied[p]; ok && sameEnd(at, until) {
			continue
		}
		var d time.Duration
		if !until.IsZero() {
			d = until.Sub(now)
		}
		if err := fw.Add(ctx, Block{Prefix: p, For: d}); err != nil {
			return err
		}
		applied[p] = until
	}
	for p := range applied {
		if _, ok := want[p]; !ok {
			if err := fw.Remove(ctx, p); err != nil {
				return err
			}
			delete(applied, p)
		}
	}
	return nil
}

// wanted maps each blocked network to when its block ends (zero: never),
// the latest where several blocks name one network.
func wanted(blocks []Block, now time.Time) map[netip.Prefix]time.Time {
	want := make(map[netip.Prefix]time.Time, len(blocks))
	for _, b := range blocks {
		p := b.Prefix.Masked()
		until := time.Time{}
		if b.For > 0 {
			until = now.Add(b.For)
		}
		if at, ok := want[p]; ok && (at.IsZero() || (!until.IsZero() && at.After(until))) {
			continue
		}
		want[p] = until
	}
	return want
}

// sameEnd reports whether two block ends are the same, allowing for the
// time between listing the bans and applying them.
func sameEnd(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	return a.Sub(b).Abs() < time.Second
}

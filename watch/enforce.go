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
	applied := map[netip.Prefix]bool{}
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
					for _, b := range blocks {
						applied[b.Prefix.Masked()] = true
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

// apply adds the blocks not yet applied and removes those gone. A block's
// expiry is the kernel's: entries time out there on their own.
func apply(ctx context.Context, fw Firewall, applied map[netip.Prefix]bool, blocks []Block) error {
	want := make(map[netip.Prefix]bool, len(blocks))
	for _, b := range blocks {
		p := b.Prefix.Masked()
		want[p] = true
		if !applied[p] {
			if err := fw.Add(ctx, Block{Prefix: p, For: b.For}); err != nil {
				return err
			}
			applied[p] = true
		}
	}
	for p := range applied {
		if !want[p] {
			if err := fw.Remove(ctx, p); err != nil {
				return err
			}
			delete(applied, p)
		}
	}
	return nil
}

package alert

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// SendTest builds the notifier called name from cfg and sends it a test
// notification, without a store and without touching the outbox, so it
// is safe to run while a gateway delivers from the same store. It is what
// bulwark alert test --notifier NAME runs.
func SendTest(ctx context.Context, cfg Config, name string, o NotifierOptions) error {
	c, ok := cfg.Notifiers[name]
	if !ok {
		known := sortedKeys(cfg.Notifiers)
		if len(known) == 0 {
			return fmt.Errorf("no notifier %q: none is configured (add one under alerts.notifiers in bulwark.yaml)", name)
		}
		return fmt.Errorf("no notifier %q (known: %s)", name, strings.Join(known, ", "))
	}
	tlsConfig, err := cfg.tlsConfig(o.TLSConfig)
	if err != nil {
		return err
	}
	o.TLSConfig = tlsConfig
	n, err := newNotifier(name, c, o)
	if err != nil {
		return err
	}
	if cl, ok := n.(interface{ close() }); ok {
		defer cl.close()
	}
	return sendTest(ctx, n, name, o.Clock)
}

func sendTest(ctx context.Context, n Notifier, name string, clock func() time.Time) error {
	if clock == nil {
		clock = time.Now
	}
	now := clock()
	note := Notification{ID: event.NewID(), Rule: "test", Status: StatusFiring, Severity: "info", Time: now, Test: true,
		Summary:     "Test notification from Bulwark",
		Description: "If you read this, the " + name + " notifier works.",
		Alerts:      []Alert{{Status: StatusFiring, StartsAt: now, Count: 1, Message: "bulwark alert test --notifier " + name}}}
	if err := n.Notify(ctx, note); err != nil {
		return fmt.Errorf("notifier %s: %w", name, err)
	}
	return nil
}

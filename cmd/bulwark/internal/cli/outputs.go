package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bulwark-sec/bulwark/alert"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/ship"
)

// outputs are where a long-running command's events go: the event output
// (events.output), the sinks with their spools (ship.sinks) and the alert
// rules with their notifiers (alerts).
type outputs struct {
	closeOut func()
	shipper  *ship.Shipper
	alerter  *alert.Alerter
}

// openOutputs subscribes the outputs to bus. The spools of command
// ("guard", "watch") live next to the store, one directory per command:
// a spool has one writer.
func openOutputs(ctx context.Context, cfg fileConfig, st *state, bus *event.Bus, reg prometheus.Registerer,
	command string, stdout, stderr io.Writer, log *slog.Logger) (*outputs, error) {
	o := &outputs{closeOut: func() {}}
	out, closeOut, err := eventOutput(cfg.Events.Output, stdout, stderr)
	if err != nil {
		return nil, usageError{err}
	}
	o.closeOut = closeOut
	switch {
	case out != nil && cfg.eventLines:
		bus.Subscribe("output", 0, eventLines(out, logPalette(true)))
	case out != nil:
		bus.Subscribe("output", 0, event.NewJSONLWriter(out, log).Handle)
	}
	opts := ship.Options{
		Dir: filepath.Join(filepath.Dir(cfg.Store.Path), "bulwark-spool", command), Stdout: stdout,
		Logger: log.With(slog.String("component", "ship")), Publish: bus.Publish, Registerer: reg,
	}
	if o.shipper, err = ship.New(cfg.Ship, opts); err != nil {
		o.Close()
		return nil, err
	}
	bus.Subscribe("ship", 1<<16, o.shipper.Handle)
	o.alerter, err = alert.New(ctx, cfg.Alerts, alert.Options{DB: st.db, Publish: bus.Publish,
		Logger: log.With(slog.String("component", "alert"))})
	if err != nil {
		o.Close()
		return nil, usageError{fmt.Errorf("alerts: %w", err)}
	}
	bus.Subscribe("alerts", 0, o.alerter.Handle)
	return o, nil
}

// Close closes the outputs; call it after the bus is closed, which lets
// them take the events still buffered.
func (o *outputs) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if o.shipper != nil {
		o.shipper.Close(ctx)
	}
	if o.alerter != nil {
		o.alerter.Close(ctx)
	}
	o.closeOut()
}

package ship

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// A Sink delivers batches of events to one destination. Send returns nil
// only once every record of the batch is handed over as durably as the
// destination allows; on an error the whole batch is sent again later, so
// a receiver may see an event twice and should drop repeats by event.id.
// Send is called from one goroutine at a time; it must not keep batch
// after it returns, and must give up when ctx is done.
type Sink interface {
	Send(ctx context.Context, batch []Record) error
	Close() error
}

// A Record is one spooled event: its ECS JSON, which most sinks send as
// is. Sinks that need the fields call Event.
type Record struct {
	JSON []byte // the event's ECS JSON as spooled, without a newline
}

// Event decodes the record.
func (r Record) Event() (event.Event, error) {
	var e event.Event
	err := json.Unmarshal(r.JSON, &e)
	return e, err
}

// RetryAfterError is a refusal that says when to come back (HTTP 429 or
// 503 with Retry-After). The shipper waits at least After before sending
// the batch again.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.After)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// Compile-time checks that every sink is a Sink.
var (
	_ Sink = (*File)(nil)
	_ Sink = (*Writer)(nil)
	_ Sink = (*Syslog)(nil)
	_ Sink = (*LogstashTCP)(nil)
	_ Sink = (*LogstashHTTP)(nil)
	_ Sink = (*Webhook)(nil)
)

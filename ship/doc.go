// Package ship sends events out, durably: to rotating JSONL files, stdout,
// syslog (RFC 5424 over TCP, TLS or UDP), Logstash (json_lines over TCP or
// TLS, or batched HTTP) and signed webhooks, any number at once, each with
// its own filter.
//
// # Delivery
//
// [Shipper.Handle] appends each event that passes a sink's filter to that
// sink's spool, an on-disk queue in <dir>/<sink>/: segment files of
// length-prefixed, CRC-32C-checked records, and state.json, the
// acknowledged position, replaced atomically (temporary file, fsync,
// rename). One goroutine per sink reads batches in order, sends them, and
// acknowledges a batch only after the sink took it; a failed send is
// retried, in order, with exponential backoff and full jitter (and at least
// a receiver's Retry-After). Delivery is at least once: after a failed
// send, a crash, or a restart (a new Shipper on the same directory), some
// events can arrive twice, always with the same event.id, by which
// receivers drop repeats.
//
// # Durability window
//
// With spool.fsync: batch (the default), appended events are written and
// fsynced together every spool.interval (50ms), so a power loss or kernel
// crash can lose the events of the last interval; a crash of the process
// alone loses the events not yet written, also at most one interval's
// worth. With spool.fsync: always, Handle returns only after the event is
// fsynced (while the disk takes writes; see Full disk): nothing
// acknowledged to the bus is lost, at the cost of one fsync per event. The
// acknowledged position is persisted at the same interval, so a crash
// repeats at most an interval's worth of deliveries.
// After a crash, a torn or corrupt tail of a segment is found by its CRC,
// logged and cut off; the complete records before it are kept.
//
// Syslog and json_lines over TCP have no acknowledgements: bytes the
// kernel accepted are counted as delivered. The sink checks before each
// batch that the receiver has not closed the connection, so a receiver
// that shuts down (or drops an idle connection) loses nothing, but one
// that crashes with unread bytes in its socket loses them. Use
// logstash-http or a webhook where that matters.
//
// # Disk budget
//
// Each spool holds at most spool.maxBytes (256MiB). Beyond it the oldest
// segment of undelivered events is dropped: the drop is counted
// ([Shipper.Stats], bulwark_ship_events_dropped_total), logged, and
// reported as a ship-dropped alert event through Options.Publish.
//
// # Full disk
//
// When the disk refuses a spool's writes (full, over quota, read-only, an
// I/O error), its events are held in memory and written again after
// spool.interval, then twice as long each time, up to 5s. Its log says so
// once when the writes start failing and once when they succeed again,
// with how many events were held and how many dropped; the tries between
// are logged at debug level. At most spool.maxHeld events (10,000) or
// spool.maxHeldBytes (16MiB) are held: beyond that new events are dropped
// and the held ones kept, so what reaches the sink is every event up to
// the bound, in order, then those after the disk has room. Drops are
// counted (bulwark_ship_events_dropped_total, with
// bulwark_ship_spool_held_events and
// bulwark_ship_spool_write_failures_total beside it) and reported once as
// a ship-dropped alert event. Held events are lost if the process stops
// before the disk has room (logged and counted at Close); fsync: always
// cannot hold Handle back meanwhile, so it holds them the same way.
//
// The spool directories are 0700 and their files 0600; ship narrows wider
// modes it finds, with a log line (a sticky, shared directory such as /tmp
// given as ship.dir is left alone, with a warning).
//
// # Webhook signatures
//
// A webhook request carries X-Bulwark-Timestamp (Unix seconds) and
// X-Bulwark-Signature: sha256=HEX(HMAC-SHA256(secret, timestamp + "." +
// body)). A receiver recomputes the MAC over the raw body, compares it in
// constant time, rejects timestamps more than a few minutes from its clock
// (replays), and drops events whose event.id it has already seen. [Verify]
// does the first two steps in Go; in Node:
//
//	const mac = crypto.createHmac("sha256", secret).update(ts + "." + rawBody).digest("hex");
//	const ok = crypto.timingSafeEqual(Buffer.from("sha256=" + mac), Buffer.from(sig))
//	  && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
package ship

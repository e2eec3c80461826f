package ship

import (
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Config is the ship section of bulwark.yaml. The zero value ships nothing.
type Config struct {
	// Dir holds one spool directory per sink, <dir>/<sink name>/. If empty,
	// the directory the caller passes in [Options] (bulwark guard: the
	// directory "bulwark-spool" next to the store file).
	Dir string `yaml:"dir,omitempty"`
	// Sinks are where events go, any number at once. If empty, none.
	Sinks []SinkConfig `yaml:"sinks,omitempty"`
}

// Sink types.
const (
	TypeFile         = "file"
	TypeStdout       = "stdout"
	TypeSyslog       = "syslog"
	TypeLogstashTCP  = "logstash-tcp"
	TypeLogstashHTTP = "logstash-http"
	TypeWebhook      = "webhook"
)

// SinkConfig is one destination of events. Which keys apply depends on
// Type; a key set for a type that does not use it is an error.
type SinkConfig struct {
	// Name identifies the sink in logs, metrics and events, and names its
	// spool directory: letters, digits, "-" and "_". Required, unique.
	Name string `yaml:"name"`
	// Type is file, stdout, syslog, logstash-tcp, logstash-http or webhook.
	// Required.
	Type string `yaml:"type"`

	// Address is host:port (syslog, logstash-tcp; Papertrail's
	// destination as shown, e.g. logs5.papertrailapp.com:12345). Required
	// for those types.
	Address string `yaml:"address,omitempty"`
	// URL is where batches are POSTed (logstash-http, webhook). Required
	// for those types; http or https.
	URL string `yaml:"url,omitempty"`
	// Transport is tcp or udp (syslog only; TLS is set with tls). If
	// empty, tcp.
	Transport string `yaml:"transport,omitempty"`
	// TLS turns on TLS for syslog and logstash-tcp ("tls: true" for the
	// system roots), and sets trust for https URLs. If absent, plain TCP.
	TLS *TLSConfig `yaml:"tls,omitempty"`
	// Framing is octet-counting (RFC 6587 §3.4.1) or newline (syslog over
	// TCP). If empty, octet-counting with TLS and newline without.
	Framing string `yaml:"framing,omitempty"`
	// Format is what is sent: for syslog, the MSG part, ecs (the ECS JSON)
	// or text (the event's message); for logstash-http, json (a JSON array
	// per batch) or ndjson (one object per line). If empty, ecs and json.
	Format string `yaml:"format,omitempty"`
	// Facility is the syslog facility name (kern … local7). If empty,
	// local0.
	Facility string `yaml:"facility,omitempty"`
	// Hostname is the syslog HOSTNAME. If empty, the machine's host name.
	Hostname string `yaml:"hostname,omitempty"`

	// Path is the JSONL file (file only). Required for that type. Rotated
	// files are renamed beside it: events.2026-11-30T15-04-05.jsonl.
	Path string `yaml:"path,omitempty"`
	// MaxSize rotates the file once it would grow beyond it. If zero, 100MiB.
	MaxSize config.Size `yaml:"maxSize,omitempty"`
	// MaxAge rotates the file once it has been written to for this long
	// (counted from when this process opened it, or from its last write if
	// it is found older). If zero, 1d.
	MaxAge time.Duration `yaml:"maxAge,omitempty"`
	// Keep is how many rotated files are kept; older ones are removed. If
	// zero, 7.
	Keep int `yaml:"keep,omitempty"`

	// Secret is the webhook's HMAC-SHA256 key (see the package doc for
	// verifying it). Required for webhook; use ${ENV} to keep it out of
	// the file.
	Secret config.Secret `yaml:"secret,omitempty"`
	// Timeout bounds one send: dial, TLS handshake and write, or one HTTP
	// request. If zero, 10s.
	Timeout time.Duration `yaml:"timeout,omitempty"`

	// Batch sets how many events go out at once.
	Batch BatchConfig `yaml:"batch,omitempty"`
	// Retry sets the backoff between failed sends.
	Retry RetryConfig `yaml:"retry,omitempty"`
	// Filter chooses the events this sink gets. If empty, all.
	Filter Filter `yaml:"filter,omitempty"`
	// Spool sets the sink's on-disk queue.
	Spool SpoolConfig `yaml:"spool,omitempty"`
}

// TLSConfig is the client side of TLS.
type TLSConfig struct {
	// Disable turns TLS off ("tls: false").
	Disable bool `yaml:"disable,omitempty"`
	// CAFile is a PEM file of the CAs trusted for the server's certificate.
	// If empty, the system roots.
	CAFile string `yaml:"caFile,omitempty"`
	// ServerName is the name checked in the server's certificate. If
	// empty, the host of the address or URL.
	ServerName string `yaml:"serverName,omitempty"`
	// InsecureSkipVerify accepts any certificate: for tests only, never
	// in production. If false (the default), certificates are verified.
	InsecureSkipVerify bool `yaml:"insecureSkipVerify,omitempty"`
}

// BatchConfig bounds a batch.
type BatchConfig struct {
	// Size is the most events sent at once. If zero, 500 for logstash-http
	// and webhook, 1000 for the others.
	Size int `yaml:"size,omitempty"`
	// Interval is how long a batch waits to fill once it has an event. If
	// zero, 1s for logstash-http and webhook; the others send what is
	// there at once.
	Interval time.Duration `yaml:"interval,omitempty"`
}

// RetryConfig is exponential backoff with full jitter: the n-th wait is
// random in [0, min(max, initial·2ⁿ)). A Retry-After from the receiver
// makes the wait at least that long.
type RetryConfig struct {
	// Initial is the first backoff ceiling. If zero, 500ms.
	Initial time.Duration `yaml:"initial,omitempty"`
	// Max caps the backoff. If zero, 1m.
	Max time.Duration `yaml:"max,omitempty"`
}

// Fsync policies of a spool.
const (
	FsyncBatch  = "batch"
	FsyncAlways = "always"
)

// SpoolConfig is one sink's durable queue.
type SpoolConfig struct {
	// MaxBytes is the disk budget. Beyond it the oldest undelivered events
	// are dropped (counted, logged, and reported as a ship-dropped event).
	// If zero, 256MiB.
	MaxBytes config.Size `yaml:"maxBytes,omitempty"`
	// Fsync is batch (group commit: events appended within one interval
	// are written and fsynced together, so a power loss can lose up to
	// one interval of events) or always (fsync before Handle returns; no
	// loss, and a few hundred events a second). If empty, batch.
	Fsync string `yaml:"fsync,omitempty"`
	// Interval is the group-commit interval of fsync: batch, and how late
	// an event may reach the sink. If zero, 50ms. It is also the first
	// wait before writing again after the disk refused a write (full, over
	// quota, read-only); each next wait doubles, up to 5s.
	Interval time.Duration `yaml:"interval,omitempty"`
	// MaxHeld bounds the events held in memory while the disk refuses
	// writes (full, over quota, read-only, failing); it does not apply to
	// the events of one interval on a disk that takes writes. At the
	// bound new events are dropped (the held ones are
	// kept, and written and delivered in order once the disk takes writes
	// again); the drops are counted in bulwark_ship_events_dropped_total,
	// logged when the spool writes again, and reported once as a
	// ship-dropped event. If zero, 10000.
	MaxHeld int `yaml:"maxHeld,omitempty"`
	// MaxHeldBytes bounds the same events by their size. If zero, 16MiB.
	MaxHeldBytes config.Size `yaml:"maxHeldBytes,omitempty"`
}

// withDefaults fills the documented defaults.
func (c SinkConfig) withDefaults() SinkConfig {
	batching := c.Type == TypeLogstashHTTP || c.Type == TypeWebhook
	if c.Transport == "" {
		c.Transport = "tcp"
	}
	if c.TLS != nil && c.TLS.Disable {
		c.TLS = nil
	}
	if c.Framing == "" {
		c.Framing = FramingNewline
		if c.TLS != nil {
			c.Framing = FramingOctet
		}
	}
	if c.Format == "" {
		c.Format = map[string]string{TypeSyslog: "ecs", TypeLogstashHTTP: "json"}[c.Type]
	}
	if c.Facility == "" {
		c.Facility = "local0"
	}
	if c.MaxSize == 0 {
		c.MaxSize = 100 << 20
	}
	if c.MaxAge == 0 {
		c.MaxAge = 24 * time.Hour
	}
	if c.Keep == 0 {
		c.Keep = 7
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Batch.Size == 0 {
		c.Batch.Size = 1000
		if batching {
			c.Batch.Size = 500
		}
	}
	if c.Batch.Interval == 0 && batching {
		c.Batch.Interval = time.Second
	}
	if c.Retry.Initial == 0 {
		c.Retry.Initial = 500 * time.Millisecond
	}
	if c.Retry.Max == 0 {
		c.Retry.Max = time.Minute
	}
	if c.Spool.MaxBytes == 0 {
		c.Spool.MaxBytes = 256 << 20
	}
	if c.Spool.Fsync == "" {
		c.Spool.Fsync = FsyncBatch
	}
	if c.Spool.Interval == 0 {
		c.Spool.Interval = 50 * time.Millisecond
	}
	if c.Spool.MaxHeld == 0 {
		c.Spool.MaxHeld = defaultMaxHeld
	}
	if c.Spool.MaxHeldBytes == 0 {
		c.Spool.MaxHeldBytes = defaultMaxHeldBytes
	}
	return c
}

package ship

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Validate reports every bad sink, each at its key, and repeated names.
func (c Config) Validate() error {
	var errs []error
	seen := map[string]int{}
	for i, s := range c.Sinks {
		if err := s.Validate(); err != nil {
			errs = append(errs, config.Within(fmt.Sprintf("sinks[%d]", i), err))
		}
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			errs = append(errs, config.Field(fmt.Sprintf("sinks[%d].name", i),
				fmt.Errorf("%q is already the name of sinks[%d]; each sink needs its own name (it names its spool directory)", s.Name, j)))
		}
		seen[s.Name] = i
	}
	return errors.Join(errs...)
}

var types = []string{TypeFile, TypeStdout, TypeSyslog, TypeLogstashTCP, TypeLogstashHTTP, TypeWebhook}

// Validate reports every bad value of one sink, each at its key.
func (c SinkConfig) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	switch {
	case c.Name == "":
		bad("name", "required: a short name such as papertrail (it names the spool directory)")
	case strings.Trim(c.Name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" || c.Name[0] == '-':
		bad("name", "%q: use letters, digits, - and _ only (it names the spool directory)", c.Name)
	}
	stream := c.Type == TypeSyslog || c.Type == TypeLogstashTCP
	post := c.Type == TypeLogstashHTTP || c.Type == TypeWebhook
	switch {
	case c.Type == "":
		bad("type", "required: one of %s", strings.Join(types, ", "))
	case !stream && !post && c.Type != TypeFile && c.Type != TypeStdout:
		bad("type", "unknown type %q: use one of %s", c.Type, strings.Join(types, ", "))
	}
	switch {
	case stream && c.Address == "":
		bad("address", "required for %s: the receiver's host:port, e.g. logs.example.com:6514", c.Type)
	case stream:
		if _, port, err := net.SplitHostPort(c.Address); err != nil {
			bad("address", "%q is not host:port (%v); e.g. logs.example.com:6514", c.Address, err)
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			bad("address", "%q: the port must be a number from 1 to 65535", c.Address)
		}
	case c.Address != "":
		bad("address", "not used by type %s%s", c.Type, map[bool]string{true: "; did you mean url?"}[post])
	}
	switch {
	case post && c.URL == "":
		bad("url", "required for %s: where batches are POSTed, e.g. https://logstash.example.com:8080/", c.Type)
	case post:
		if u, err := url.Parse(c.URL); err != nil {
			// The URL itself is not repeated: it may hold an API key.
			bad("url", "not a URL: %v", errors.Unwrap(err))
		} else if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("url", "%q: want an absolute http:// or https:// URL", redactURL(c.URL))
		}
	case c.URL != "":
		bad("url", "not used by type %s%s", c.Type, map[bool]string{true: "; did you mean address?"}[stream])
	}
	switch c.Transport {
	case "", "tcp":
	case "udp":
		if c.Type != TypeSyslog {
			bad("transport", "udp is for syslog only")
		} else if c.TLS != nil && !c.TLS.Disable {
			bad("transport", "TLS needs tcp; remove tls or use transport: tcp")
		}
	default:
		bad("transport", "must be tcp or udp, got %q (for TLS set tls)", c.Transport)
	}
	switch c.Framing {
	case "", FramingOctet, FramingNewline:
	default:
		bad("framing", "must be %s or %s, got %q", FramingOctet, FramingNewline, c.Framing)
	}
	switch {
	case c.Format == "":
	case c.Type == TypeSyslog && c.Format != "ecs" && c.Format != "text":
		bad("format", "syslog format is ecs or text, got %q", c.Format)
	case c.Type == TypeLogstashHTTP && c.Format != "json" && c.Format != "ndjson":
		bad("format", "logstash-http format is json or ndjson, got %q", c.Format)
	case c.Type != TypeSyslog && c.Type != TypeLogstashHTTP:
		bad("format", "not used by type %s", c.Type)
	}
	if _, ok := facilities[c.Facility]; c.Facility != "" && !ok {
		bad("facility", "unknown syslog facility %q: use kern, user, daemon, auth, authpriv, local0 … local7", c.Facility)
	}
	if c.Type == TypeFile && c.Path == "" {
		bad("path", "required for file: the JSONL file, e.g. /var/log/bulwark/events.jsonl")
	}
	if c.Type == TypeWebhook && c.Secret == "" {
		bad("secret", "required for webhook: the HMAC key, e.g. ${BULWARK_WEBHOOK_SECRET}")
	}
	if c.MaxSize < 0 {
		bad("maxSize", "must be at least 0")
	}
	if c.Keep < 0 {
		bad("keep", "must be at least 0")
	}
	if c.Batch.Size < 0 {
		bad("batch.size", "must be at least 0")
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"maxAge", c.MaxAge}, {"timeout", c.Timeout}, {"batch.interval", c.Batch.Interval},
		{"retry.initial", c.Retry.Initial}, {"retry.max", c.Retry.Max}, {"spool.interval", c.Spool.Interval}} {
		if d.v < 0 {
			bad(d.key, "must be at least 0s, got %s", config.FormatDuration(d.v))
		}
	}
	if c.Retry.Max > 0 && c.Retry.Max < c.Retry.Initial {
		bad("retry.max", "must be at least retry.initial (%s)", config.FormatDuration(c.Retry.Initial))
	}
	switch {
	case c.Spool.MaxBytes != 0 && c.Spool.MaxBytes < minSpoolBytes:
		bad("spool.maxBytes", "must be at least %s, got %s", config.Size(minSpoolBytes), c.Spool.MaxBytes)
	}
	if c.Spool.MaxHeld < 0 {
		bad("spool.maxHeld", "must be at least 0, got %d", c.Spool.MaxHeld)
	}
	if c.Spool.MaxHeldBytes != 0 && c.Spool.MaxHeldBytes < maxRecord+headerLen {
		bad("spool.maxHeldBytes", "must be at least %s (one event of the largest size), got %s", config.Size(maxRecord+headerLen), c.Spool.MaxHeldBytes)
	}
	switch c.Spool.Fsync {
	case "", FsyncBatch, FsyncAlways:
	default:
		bad("spool.fsync", "must be batch or always, got %q", c.Spool.Fsync)
	}
	if err := c.Filter.Validate(); err != nil {
		errs = append(errs, config.Within("filter", err))
	}
	return errors.Join(errs...)
}

// minSpoolBytes is the smallest disk budget: room for a few segments.
const minSpoolBytes = 64 << 10

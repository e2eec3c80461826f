package ship

import (
	"context"
	"net/http"
)

// LogstashHTTP POSTs batches to Logstash's http input: a JSON array of ECS
// objects, or NDJSON with format: ndjson. On 429 or 503 it honours
// Retry-After.
type LogstashHTTP struct {
	p      *poster
	ndjson bool
	buf    []byte
}

// NewLogstashHTTP returns a sink for a valid cfg of type logstash-http.
func NewLogstashHTTP(cfg SinkConfig) (*LogstashHTTP, error) {
	cfg = cfg.withDefaults()
	p, err := newPoster(cfg)
	if err != nil {
		return nil, err
	}
	return &LogstashHTTP{p: p, ndjson: cfg.Format == "ndjson"}, nil
}

// Send posts the batch in one request.
func (l *LogstashHTTP) Send(ctx context.Context, batch []Record) error {
	h := http.Header{"Content-Type": {"application/json"}}
	if l.ndjson {
		h.Set("Content-Type", "application/x-ndjson")
		l.buf = appendLines(l.buf[:0], batch)
	} else {
		l.buf = appendArray(l.buf[:0], batch)
	}
	return l.p.post(ctx, l.buf, h)
}

// Close releases idle connections.
func (l *LogstashHTTP) Close() error {
	l.p.close()
	return nil
}

// appendArray appends the records as one JSON array.
func appendArray(b []byte, batch []Record) []byte {
	b = append(b, '[')
	for i, r := range batch {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r.JSON...)
	}
	return append(b, ']')
}

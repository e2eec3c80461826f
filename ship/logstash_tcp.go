package ship

import (
	"context"
	"fmt"
	"net"
)

// LogstashTCP sends one ECS JSON object per line over TCP or TLS, for
// Logstash's tcp input with the json_lines codec.
type LogstashTCP struct {
	stream *streamConn
	buf    []byte
}

// NewLogstashTCP returns a json_lines sink for a valid cfg of type
// logstash-tcp. It connects at the first Send.
func NewLogstashTCP(cfg SinkConfig) (*LogstashTCP, error) {
	cfg = cfg.withDefaults()
	host, _, err := net.SplitHostPort(cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("address: %w", err)
	}
	t, err := clientTLS(cfg.TLS, host)
	if err != nil {
		return nil, err
	}
	return &LogstashTCP{stream: &streamConn{network: "tcp", address: cfg.Address, tls: t, timeout: cfg.Timeout}}, nil
}

// Send writes the batch as JSON lines in one write.
func (l *LogstashTCP) Send(ctx context.Context, batch []Record) error {
	l.buf = appendLines(l.buf[:0], batch)
	return l.stream.write(ctx, l.buf)
}

// Close closes the connection.
func (l *LogstashTCP) Close() error { return l.stream.close() }

// appendLines appends each record's JSON and a newline.
func appendLines(b []byte, batch []Record) []byte {
	for _, r := range batch {
		b = append(append(b, r.JSON...), '\n')
	}
	return b
}

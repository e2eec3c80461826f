package ship

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
)

// maxDatagram bounds a syslog message over UDP; longer ones are cut.
const maxDatagram = 8192

// Syslog sends RFC 5424 messages over TCP, TLS (RFC 5425) or UDP (RFC
// 5426). Over TCP and TLS they are framed by octet counting or a trailing
// newline; over UDP each is one datagram.
type Syslog struct {
	cfg      SinkConfig
	facility int
	hostname string
	procID   string
	stream   *streamConn
	udp      net.Conn
	buf, msg []byte
}

// NewSyslog returns a syslog sink for a valid cfg of type syslog. It
// connects at the first Send.
func NewSyslog(cfg SinkConfig) (*Syslog, error) {
	cfg = cfg.withDefaults()
	host, _, err := net.SplitHostPort(cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("address: %w", err)
	}
	t, err := clientTLS(cfg.TLS, host)
	if err != nil {
		return nil, err
	}
	s := &Syslog{cfg: cfg, facility: facilities[cfg.Facility], hostname: cfg.Hostname, procID: strconv.Itoa(os.Getpid())}
	if s.hostname == "" {
		s.hostname, _ = os.Hostname()
	}
	if cfg.Transport == "tcp" {
		s.stream = &streamConn{network: "tcp", address: cfg.Address, tls: t, timeout: cfg.Timeout}
	}
	return s, nil
}

// Send writes the batch: over TCP in one write, over UDP one datagram each.
func (s *Syslog) Send(ctx context.Context, batch []Record) error {
	if s.stream == nil {
		return s.sendUDP(ctx, batch)
	}
	s.buf = s.buf[:0]
	for _, r := range batch {
		s.msg = s.format(s.msg[:0], r)
		if s.cfg.Framing == FramingOctet {
			s.buf = strconv.AppendInt(s.buf, int64(len(s.msg)), 10)
			s.buf = append(s.buf, ' ')
			s.buf = append(s.buf, s.msg...)
		} else {
			s.buf = append(append(s.buf, s.msg...), '\n')
		}
	}
	return s.stream.write(ctx, s.buf)
}

// format renders one record. A record whose JSON does not decode (it
// passed the spool's CRC, so only a future format change could cause it)
// still goes out, with the JSON as its message and no structured data.
func (s *Syslog) format(b []byte, r Record) []byte {
	e, _ := r.Event()
	msg := r.JSON
	if s.cfg.Format == "text" {
		msg = textMessage(e)
	}
	return appendRFC5424(b, e, msg, s.facility, s.hostname, s.procID)
}

func (s *Syslog) sendUDP(ctx context.Context, batch []Record) error {
	if s.udp == nil {
		var d net.Dialer
		c, err := d.DialContext(ctx, "udp", s.cfg.Address)
		if err != nil {
			return fmt.Errorf("syslog over udp to %s: %w", s.cfg.Address, err)
		}
		s.udp = c
	}
	for _, r := range batch {
		s.msg = s.format(s.msg[:0], r)
		if len(s.msg) > maxDatagram {
			s.msg = s.msg[:maxDatagram]
		}
		if _, err := s.udp.Write(s.msg); err != nil {
			s.udp.Close()
			s.udp = nil
			return fmt.Errorf("syslog over udp to %s: %w", s.cfg.Address, err)
		}
	}
	return nil
}

// Close closes the connection.
func (s *Syslog) Close() error {
	if s.udp != nil {
		s.udp.Close()
	}
	if s.stream != nil {
		return s.stream.close()
	}
	return nil
}

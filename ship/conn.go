package ship

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// A streamConn is a TCP (or TLS) connection to a receiver that only
// listens, redialled after any error. Before each write it checks that the
// receiver has not closed its side, so a connection the receiver dropped
// while idle (or is shutting down) is not written into. Bytes written just
// before a receiver crashes can still be lost: syslog and json_lines have
// no acknowledgements (see the package doc).
type streamConn struct {
	network, address string
	tls              *tls.Config
	timeout          time.Duration

	conn net.Conn
}

// write sends b whole, dialling first if needed.
func (s *streamConn) write(ctx context.Context, b []byte) error {
	if s.conn != nil && !s.alive() {
		s.close()
	}
	if s.conn == nil {
		if err := s.dial(ctx); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	s.conn.SetWriteDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { s.conn.SetWriteDeadline(time.Unix(1, 0)) })
	_, err := s.conn.Write(b)
	stop()
	if err != nil {
		s.close()
		return fmt.Errorf("writing to %s: %w", s.address, err)
	}
	return nil
}

func (s *streamConn) dial(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	d := net.Dialer{KeepAlive: 30 * time.Second}
	c, err := d.DialContext(ctx, s.network, s.address)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", s.address, err)
	}
	if s.tls != nil {
		tc := tls.Client(c, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return fmt.Errorf("TLS handshake with %s: %w", s.address, err)
		}
		c = tc
	}
	s.conn = c
	return nil
}

// alive reports whether the receiver still has its side open.
func (s *streamConn) alive() bool {
	raw := s.conn
	if tc, ok := raw.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	pending, open := peek(raw)
	if !open {
		return false
	}
	if !pending {
		return true
	}
	// The receiver sent something: for TLS, a close_notify or a session
	// ticket; read it to tell which. Receivers of these protocols send no
	// data, so whatever else comes is discarded.
	s.conn.SetReadDeadline(time.Now().Add(5 * time.Millisecond))
	defer s.conn.SetReadDeadline(time.Time{})
	var buf [512]byte
	_, err := s.conn.Read(buf[:])
	var ne net.Error
	return err == nil || (errors.As(err, &ne) && ne.Timeout()) && !errors.Is(err, io.EOF)
}

func (s *streamConn) close() error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conn = nil
	return err
}

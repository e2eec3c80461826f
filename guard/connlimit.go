package guard

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// A connLimiter is a listener that bounds the connections one client holds
// open at once, so that one address cannot take the server's connections
// (slow or idle) from everyone else. A client is an IPv4 address or an
// IPv6 /64, the block one subscriber gets; trusted proxies, which carry
// many clients, are never limited. A connection over the limit is answered
// with a short 429 and closed, before any of its bytes reach net/http.
//
// A connLimiter is safe for concurrent use.
type connLimiter struct {
	net.Listener
	max     int
	trusted func(netip.Addr) bool
	refused prometheus.Counter
	log     *slog.Logger

	mu     sync.Mutex
	open   map[netip.Prefix]int
	logged time.Time // when a refusal was last logged
	quiet  int       // refusals since, not logged
	// answering bounds the refused connections being answered at once;
	// past it they are closed without an answer.
	answering chan struct{}
}

// logEvery is how often refusals are logged, at most.
const logEvery = time.Minute

func newConnLimiter(l net.Listener, max int, trusted func(netip.Addr) bool, refused prometheus.Counter, log *slog.Logger) *connLimiter {
	return &connLimiter{
		Listener: l, max: max, trusted: trusted, refused: refused, log: log,
		open: map[netip.Prefix]int{}, answering: make(chan struct{}, 64),
	}
}

// clientKey is the block a peer address counts against.
func clientKey(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// Accept returns the next connection within its client's limit.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ap, perr := netip.ParseAddrPort(c.RemoteAddr().String())
		if perr != nil || l.trusted(ap.Addr()) {
			return c, nil
		}
		key := clientKey(ap.Addr())
		l.mu.Lock()
		if l.open[key] >= l.max {
			l.noteRefused(key)
			l.mu.Unlock()
			l.refuse(c)
			continue
		}
		l.open[key]++
		l.mu.Unlock()
		return &limitedConn{Conn: c, l: l, key: key}, nil
	}
}

// noteRefused counts a refusal and logs one line per logEvery. l.mu is held.
func (l *connLimiter) noteRefused(key netip.Prefix) {
	l.refused.Inc()
	now := time.Now()
	if now.Sub(l.logged) < logEvery {
		l.quiet++
		return
	}
	l.log.LogAttrs(context.Background(), slog.LevelWarn, "connection refused: the client holds too many open",
		slog.String("client", key.String()), slog.Int("limit", l.max),
		slog.Int("refusedSinceLastLog", l.quiet), slog.String("setting", "server.maxConnsPerClient"))
	l.logged, l.quiet = now, 0
}

const tooManyConns = "HTTP/1.1 429 Too Many Requests\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 52\r\n" +
	"Retry-After: 5\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" +
	"Too many open connections from your address (429).\n"

// refuse answers c with a 429 and closes it, off the accepting goroutine
// and within a second; if many are being answered already, it just closes.
func (l *connLimiter) refuse(c net.Conn) {
	select {
	case l.answering <- struct{}{}:
	default:
		c.Close()
		return
	}
	go func() {
		defer func() { <-l.answering }()
		defer c.Close()
		c.SetDeadline(time.Now().Add(time.Second))
		if _, err := io.WriteString(c, tooManyConns); err != nil {
			return
		}
		// Closing with the request unread would reset the connection and
		// could discard the answer before the client reads it: half-close,
		// then drain briefly.
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		io.Copy(io.Discard, io.LimitReader(c, 64<<10))
	}()
}

// A limitedConn gives its client's place back when closed.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	key  netip.Prefix
	once sync.Once
}

func (c *limitedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.open[c.key]--; c.l.open[c.key] <= 0 {
			delete(c.l.open, c.key)
		}
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

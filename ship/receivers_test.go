package ship

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/octetcounting"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/bulwark-sec/bulwark/event"
)

// A streamReceiver is a loopback TCP (or TLS) server that can go down and
// come back on the same address. Going down is graceful, as a receiver's
// shutdown is: it stops accepting, closes its write side, and reads what
// each sender still sends until the sender closes (or 5s pass).
type streamReceiver struct {
	t      testing.TB
	tls    *tls.Config
	handle func(net.Conn) // reads one connection until EOF
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func newStreamReceiver(t testing.TB, tlsConf *tls.Config, handle func(net.Conn)) *streamReceiver {
	r := &streamReceiver{t: t, tls: tlsConf, handle: handle, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	r.start()
	t.Cleanup(r.close)
	return r
}

func (r *streamReceiver) start() {
	r.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the old port can take a moment to be free again
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatalf("receiver listen: %v", err)
	}
	if r.tls != nil {
		ln = tls.NewListener(ln, r.tls)
	}
	r.mu.Lock()
	r.ln, r.addr = ln, ln.Addr().String()
	r.mu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			r.conns[c] = true
			r.mu.Unlock()
			r.wg.Add(1)
			go func() {
				defer r.wg.Done()
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(time.Minute))
				r.handle(c)
				r.mu.Lock()
				delete(r.conns, c)
				r.mu.Unlock()
			}()
		}
	}()
}

// stop takes the receiver down gracefully without waiting for senders.
func (r *streamReceiver) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ln.Close()
	for c := range r.conns {
		var err error
		switch c := c.(type) {
		case *tls.Conn:
			err = c.CloseWrite()
		case *net.TCPConn:
			err = c.CloseWrite()
		default:
			err = errors.New("no CloseWrite")
		}
		if err != nil {
			c.Close()
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
	}
}

func (r *streamReceiver) close() {
	r.mu.Lock()
	r.ln.Close()
	for c := range r.conns {
		c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// A syslogReceiver parses every message with go-syslog's RFC 5424 parser.
type syslogReceiver struct {
	*streamReceiver
	mu   sync.Mutex
	msgs []*rfc5424.SyslogMessage
	errs []error
}

func newSyslogReceiver(t testing.TB, tlsConf *tls.Config, framing string) *syslogReceiver {
	r := &syslogReceiver{}
	emit := func(msg syslog.Message, err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			r.errs = append(r.errs, err)
			return
		}
		m, ok := msg.(*rfc5424.SyslogMessage)
		if !ok {
			r.errs = append(r.errs, errors.New("not an RFC 5424 message"))
			return
		}
		r.msgs = append(r.msgs, m)
	}
	listener := syslog.WithListener(func(res *syslog.Result) { emit(res.Message, res.Error) })
	r.streamReceiver = newStreamReceiver(t, tlsConf, func(c net.Conn) {
		if framing == FramingOctet {
			octetcounting.NewParser(listener, syslog.WithMaxMessageLength(64<<10)).Parse(c)
			return
		}
		// Newline framing: go-syslog's nontransparent package needs a
		// module this one does not require, so lines are split here and
		// each parsed by the same RFC 5424 machine.
		m := rfc5424.NewParser()
		sc := bufio.NewScanner(c)
		sc.Buffer(nil, 64<<10)
		for sc.Scan() {
			msg, err := m.Parse(sc.Bytes())
			emit(msg, err)
		}
	})
	return r
}

// messages returns what has arrived so far, and the parse errors.
func (r *syslogReceiver) messages() ([]*rfc5424.SyslogMessage, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*rfc5424.SyslogMessage(nil), r.msgs...), append([]error(nil), r.errs...)
}

// ids returns the event ids of the messages, from their structured data.
func (r *syslogReceiver) ids() []string {
	msgs, _ := r.messages()
	ids := make([]string, 0, len(msgs))
	for _, m := range msgs {
		id := ""
		if m.StructuredData != nil {
			id = (*m.StructuredData)[sdID]["id"]
		}
		ids = append(ids, id)
	}
	return ids
}

// A linesReceiver decodes each line of a json_lines stream as an event.
type linesReceiver struct {
	*streamReceiver
	mu     sync.Mutex
	events []event.Event
	errs   []error
}

func newLinesReceiver(t testing.TB, tlsConf *tls.Config) *linesReceiver {
	r := &linesReceiver{}
	r.streamReceiver = newStreamReceiver(t, tlsConf, func(c net.Conn) {
		sc := bufio.NewScanner(c)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e event.Event
			err := json.Unmarshal(sc.Bytes(), &e)
			r.mu.Lock()
			if err != nil {
				r.errs = append(r.errs, err)
			} else {
				r.events = append(r.events, e)
			}
			r.mu.Unlock()
		}
	})
	return r
}

func (r *linesReceiver) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, len(r.events))
	for i, e := range r.events {
		ids[i] = e.ID
	}
	return ids
}

// uniqueInOrder de-duplicates ids, keeping first arrivals in order.
func uniqueInOrder(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// testEvent is event i with fields that exercise every sink.
func testEvent(i int) event.Event {
	return event.Event{
		Time: time.Date(2026, 11, 30, 15, 4, 5, i*1000, time.UTC), ID: eventID(i),
		Kind: event.KindAlert, Category: event.CategoryMalicious, Type: "denied", Action: "sqli",
		Outcome: event.OutcomeFailure, Severity: event.Severity(i % 5), Message: "blocked SQL injection",
		SourceIP: netip.MustParseAddr("203.0.113.9"), UserName: "alice", Method: "GET", Status: 403,
		Path: "/search", RuleID: "942100",
	}
}

func eventID(i int) string { return "ev" + leftPad(i) }

func leftPad(i int) string {
	b := []byte("000000")
	for j := len(b) - 1; j >= 0 && i > 0; j-- {
		b[j] = byte('0' + i%10)
		i /= 10
	}
	return string(b)
}

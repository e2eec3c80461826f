package testutil

import (
	"crypto/tls"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// stopper records how a helper stopped the test it was given.
type stopper struct {
	testing.TB
	how, msg string // how is "fatal", "skip" or "" (it returned)
}

func (s *stopper) Helper() {}

func (s *stopper) Fatal(args ...any) { s.stop("fatal", fmt.Sprint(args...)) }
func (s *stopper) Fatalf(format string, args ...any) {
	s.stop("fatal", fmt.Sprintf(format, args...))
}
func (s *stopper) Skipf(format string, args ...any) { s.stop("skip", fmt.Sprintf(format, args...)) }

func (s *stopper) stop(how, msg string) {
	s.how, s.msg = how, msg
	runtime.Goexit()
}

// run calls f with a stopper over t, on a goroutine of its own so that
// stopping does not stop t.
func run(t *testing.T, f func(tb testing.TB)) *stopper {
	s := &stopper{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); f(s) }()
	<-done
	return s
}

func TestRealPartMissing(t *testing.T) {
	for _, tt := range []struct{ ci, want string }{{"", "skip"}, {"true", "fatal"}} {
		t.Setenv("CI", tt.ci)
		s := run(t, func(tb testing.TB) { RealPartMissing(tb, "frobnicator is not installed") })
		if s.how != tt.want || s.msg != "REAL PART MISSING: frobnicator is not installed" {
			t.Errorf("with CI=%q: RealPartMissing %s with %q, want %s with the part named", tt.ci, s.how, s.msg, tt.want)
		}
	}
}

func TestCorpusMissingFails(t *testing.T) {
	s := run(t, func(tb testing.TB) { Corpus(tb, "no-such-corpus") })
	if s.how != "fatal" || !strings.Contains(s.msg, "no-such-corpus") || !strings.Contains(s.msg, "../shared") {
		t.Errorf("Corpus of a missing directory: %s with %q, want a failure naming the path and ../shared", s.how, s.msg)
	}
}

func TestSelfSignedTLS(t *testing.T) {
	cert := SelfSignedTLS(t)
	l, err := tls.Listen("tcp", FreeAddr(t), cert.Server)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return // l closed
			}
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		d := &net.Dialer{Timeout: 10 * time.Second, Deadline: time.Now().Add(10 * time.Second)}
		c, err := tls.DialWithDialer(d, "tcp", net.JoinHostPort("127.0.0.1", port), &tls.Config{RootCAs: cert.Client.RootCAs, ServerName: host})
		if err != nil {
			t.Errorf("TLS to the loopback server as %s: %v", host, err)
			continue
		}
		c.Close()
	}
}

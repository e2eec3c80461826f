package testutil

import (
	"crypto/tls"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// A Mail is one message as an [SMTPServer] took it.
type Mail struct {
	User string // authenticated as
	TLS  bool   // the session was encrypted when MAIL came
	From string
	To   []string
	Data string // the message, headers and body
}

// An SMTPServer is a real SMTP server (go-smtp) on loopback that requires
// AUTH PLAIN before MAIL: STARTTLS with its TLS configuration, or implicit
// TLS. It is safe for concurrent use.
type SMTPServer struct {
	Port int
	// Delivered receives a value per message taken (buffered; never blocks
	// the server).
	Delivered chan struct{}

	mu  sync.Mutex
	got []Mail
}

// StartSMTP starts an SMTP server, stopped when the test ends.
func StartSMTP(t testing.TB, srvTLS *tls.Config, implicit bool, user, password string) *SMTPServer {
	t.Helper()
	s := &SMTPServer{Delivered: make(chan struct{}, 100)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: s, conn: c, user: user, password: password}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = srvTLS
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	if implicit {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srvTLS)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// All returns the messages taken so far.
func (s *SMTPServer) All() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

type smtpSession struct {
	srv            *SMTPServer
	conn           *smtp.Conn
	user, password string
	authed         string
	cur            Mail
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.user || password != s.password {
			return smtp.ErrAuthFailed
		}
		s.authed = username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.authed == "" {
		return smtp.ErrAuthRequired
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.cur = Mail{User: s.authed, TLS: isTLS, From: from}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = string(b)
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, s.cur)
	s.srv.mu.Unlock()
	select {
	case s.srv.Delivered <- struct{}{}:
	default:
	}
	return nil
}

func (s *smtpSession) Reset()        { s.cur = Mail{} }
func (s *smtpSession) Logout() error { return nil }

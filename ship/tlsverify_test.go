package ship

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestSinksVerifyTheReceiversCertificate offers every TLS sink a
// receiver whose certificate it must refuse: one signed by a CA it was
// not told to trust, one the system roots do not know, and a trusted one
// for another name. Each must fail the handshake with a certificate error
// and deliver nothing; the same sink trusting the receiver delivers, so a
// refusal is the check's doing and not a broken receiver.
func TestSinksVerifyTheReceiversCertificate(t *testing.T) {
	served := testutil.SelfSignedTLS(t) // the receiver's certificate
	other := testutil.SelfSignedTLS(t)  // a CA that did not sign it
	type receiver struct {
		addr, url string
		ids       func() []string
	}
	for _, sink := range []struct {
		name  string
		start func(t *testing.T) receiver
		make  func(addr, url string, tc *TLSConfig) (Sink, error)
	}{
		{"syslog", func(t *testing.T) receiver {
			r := newSyslogReceiver(t, served.Server, FramingOctet)
			return receiver{addr: r.addr, ids: r.ids}
		}, func(addr, _ string, tc *TLSConfig) (Sink, error) {
			return NewSyslog(SinkConfig{Name: "s", Type: TypeSyslog, Address: addr, TLS: tc, Timeout: 5 * time.Second})
		}},
		{"logstash-tcp", func(t *testing.T) receiver {
			r := newLinesReceiver(t, served.Server)
			return receiver{addr: r.addr, ids: r.ids}
		}, func(addr, _ string, tc *TLSConfig) (Sink, error) {
			return NewLogstashTCP(SinkConfig{Name: "l", Type: TypeLogstashTCP, Address: addr, TLS: tc, Timeout: 5 * time.Second})
		}},
		{"logstash-http", func(t *testing.T) receiver {
			r := newHTTPSReceiver(t, served.Server)
			return receiver{url: r.URL + "/", ids: r.ids}
		}, func(_, url string, tc *TLSConfig) (Sink, error) {
			return NewLogstashHTTP(SinkConfig{Name: "h", Type: TypeLogstashHTTP, URL: url, TLS: tc, Timeout: 5 * time.Second})
		}},
		{"webhook", func(t *testing.T) receiver {
			r := newHTTPSReceiver(t, served.Server)
			return receiver{url: r.URL + "/", ids: r.ids}
		}, func(_, url string, tc *TLSConfig) (Sink, error) {
			return NewWebhook(SinkConfig{Name: "w", Type: TypeWebhook, URL: url, Secret: "k", TLS: tc, Timeout: 5 * time.Second}, nil)
		}},
	} {
		for _, tc := range []struct {
			name   string
			tls    *TLSConfig
			refuse bool
		}{
			{"untrusted CA", &TLSConfig{CAFile: other.CAFile}, true},
			{"system roots", &TLSConfig{}, true},
			{"wrong name", &TLSConfig{CAFile: served.CAFile, ServerName: "logs.bulwark.example"}, true},
			{"trusted", &TLSConfig{CAFile: served.CAFile}, false},
		} {
			t.Run(sink.name+"/"+tc.name, func(t *testing.T) {
				r := sink.start(t)
				s, err := sink.make(r.addr, r.url, tc.tls)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				err = s.Send(context.Background(), records(t, testEvent(1)))
				if !tc.refuse {
					if err != nil {
						t.Fatalf("Send to a receiver it trusts: %v", err)
					}
					testutil.Eventually(t, "the event", func() bool { return len(r.ids()) == 1 })
					return
				}
				var cv *tls.CertificateVerificationError
				if !errors.As(err, &cv) {
					t.Fatalf("Send to a receiver with a certificate it must refuse (%s) = %v, want a certificate verification error", tc.name, err)
				}
				s.Close()
				if ids := r.ids(); len(ids) != 0 {
					t.Errorf("receiver got %v over a connection the sink should have refused", ids)
				}
			})
		}
	}
}

// An httpsReceiver is an HTTPS server that counts the posts it gets.
type httpsReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	posts []string
}

func newHTTPSReceiver(t *testing.T, conf *tls.Config) *httpsReceiver {
	r := &httpsReceiver{}
	r.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, string(body))
		r.mu.Unlock()
	}))
	r.Server.TLS = conf.Clone()
	r.Server.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	r.StartTLS()
	t.Cleanup(r.Close)
	return r
}

// ids returns the bodies posted so far (one per Send of one event).
func (r *httpsReceiver) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.posts...)
}

package ship

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestSinkConformance runs every sink against its real receiver with the
// same contract: two batches arrive whole and in order, a cancelled
// context makes network sinks give up, and Close can be called twice.
func TestSinkConformance(t *testing.T) {
	cert := testutil.SelfSignedTLS(t)
	srvTLS, caFile := cert.Server, cert.CAFile
	type setup struct {
		sink     Sink
		received func() []string
	}
	for _, tc := range []struct {
		name    string
		network bool
		make    func(t *testing.T) setup
	}{
		{"file", false, func(t *testing.T) setup {
			path := filepath.Join(t.TempDir(), "events.jsonl")
			f, _ := NewFile(SinkConfig{Name: "f", Type: TypeFile, Path: path}, nil)
			return setup{f, func() []string { return fileIDs(t, path) }}
		}},
		{"stdout", false, func(t *testing.T) setup {
			var b strings.Builder
			return setup{NewWriter(&b), func() []string { return lineIDs(t, b.String()) }}
		}},
		{"syslog-tls", true, func(t *testing.T) setup {
			r := newSyslogReceiver(t, srvTLS, FramingOctet)
			s, err := NewSyslog(SinkConfig{Name: "s", Type: TypeSyslog, Address: r.addr, TLS: &TLSConfig{CAFile: caFile}})
			if err != nil {
				t.Fatal(err)
			}
			return setup{s, r.ids}
		}},
		{"logstash-tcp-tls", true, func(t *testing.T) setup {
			r := newLinesReceiver(t, srvTLS)
			s, err := NewLogstashTCP(SinkConfig{Name: "l", Type: TypeLogstashTCP, Address: r.addr, TLS: &TLSConfig{CAFile: caFile}})
			if err != nil {
				t.Fatal(err)
			}
			return setup{s, r.ids}
		}},
		{"logstash-tcp", true, func(t *testing.T) setup {
			r := newLinesReceiver(t, nil)
			s, _ := NewLogstashTCP(SinkConfig{Name: "l", Type: TypeLogstashTCP, Address: r.addr})
			return setup{s, r.ids}
		}},
		{"webhook", true, func(t *testing.T) setup {
			r := newWebhookReceiver(t, "k")
			s, _ := NewWebhook(SinkConfig{Name: "w", Type: TypeWebhook, URL: r.URL, Secret: "k"}, nil)
			return setup{s, func() []string { ids, _ := r.received(); return ids }}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.make(t)
			var want []string
			for b := range 2 {
				var es []event.Event
				for i := range 25 {
					es = append(es, testEvent(b*25+i))
					want = append(want, eventID(b*25+i))
				}
				if err := st.sink.Send(context.Background(), records(t, es...)); err != nil {
					t.Fatalf("Send batch %d: %v", b, err)
				}
			}
			testutil.Eventually(t, "50 events", func() bool { return len(st.received()) >= 50 })
			if diff := cmp.Diff(want, st.received()); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
			if tc.network {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				st.sink.Close() // force a new connection, which a done ctx must refuse
				if err := st.sink.Send(ctx, records(t, testEvent(99))); err == nil {
					t.Error("Send with a cancelled context succeeded")
				}
			}
			if err := st.sink.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if err := st.sink.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

func fileIDs(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return lineIDs(t, string(b))
}

func lineIDs(t *testing.T, s string) []string {
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var e event.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Errorf("line %q: %v", sc.Text(), err)
		}
		ids = append(ids, e.ID)
	}
	return ids
}

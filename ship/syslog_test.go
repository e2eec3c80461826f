package ship

import (
	"context"
	"encoding/json"
	"net"
	"testing"
	"time"

	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

func TestSyslogOverTCPAndTLSParsesAsRFC5424(t *testing.T) {
	cert := testutil.SelfSignedTLS(t)
	srvTLS, caFile := cert.Server, cert.CAFile
	for _, tc := range []struct {
		name    string
		tls     bool
		framing string
	}{
		{"tls-octet", true, FramingOctet},
		{"tls-newline", true, FramingNewline},
		{"tcp-octet", false, FramingOctet},
		{"tcp-newline", false, FramingNewline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := SinkConfig{Name: "s", Type: TypeSyslog, Framing: tc.framing, Hostname: "gw 1"}
			var recv *syslogReceiver
			if tc.tls {
				recv = newSyslogReceiver(t, srvTLS, tc.framing)
				cfg.TLS = &TLSConfig{CAFile: caFile}
			} else {
				recv = newSyslogReceiver(t, nil, tc.framing)
			}
			cfg.Address = recv.addr
			s, err := NewSyslog(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			tricky := testEvent(1)
			tricky.UserName = `a"b\c]d é`
			tricky.Action = "sql injection attempt with a long action name"
			batch := records(t, testEvent(0), tricky, testEvent(4))
			if err := s.Send(context.Background(), batch); err != nil {
				t.Fatal(err)
			}
			testutil.Eventually(t, "3 messages", func() bool { m, e := recv.messages(); return len(m)+len(e) >= 3 })
			msgs, errs := recv.messages()
			if len(errs) > 0 {
				t.Fatalf("parse errors: %v", errs)
			}
			for i, m := range msgs {
				e, _ := batch[i].Event()
				checkSyslog(t, m, e)
			}
		})
	}
}

// checkSyslog compares a parsed message with the event it came from.
func checkSyslog(t *testing.T, m *rfc5424.SyslogMessage, e event.Event) {
	t.Helper()
	if got, want := int(*m.Severity), syslogSeverity(e.Severity); got != want {
		t.Errorf("severity = %d, want %d", got, want)
	}
	if *m.Facility != 16 || *m.Appname != "bulwark" || *m.Hostname != "gw_1" {
		t.Errorf("facility, app, host = %d, %s, %s; want 16, bulwark, gw_1", *m.Facility, *m.Appname, *m.Hostname)
	}
	wantMsgID := e.Action
	if len(wantMsgID) > 32 {
		wantMsgID = "sql_injection_attempt_with_a_lon"
	}
	if *m.MsgID != wantMsgID {
		t.Errorf("MSGID = %q, want %q", *m.MsgID, wantMsgID)
	}
	if !m.Timestamp.Equal(e.Time.Truncate(time.Microsecond)) {
		t.Errorf("timestamp = %v, want %v", m.Timestamp, e.Time)
	}
	sd := (*m.StructuredData)[sdID]
	for k, want := range map[string]string{"id": e.ID, "category": string(e.Category), "action": e.Action,
		"ip": e.SourceIP.String(), "user": e.UserName, "rule": e.RuleID, "kind": string(e.Kind)} {
		if sd[k] != want {
			t.Errorf("SD %s = %q, want %q", k, sd[k], want)
		}
	}
	var back event.Event
	if err := json.Unmarshal([]byte(*m.Message), &back); err != nil || back.ID != e.ID {
		t.Errorf("MSG is not the event's ECS JSON: %v, %q", err, *m.Message)
	}
}

func records(t testing.TB, es ...event.Event) []Record {
	out := make([]Record, len(es))
	for i, e := range es {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Record{JSON: b}
	}
	return out
}

func TestSyslogOverUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	s, err := NewSyslog(SinkConfig{Name: "u", Type: TypeSyslog, Transport: "udp", Address: pc.LocalAddr().String(), Format: "text", Hostname: "gw"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := testEvent(3)
	e.Message = "two\nlines"
	if err := s.Send(context.Background(), records(t, e)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 65536)
	pc.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, _, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := rfc5424.NewParser().Parse(buf[:n])
	if err != nil {
		t.Fatalf("parsing %q: %v", buf[:n], err)
	}
	m := msg.(*rfc5424.SyslogMessage)
	if *m.Message != "two lines" || (*m.StructuredData)[sdID]["id"] != e.ID {
		t.Errorf("message %q, SD %v", *m.Message, *m.StructuredData)
	}
}

func TestSyslogParamEscaping(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`plain`, `plain`},
		{`a"b`, `a\"b`},
		{`a\b`, `a\\b`},
		{`a]b`, `a\]b`},
		{"bad\xffutf8", "bad\uFFFDutf8"},
	} {
		if got := string(appendParamValue(nil, tc.in)); got != tc.want {
			t.Errorf("appendParamValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

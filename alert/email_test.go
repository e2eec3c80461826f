package alert

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

const smtpPassword = "smtp-pa55-Zq8"

func emailConfig(port int, mode string) NotifierConfig {
	return NotifierConfig{Type: TypeEmail, Host: "127.0.0.1", Port: port, TLS: mode, Username: "bulwark",
		Password: config.Secret(smtpPassword), From: "Bulwark <bulwark@example.com>",
		To: []string{"ops@example.com", "sec@example.com"}, Timeout: 10 * time.Second}
}

func testNotification() Notification {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return Notification{ID: "n1", Rule: "malicious-burst", Status: StatusFiring, Severity: "high",
		Summary: "Attack burst from 192.0.2.1", Description: "Bulwark blocked <script> payloads.", Time: t0,
		Alerts: []Alert{{Status: StatusFiring, Labels: map[string]string{"source.ip": "192.0.2.1"}, StartsAt: t0, Count: 981, Message: "sqli in query"}}}
}

func TestEmail(t *testing.T) {
	cert := testutil.SelfSignedTLS(t)
	srvTLS, cliTLS := cert.Server, cert.Client
	for _, mode := range []string{TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			srv := testutil.StartSMTP(t, srvTLS, mode == TLSImplicit, "bulwark", smtpPassword)
			e, err := NewEmail("ops-mail", emailConfig(srv.Port, mode), NotifierOptions{TLSConfig: cliTLS})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := e.Notify(ctx, testNotification()); err != nil {
				t.Fatal(err)
			}
			got := srv.All()
			if len(got) != 1 {
				t.Fatalf("server received %d mails, want 1", len(got))
			}
			m := got[0]
			if !m.TLS || m.User != "bulwark" || m.From != "bulwark@example.com" || strings.Join(m.To, ",") != "ops@example.com,sec@example.com" {
				t.Errorf("envelope: tls %v user %q from %q to %v", m.TLS, m.User, m.From, m.To)
			}
			checkMessage(t, m.Data)
		})
	}
}

func checkMessage(t *testing.T, data string) {
	t.Helper()
	if strings.Contains(data, smtpPassword) {
		t.Error("the message contains the SMTP password")
	}
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "[FIRING high] Attack burst from 192.0.2.1" {
		t.Errorf("Subject = %q", subject)
	}
	if msg.Header.Get("Date") == "" || msg.Header.Get("Message-Id") == "" || !strings.Contains(msg.Header.Get("To"), "sec@example.com") {
		t.Errorf("headers: %v", msg.Header)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, want multipart/alternative", msg.Header.Get("Content-Type"))
	}
	parts := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts[ct] = string(b)
	}
	if txt := parts["text/plain"]; !strings.Contains(txt, "Attack burst from 192.0.2.1") || !strings.Contains(txt, "events=981") ||
		!strings.Contains(txt, "<script>") {
		t.Errorf("text part:\n%s", txt)
	}
	if html := parts["text/html"]; !strings.Contains(html, "<h2") || !strings.Contains(html, "&lt;script&gt;") ||
		strings.Contains(html, "<script>") {
		t.Errorf("HTML part (must escape):\n%s", html)
	}
}

func TestEmailWrongPasswordIsPermanent(t *testing.T) {
	cert := testutil.SelfSignedTLS(t)
	srvTLS, cliTLS := cert.Server, cert.Client
	srv := testutil.StartSMTP(t, srvTLS, false, "bulwark", "other")
	e, err := NewEmail("ops-mail", emailConfig(srv.Port, TLSStartTLS), NotifierOptions{TLSConfig: cliTLS})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = e.Notify(ctx, testNotification())
	if err == nil || !IsPermanent(err) || strings.Contains(err.Error(), smtpPassword) {
		t.Errorf("Notify with a wrong password = %v, want a permanent error without the password", err)
	}
}

func TestEmailUntrustedCertificate(t *testing.T) {
	srvTLS := testutil.SelfSignedTLS(t).Server
	srv := testutil.StartSMTP(t, srvTLS, false, "bulwark", smtpPassword)
	e, err := NewEmail("ops-mail", emailConfig(srv.Port, TLSStartTLS), NotifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.Notify(ctx, testNotification()); err == nil {
		t.Error("mail sent to a server with an untrusted certificate")
	}
	if n := len(srv.All()); n != 0 {
		t.Errorf("server received %d mails", n)
	}
}

func TestEmailCustomTemplate(t *testing.T) {
	cert := testutil.SelfSignedTLS(t)
	srvTLS, cliTLS := cert.Server, cert.Client
	srv := testutil.StartSMTP(t, srvTLS, true, "bulwark", smtpPassword)
	dir := t.TempDir()
	path := dir + "/subject.tmpl"
	if err := writeFile(path, `ALERT {{.Rule}} {{.Values "source.ip"}}`); err != nil {
		t.Fatal(err)
	}
	c := emailConfig(srv.Port, TLSImplicit)
	c.Templates.Subject = path
	e, err := NewEmail("ops-mail", c, NotifierOptions{TLSConfig: cliTLS})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.Notify(ctx, testNotification()); err != nil {
		t.Fatal(err)
	}
	msg, _ := mail.ReadMessage(strings.NewReader(srv.All()[0].Data))
	if got := msg.Header.Get("Subject"); got != "ALERT malicious-burst 192.0.2.1" {
		t.Errorf("Subject = %q", got)
	}
	c.Templates.Subject = dir + "/missing.tmpl"
	if _, err := NewEmail("ops-mail", c, NotifierOptions{}); err == nil || !strings.Contains(err.Error(), "missing.tmpl") {
		t.Errorf("NewEmail with a missing template = %v", err)
	}
}

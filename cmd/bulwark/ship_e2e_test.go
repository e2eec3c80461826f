package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/octetcounting"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestShipAlertEndToEnd closes issue 6: the real guard binary in front of
// the real Express app ships its events to a syslog-over-TLS receiver, a
// json_lines receiver and a signed webhook, and an attack burst from three
// addresses becomes exactly one email (through a real SMTP server, with
// STARTTLS and AUTH) and one SMS request (Twilio's Messages API format),
// with no secret in the gateway's log or in anything a receiver got.
func TestShipAlertEndToEnd(t *testing.T) {
	appDir := testutil.ExpressAppDir(t)
	tmp := t.TempDir()
	cert := testutil.SelfSignedTLS(t)
	srvTLS, caFile := cert.Server, cert.CAFile

	// Distinct, greppable secrets: any of them showing up anywhere but in
	// the protocol exchange that needs it is a leak.
	smtpPassword := "smtp-pw-" + randHex()
	twilioToken := "twilio-token-" + randHex()
	hookSecret := "hook-secret-" + randHex()
	const twilioSID = "AC0123456789abcdef0123456789abcdef"

	sys := startSyslogTLS(t, srvTLS)
	lines := startJSONLines(t)
	hook := startSignedWebhook(t, srvTLS, hookSecret)
	smtpSrv := testutil.StartSMTP(t, srvTLS, false, "bulwark", smtpPassword)
	sms := startTwilio(t, srvTLS, twilioSID, twilioToken)

	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, appPort, _ := net.SplitHostPort(appAddr)
	eventsFile := filepath.Join(tmp, "events.jsonl")
	cfg := filepath.Join(tmp, "bulwark.yaml")
	// Scenarios are off so that each attacker keeps producing blocked
	// attacks (rather than 403s from the black book) up to the
	// malicious-burst threshold of 20 per address.
	yaml := `
trustedProxies: [127.0.0.1/32]
store: {path: ` + filepath.Join(tmp, "bulwark.db") + `}
events: {output: ` + eventsFile + `}
scenarios: {disable: true}
ship:
  sinks:
    - name: siem
      type: syslog
      address: ` + sys.addr + `
      tls: {caFile: ` + caFile + `}
      framing: octet-counting
    - name: logstash
      type: logstash-tcp
      address: ` + lines.addr + `
      filter: {categories: [malicious]}
    - name: hook
      type: webhook
      url: ` + hook.srv.URL + `/bulwark
      tls: {caFile: ` + caFile + `}
      secret: ` + hookSecret + `
      batch: {interval: 200ms}
alerts:
  route: {groupWait: 2s}
  notifiers:
    mail:
      type: email
      host: 127.0.0.1
      port: ` + strconv.Itoa(smtpSrv.Port) + `
      tls: starttls
      username: bulwark
      password: ${E2E_SMTP_PASSWORD}
      from: bulwark@example.com
      to: [ops@example.com]
    sms:
      type: sms
      accountSid: ` + twilioSID + `
      authToken: ${E2E_TWILIO_TOKEN}
      from: "+15005550006"
      to: ["+15551234567"]
      baseUrl: ` + sms.srv.URL + `
  rules:
    malicious-burst: {notify: [mail, sms]}
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	// The notifiers trust the system roots only (alerts have no caFile),
	// so the test CA is made the system roots of the gateway's process.
	g := startLoggedGuard(t, []string{"HOST=127.0.0.1", "PORT=" + appPort, "SSL_CERT_FILE=" + caFile,
		"E2E_SMTP_PASSWORD=" + smtpPassword, "E2E_TWILIO_TOKEN=" + twilioToken},
		"guard", "--config", cfg, "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
		"--run", "node "+filepath.Join(appDir, "server.js"))
	testutil.Eventually(t, "the app behind the gateway", func() bool {
		if g.exited() {
			t.Fatalf("guard exited before it was ready:\n%s", g.stderr.String())
		}
		return strings.Contains(readFile(eventsFile), `"action":"process-ready"`)
	})

	// The burst: 25 attacks from each of three addresses, round robin, so
	// the three cross the threshold within three requests of each other
	// and fall in the same notification group.
	attackers := []string{"203.0.113.7", "203.0.113.8", "203.0.113.9"}
	attacks := []string{
		"/search?q=" + url.QueryEscape("' UNION SELECT id, name, value FROM secrets--"),
		"/search?q=" + url.QueryEscape("<script>alert(1)</script>"),
		"/download?file=" + url.QueryEscape("../../../etc/passwd"),
	}
	client := &http.Client{Timeout: 10 * time.Second}
	const perAttacker = 25
	for i := range perAttacker * len(attackers) {
		req, _ := http.NewRequest("GET", "http://"+pub+attacks[(i/len(attackers))%len(attacks)], nil)
		req.Header.Set("X-Forwarded-For", attackers[i%len(attackers)])
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("attack %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("attack %d (%s from %s) = %d, want 403", i, req.URL, attackers[i%len(attackers)], resp.StatusCode)
		}
	}
	total := perAttacker * len(attackers)

	// The gateway's own event output says which attack events exist; each
	// receiver must get every one of them (at least once: by id).
	var want []string
	testutil.Eventually(t, fmt.Sprintf("%d attack-blocked events in the event output", total), func() bool {
		want = attackIDs(eventsFile, attackers)
		return len(want) >= total
	})
	if len(want) != total {
		t.Fatalf("%d attack-blocked events in the event output, want %d (one per blocked request)", len(want), total)
	}

	t.Run("syslog over TLS", func(t *testing.T) {
		testutil.Eventually(t, "every attack event at the syslog receiver", func() bool { return len(missing(want, sys.ids())) == 0 })
		msgs, errs := sys.results()
		if len(errs) > 0 {
			t.Errorf("%d messages are not RFC 5424 (first: %v)", len(errs), errs[0])
		}
		checked := 0
		for _, m := range msgs {
			sd := bulwarkSD(m)
			if !slices.Contains(want, sd["id"]) {
				continue
			}
			checked++
			if sd["category"] != "malicious" || sd["action"] != "attack-blocked" || !slices.Contains(attackers, sd["ip"]) {
				t.Errorf("syslog structured data %v, want category malicious, action attack-blocked and an attacker's ip", sd)
			}
			if m.Appname == nil || *m.Appname != "bulwark" || m.MsgID == nil || *m.MsgID != "attack-blocked" {
				t.Errorf("syslog header APP-NAME %v MSGID %v, want bulwark attack-blocked", str(m.Appname), str(m.MsgID))
			}
			var ecs ecsDoc
			if m.Message == nil || json.Unmarshal([]byte(*m.Message), &ecs) != nil || ecs.Event.ID != sd["id"] {
				t.Errorf("syslog MSG %q is not the event's ECS JSON with id %s", str(m.Message), sd["id"])
			}
		}
		var others []string
		for _, m := range msgs {
			if !slices.Contains(want, bulwarkSD(m)["id"]) {
				others = append(others, str(m.MsgID))
			}
		}
		t.Logf("%d syslog messages, %d of them attack events; the others: %v", len(msgs), checked, others)
	})

	t.Run("json_lines", func(t *testing.T) {
		testutil.Eventually(t, "every attack event at the json_lines receiver", func() bool { return len(missing(want, lines.ids())) == 0 })
		docs, errs := lines.results()
		if len(errs) > 0 {
			t.Errorf("%d lines are not JSON objects (first: %v)", len(errs), errs[0])
		}
		for _, d := range docs {
			// The sink's filter passes only the malicious category.
			if d.Event.Category != "malicious" || d.Event.ID == "" || d.Timestamp == "" || d.Event.Kind == "" {
				t.Errorf("json_lines object %+v, want ECS with @timestamp, event.id, event.kind and event.category malicious", d)
			}
		}
	})

	t.Run("signed webhook", func(t *testing.T) {
		testutil.Eventually(t, "every attack event at the webhook", func() bool {
			if _, bad := hook.stats(); bad != nil {
				t.Fatalf("a webhook request failed verification: %v", bad)
			}
			return len(missing(want, hook.ids())) == 0
		})
		batches, bad := hook.stats()
		if bad != nil {
			t.Errorf("a webhook request failed verification: %v", bad)
		}
		t.Logf("%d verified webhook batches", batches)
	})

	t.Run("one email and one SMS for the burst", func(t *testing.T) {
		testutil.Eventually(t, "the email and the SMS", func() bool { return len(smtpSrv.All()) >= 1 && len(sms.all()) >= 1 })
		// Nothing more may follow: the three attackers are one group.
		// (The default groupInterval, 5m, is when an update could come.)
		time.Sleep(3 * time.Second)
		mails, texts := smtpSrv.All(), sms.all()
		if len(mails) != 1 || len(texts) != 1 {
			t.Fatalf("after the burst: %d emails and %d SMS requests, want exactly 1 and 1", len(mails), len(texts))
		}
		m := mails[0]
		if !m.TLS || m.User != "bulwark" || m.From != "bulwark@example.com" || !slices.Equal(m.To, []string{"ops@example.com"}) {
			t.Errorf("email envelope: tls=%v auth=%q from=%q to=%q, want STARTTLS, AUTH as bulwark, bulwark@example.com to ops@example.com",
				m.TLS, m.User, m.From, m.To)
		}
		subject, body, err := decodeMail(m.Data)
		if err != nil {
			t.Fatalf("decoding the email: %v\n%s", err, m.Data)
		}
		if !strings.Contains(subject, "Attack burst") {
			t.Errorf("email subject %q, want the malicious-burst summary", subject)
		}
		for _, ip := range attackers {
			if !strings.Contains(body, ip) {
				t.Errorf("the grouped email does not name attacker %s:\n%s", ip, body)
			}
		}
		x := texts[0]
		t.Logf("email %q; SMS %q", subject, x.form.Get("Body"))
		if x.err != "" {
			t.Errorf("SMS request: %s", x.err)
		}
		if x.form.Get("To") != "+15551234567" || x.form.Get("From") != "+15005550006" || !strings.Contains(x.form.Get("Body"), "Attack burst") {
			t.Errorf("SMS form %v, want To +15551234567, From +15005550006 and the burst summary in Body", x.form)
		}
	})

	// Stop the gateway (its shutdown logs count too), then look for the
	// secrets everywhere they must not be.
	if err := g.stop(); err != nil {
		t.Errorf("guard did not stop cleanly: %v", err)
	}
	places := map[string]string{
		"the gateway's stderr":   g.stderr.String(),
		"the gateway's stdout":   g.stdout.String(),
		"the syslog stream":      sys.rawBytes(),
		"the json_lines stream":  lines.rawBytes(),
		"the webhook bodies":     hook.rawBytes(),
		"the email (DATA)":       strings.Join(mapSlice(smtpSrv.All(), func(r testutil.Mail) string { return r.Data }), "\n"),
		"the SMS request bodies": strings.Join(mapSlice(sms.all(), func(r twilioReq) string { return r.form.Encode() }), "\n"),
		// The event output, the spools, the store (outbox, alert state)…
		"the gateway's files": filesText(tmp, cfg),
	}
	noSecrets(t, places, map[string]string{"SMTP password": smtpPassword, "Twilio auth token": twilioToken, "webhook secret": hookSecret})
}

// noSecrets reports each secret found in one of the places (name: text).
func noSecrets(t *testing.T, places, secrets map[string]string) {
	t.Helper()
	for name, secret := range secrets {
		for place, text := range places {
			if strings.Contains(text, secret) {
				t.Errorf("the %s appears in %s", name, place)
			}
		}
	}
}

// ---- the gateway process ----

type loggedGuard struct {
	t              *testing.T
	cmd            *exec.Cmd
	stdout, stderr *testutil.SyncBuffer
	done           chan struct{}
	err            error
}

// startLoggedGuard runs the binary in a temp dir, keeping its stdout and
// stderr (startGuard discards stderr), and stops it at cleanup.
func startLoggedGuard(t *testing.T, env []string, args ...string) *loggedGuard {
	t.Helper()
	g := &loggedGuard{t: t, stdout: &testutil.SyncBuffer{}, stderr: &testutil.SyncBuffer{}, done: make(chan struct{})}
	g.cmd = exec.Command(buildBulwark(t), args...)
	g.cmd.Dir = t.TempDir()
	g.cmd.Env = append(os.Environ(), append([]string{"BULWARK_HOME=" + g.cmd.Dir}, env...)...) // state in the temp dir
	g.cmd.Stdout, g.cmd.Stderr = g.stdout, g.stderr
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { g.err = g.cmd.Wait(); close(g.done) }()
	t.Cleanup(func() {
		g.stop()
		if t.Failed() {
			t.Logf("guard's stderr:\n%s", g.stderr.String())
		}
	})
	return g
}

func (g *loggedGuard) exited() bool {
	select {
	case <-g.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM and waits up to 15s for the exit.
func (g *loggedGuard) stop() error {
	if g.exited() {
		return g.err
	}
	g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.done:
		return g.err
	case <-time.After(15 * time.Second):
		g.cmd.Process.Kill()
		<-g.done
		return errors.New("still running 15s after SIGTERM; killed")
	}
}

// ---- the events ----

// ecsDoc is the part of an ECS event the test looks at.
type ecsDoc struct {
	Timestamp string `json:"@timestamp"`
	Event     struct {
		ID       string `json:"id"`
		Kind     string `json:"kind"`
		Category string `json:"category"`
		Action   string `json:"action"`
	} `json:"event"`
	Source struct {
		IP string `json:"ip"`
	} `json:"source"`
}

// attackIDs returns the ids of the attack-blocked events from attackers in
// the gateway's event output.
func attackIDs(path string, attackers []string) []string {
	var ids []string
	for _, line := range strings.Split(readFile(path), "\n") {
		var d ecsDoc
		if json.Unmarshal([]byte(line), &d) != nil {
			continue
		}
		if d.Event.Action == "attack-blocked" && d.Event.Category == "malicious" && slices.Contains(attackers, d.Source.IP) {
			ids = append(ids, d.Event.ID)
		}
	}
	return ids
}

func missing(want []string, got map[string]bool) []string {
	var out []string
	for _, id := range want {
		if !got[id] {
			out = append(out, id)
		}
	}
	return out
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// filesText is the bytes of every file under dir but skip, to look for
// secrets in.
func filesText(dir, skip string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path != skip {
			b.WriteString(readFile(path))
		}
		return nil
	})
	return b.String()
}

func mapSlice[T any](in []T, f func(T) string) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func randHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ---- stream receivers (syslog over TLS, json_lines over TCP) ----

// streamServer accepts connections on loopback and hands each to handle,
// with a copy of the raw bytes kept.
type streamServer struct {
	addr string
	mu   sync.Mutex
	raw  bytes.Buffer
}

func (s *streamServer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.Write(p)
}

func (s *streamServer) rawBytes() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

func startStream(t *testing.T, tlsConf *tls.Config, s *streamServer, handle func(io.Reader)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if tlsConf != nil {
		ln = tls.NewListener(ln, tlsConf)
	}
	s.addr = ln.Addr().String()
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(2 * time.Minute))
				handle(io.TeeReader(c, s))
			})
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}

// syslogTLS parses every octet-counted message with go-syslog's RFC 5424
// parser.
type syslogTLS struct {
	streamServer
	mu   sync.Mutex
	msgs []*rfc5424.SyslogMessage
	errs []error
}

func startSyslogTLS(t *testing.T, tlsConf *tls.Config) *syslogTLS {
	r := &syslogTLS{}
	listener := syslog.WithListener(func(res *syslog.Result) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if res.Error != nil {
			r.errs = append(r.errs, res.Error)
			return
		}
		m, ok := res.Message.(*rfc5424.SyslogMessage)
		if !ok {
			r.errs = append(r.errs, fmt.Errorf("not an RFC 5424 message: %T", res.Message))
			return
		}
		r.msgs = append(r.msgs, m)
	})
	startStream(t, tlsConf, &r.streamServer, func(c io.Reader) {
		octetcounting.NewParser(listener, syslog.WithMaxMessageLength(64<<10)).Parse(c)
	})
	return r
}

func (r *syslogTLS) results() ([]*rfc5424.SyslogMessage, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs), slices.Clone(r.errs)
}

// ids are the event ids in the structured data of malicious messages.
func (r *syslogTLS) ids() map[string]bool {
	msgs, _ := r.results()
	ids := map[string]bool{}
	for _, m := range msgs {
		if sd := bulwarkSD(m); sd["category"] == "malicious" {
			ids[sd["id"]] = true
		}
	}
	return ids
}

// bulwarkSD is the message's bulwark@32473 structured data element.
func bulwarkSD(m *rfc5424.SyslogMessage) map[string]string {
	if m.StructuredData == nil {
		return nil
	}
	return (*m.StructuredData)["bulwark@32473"]
}

// jsonLines decodes one JSON object per line, as Logstash's json_lines
// codec does.
type jsonLines struct {
	streamServer
	mu   sync.Mutex
	docs []ecsDoc
	errs []error
}

func startJSONLines(t *testing.T) *jsonLines {
	r := &jsonLines{}
	startStream(t, nil, &r.streamServer, func(c io.Reader) {
		sc := bufio.NewScanner(c)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var d ecsDoc
			err := json.Unmarshal(sc.Bytes(), &d)
			r.mu.Lock()
			if err != nil {
				r.errs = append(r.errs, fmt.Errorf("%w: %q", err, sc.Text()))
			} else {
				r.docs = append(r.docs, d)
			}
			r.mu.Unlock()
		}
	})
	return r
}

func (r *jsonLines) results() ([]ecsDoc, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.docs), slices.Clone(r.errs)
}

func (r *jsonLines) ids() map[string]bool {
	docs, _ := r.results()
	ids := map[string]bool{}
	for _, d := range docs {
		ids[d.Event.ID] = true
	}
	return ids
}

// ---- the webhook ----

// signedWebhook verifies each request as ship's package doc tells a
// receiver to, written out here rather than calling ship.Verify so that
// the documented format itself is what is tested.
type signedWebhook struct {
	srv     *httptest.Server
	mu      sync.Mutex
	raw     bytes.Buffer
	seen    map[string]bool
	batches int
	bad     error
}

func startSignedWebhook(t *testing.T, tlsConf *tls.Config, secret string) *signedWebhook {
	h := &signedWebhook{seen: map[string]bool{}}
	h.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		h.mu.Lock()
		defer h.mu.Unlock()
		h.raw.Write(body)
		fail := func(code int, format string, args ...any) {
			if h.bad == nil {
				h.bad = fmt.Errorf(format, args...)
			}
			http.Error(w, "rejected", code)
		}
		if err != nil {
			fail(http.StatusBadRequest, "reading body: %v", err)
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/bulwark" || r.Header.Get("Content-Type") != "application/json" {
			fail(http.StatusBadRequest, "%s %s with Content-Type %q, want POST /bulwark application/json", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			return
		}
		ts, sig := r.Header.Get("X-Bulwark-Timestamp"), r.Header.Get("X-Bulwark-Signature")
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "."))
		mac.Write(body)
		if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(want), []byte(sig)) {
			fail(http.StatusUnauthorized, "signature %q over timestamp %q does not verify", sig, ts)
			return
		}
		sec, err := strconv.ParseInt(ts, 10, 64)
		if d := time.Since(time.Unix(sec, 0)); err != nil || d > 5*time.Minute || d < -5*time.Minute {
			fail(http.StatusUnauthorized, "timestamp %q is not within 5m of now", ts)
			return
		}
		var batch struct {
			Events []ecsDoc `json:"events"`
		}
		if err := json.Unmarshal(body, &batch); err != nil || len(batch.Events) == 0 {
			fail(http.StatusBadRequest, "body is not {\"events\":[…]} with events: %v", err)
			return
		}
		h.batches++
		for _, e := range batch.Events {
			if e.Event.Category == "malicious" {
				h.seen[e.Event.ID] = true
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	h.srv.TLS = tlsConf
	h.srv.StartTLS()
	t.Cleanup(h.srv.Close)
	return h
}

func (h *signedWebhook) ids() map[string]bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.seen)
}

func (h *signedWebhook) stats() (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.batches, h.bad
}

func (h *signedWebhook) rawBytes() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.raw.String()
}

// ---- SMTP ----

// decodeMail returns the subject and the text/plain body of a MIME message.
func decodeMail(data string) (subject, text string, err error) {
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		return "", "", err
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return "", "", err
	}
	text, err = textPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return subject, text, err
}

func textPart(ctype, encoding string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return "", fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", fmt.Errorf("no text/plain part: %w", err)
			}
			if s, err := textPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err == nil {
				return s, nil
			}
		}
	}
	if mt != "text/plain" {
		return "", fmt.Errorf("%s is not text/plain", mt)
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// ---- Twilio ----

type twilioReq struct {
	form url.Values
	err  string // what was wrong with the request, if anything
}

// twilio answers the Messages API as Twilio does (201 and the message
// resource), checking the path, basic auth and form.
type twilio struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []twilioReq
}

func startTwilio(t *testing.T, tlsConf *tls.Config, sid, token string) *twilio {
	x := &twilio{}
	x.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var problems []string
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+sid+"/Messages.json" {
			problems = append(problems, fmt.Sprintf("%s %s, want POST /2010-04-01/Accounts/%s/Messages.json", r.Method, r.URL.Path, sid))
		}
		if u, p, ok := r.BasicAuth(); !ok || u != sid || p != token {
			problems = append(problems, "basic auth is not the account SID and auth token")
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			problems = append(problems, fmt.Sprintf("Content-Type %q, want a form", ct))
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			problems = append(problems, "form: "+err.Error())
		}
		x.mu.Lock()
		x.got = append(x.got, twilioReq{form: r.PostForm, err: strings.Join(problems, "; ")})
		x.mu.Unlock()
		if len(problems) > 0 {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":20003,"message":"Authenticate","status":401}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"sid": "SM" + strings.Repeat("0", 32), "status": "queued",
			"to": r.PostForm.Get("To"), "from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body")})
	}))
	x.srv.TLS = tlsConf
	x.srv.StartTLS()
	t.Cleanup(x.srv.Close)
	return x
}

func (x *twilio) all() []twilioReq {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.got)
}

// TestShipAlertBurstWithBans runs the same burst with the black book's
// scenarios on, as they are by default: each attacker is banned after a
// few blocked attacks, and the operator still gets exactly one email and
// one SMS naming every attacker. The ban rule's 1m group wait is shortened
// so the test is quick; everything else about the rules is the default.
func TestShipAlertBurstWithBans(t *testing.T) {
	appDir := testutil.ExpressAppDir(t)
	tmp := t.TempDir()
	cert := testutil.SelfSignedTLS(t)
	srvTLS, caFile := cert.Server, cert.CAFile
	smtpPassword, twilioToken := "smtp-pw-"+randHex(), "twilio-token-"+randHex()
	const twilioSID = "AC0123456789abcdef0123456789abcdef"
	smtpSrv := testutil.StartSMTP(t, srvTLS, false, "bulwark", smtpPassword)
	sms := startTwilio(t, srvTLS, twilioSID, twilioToken)

	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, appPort, _ := net.SplitHostPort(appAddr)
	eventsFile := filepath.Join(tmp, "events.jsonl")
	cfg := filepath.Join(tmp, "bulwark.yaml")
	yaml := `
trustedProxies: [127.0.0.1/32]
store: {path: ` + filepath.Join(tmp, "bulwark.db") + `}
events: {output: ` + eventsFile + `}
alerts:
  route: {groupWait: 2s}
  notify: [mail, sms]
  notifiers:
    mail: {type: email, host: 127.0.0.1, port: ` + strconv.Itoa(smtpSrv.Port) + `, username: bulwark, password: "${E2E_SMTP_PASSWORD}", from: bulwark@example.com, to: [ops@example.com]}
    sms: {type: sms, accountSid: ` + twilioSID + `, authToken: "${E2E_TWILIO_TOKEN}", from: "+15005550006", to: ["+15551234567"], baseUrl: ` + sms.srv.URL + `}
  rules:
    ban: {route: {groupWait: 2s}}
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	g := startLoggedGuard(t, []string{"HOST=127.0.0.1", "PORT=" + appPort, "SSL_CERT_FILE=" + caFile,
		"E2E_SMTP_PASSWORD=" + smtpPassword, "E2E_TWILIO_TOKEN=" + twilioToken},
		"guard", "--config", cfg, "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
		"--run", "node "+filepath.Join(appDir, "server.js"))
	testutil.Eventually(t, "the app behind the gateway", func() bool {
		if g.exited() {
			t.Fatalf("guard exited before it was ready:\n%s", g.stderr.String())
		}
		return strings.Contains(readFile(eventsFile), `"action":"process-ready"`)
	})

	attackers := []string{"203.0.113.7", "203.0.113.8", "203.0.113.9"}
	client := &http.Client{Timeout: 10 * time.Second}
	const perAttacker = 25
	for i := range perAttacker * len(attackers) {
		req, _ := http.NewRequest("GET", "http://"+pub+"/search?q="+url.QueryEscape("' UNION SELECT id, name, value FROM secrets--"), nil)
		req.Header.Set("X-Forwarded-For", attackers[i%len(attackers)])
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("attack %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("attack %d from %s = %d, want 403", i, attackers[i%len(attackers)], resp.StatusCode)
		}
	}
	testutil.Eventually(t, "the email and the SMS", func() bool { return len(smtpSrv.All()) >= 1 && len(sms.all()) >= 1 })
	time.Sleep(3 * time.Second)
	mails, texts := smtpSrv.All(), sms.all()
	var subjects []string
	for _, m := range mails {
		s, _, _ := decodeMail(m.Data)
		subjects = append(subjects, s)
	}
	t.Logf("%d blocked attack events, %d bans; emails %q; SMS %v", len(attackIDs(eventsFile, attackers)),
		strings.Count(readFile(eventsFile), `"action":"ban"`), subjects, mapSlice(texts, func(r twilioReq) string { return r.form.Get("Body") }))
	if len(mails) != 1 || len(texts) != 1 {
		t.Fatalf("after the burst: %d emails %q and %d SMS requests, want exactly 1 and 1", len(mails), subjects, len(texts))
	}
	_, body, err := decodeMail(mails[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	for _, ip := range attackers {
		if !strings.Contains(body, ip) || !strings.Contains(texts[0].form.Get("Body"), ip) {
			t.Errorf("the notification does not name attacker %s:\nemail: %s\nSMS: %s", ip, body, texts[0].form.Get("Body"))
		}
	}
	if err := g.stop(); err != nil {
		t.Errorf("guard did not stop cleanly: %v", err)
	}
	noSecrets(t, map[string]string{
		"the gateway's stderr": g.stderr.String(), "the gateway's stdout": g.stdout.String(),
		"the email (DATA)": mails[0].Data, "the SMS request body": texts[0].form.Encode(),
		"the gateway's files": filesText(tmp, cfg),
	}, map[string]string{"SMTP password": smtpPassword, "Twilio auth token": twilioToken})
}

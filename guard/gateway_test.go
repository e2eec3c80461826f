package guard

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// upstream is a stand-in app that records what it was sent.
type upstream struct {
	*httptest.Server
	mu   sync.Mutex
	last *http.Request
	body []byte
}

func newUpstream(t *testing.T, h http.HandlerFunc) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.last, u.body = r, body
		u.mu.Unlock()
		w.Header().Set("X-Powered-By", "Express")
		if h != nil {
			h(w, r)
			return
		}
		io.WriteString(w, "hello from the app")
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) lastRequest() *http.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last
}

// events collects what the gateway publishes.
type events struct {
	bus *event.Bus
	mu  sync.Mutex
	got []event.Event
}

func newEvents() *events {
	e := &events{bus: event.NewBus(nil)}
	e.bus.Subscribe("test", 1000, func(ev event.Event) {
		e.mu.Lock()
		e.got = append(e.got, ev)
		e.mu.Unlock()
	})
	return e
}

func (e *events) wait(t *testing.T, action string) event.Event {
	t.Helper()
	return e.waitFor(t, action, func(ev event.Event) bool { return ev.Action == action })
}

func (e *events) waitFor(t *testing.T, what string, match func(event.Event) bool) event.Event {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		e.mu.Lock()
		for _, ev := range e.got {
			if match(ev) {
				e.mu.Unlock()
				return ev
			}
		}
		e.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no %s event published", what)
	return event.Event{}
}

func newGateway(t *testing.T, cfg Config) (*Gateway, *httptest.Server, *events) {
	t.Helper()
	ev := newEvents()
	g, err := New(cfg, Options{Bus: ev.bus, Logger: quiet().Logger})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv, ev
}

func TestProxiesWithHelmetDefaults(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, _ := newGateway(t, Config{Upstream: up.URL})
	resp, err := http.Get(gw.URL + "/hello?x=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello from the app" {
		t.Fatalf("GET through gateway = %d %q", resp.StatusCode, body)
	}
	if got := up.lastRequest().URL.RequestURI(); got != "/hello?x=1" {
		t.Errorf("upstream got %q, want /hello?x=1", got)
	}
	for name, want := range map[string]string{
		"X-Frame-Options":           "SAMEORIGIN",
		"X-Content-Type-Options":    "nosniff",
		"Strict-Transport-Security": "", // the client spoke plain HTTP
		"Referrer-Policy":           "no-referrer",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if v := resp.Header.Get("X-Powered-By"); v != "" {
		t.Errorf("X-Powered-By = %q leaked from the app", v)
	}
	id := resp.Header.Get(RequestHeader)
	if id == "" || up.lastRequest().Header.Get(RequestHeader) != id {
		t.Errorf("request id %q not given to both client and app (app saw %q)", id, up.lastRequest().Header.Get(RequestHeader))
	}
}

func TestSpoofedForwardingHeadersOverwritten(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, _ := newGateway(t, Config{Upstream: up.URL})
	req, _ := http.NewRequest("GET", gw.URL+"/", nil)
	req.Header.Set("X-Forwarded-For", "6.6.6.6")
	req.Header.Set("X-Real-Ip", "6.6.6.6")
	req.Header.Set("Forwarded", "for=6.6.6.6;proto=https")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set(RequestHeader, "chosen-by-client")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := up.lastRequest().Header
	if got := h.Values("X-Forwarded-For"); len(got) != 1 || got[0] != "127.0.0.1" {
		t.Errorf("X-Forwarded-For = %q, want [127.0.0.1]", got)
	}
	if got := h.Get("X-Real-Ip"); got != "127.0.0.1" {
		t.Errorf("X-Real-Ip = %q", got)
	}
	if got := h.Get("Forwarded"); got != "" {
		t.Errorf("Forwarded passed through: %q", got)
	}
	if got := h.Get("X-Forwarded-Proto"); got != "http" {
		t.Errorf("X-Forwarded-Proto = %q, want http", got)
	}
	if got := h.Get(RequestHeader); got == "chosen-by-client" {
		t.Error("an untrusted client chose the request id")
	}
}

func TestTrustedProxyChain(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, _ := newGateway(t, Config{Upstream: up.URL, TrustedProxies: []string{"127.0.0.1"}})
	req, _ := http.NewRequest("GET", gw.URL+"/", nil)
	req.Header.Set("X-Forwarded-For", "6.6.6.6, 198.51.100.7")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set(RequestHeader, "lb-1234")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := up.lastRequest().Header
	if got := h.Get("X-Forwarded-For"); got != "198.51.100.7" {
		t.Errorf("X-Forwarded-For = %q, want the client 198.51.100.7", got)
	}
	if got := h.Get("X-Forwarded-Proto"); got != "https" {
		t.Errorf("X-Forwarded-Proto = %q, want https from the trusted proxy", got)
	}
	if got := h.Get(RequestHeader); got != "lb-1234" {
		t.Errorf("request id = %q, want the trusted proxy's lb-1234", got)
	}
}

func TestBodyLimit(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, ev := newGateway(t, Config{Upstream: up.URL, Server: Server{MaxBodyBytes: 1024}})

	resp, err := http.Post(gw.URL+"/upload", "text/plain", bytes.NewReader(make([]byte, 2048)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || !strings.Contains(string(body), "Request body too large") {
		t.Errorf("declared oversize body = %d %q, want 413 with a clear body", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Frame-Options") == "" {
		t.Error("413 page lacks the secure headers")
	}
	ev.wait(t, "body-too-large")

	// Chunked: the length is unknown until the body is read.
	pr, pw := io.Pipe()
	go func() { pw.Write(make([]byte, 4096)); pw.Close() }()
	resp, err = http.Post(gw.URL+"/upload", "text/plain", pr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("chunked oversize body = %d, want 413", resp.StatusCode)
	}

	resp, err = http.Post(gw.URL+"/upload", "text/plain", strings.NewReader("small"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || up.body == nil || string(up.body) != "small" {
		t.Errorf("small body = %d, upstream got %q", resp.StatusCode, up.body)
	}
}

func TestHeaderLimit(t *testing.T) {
	up := newUpstream(t, nil)
	g, err := New(Config{Upstream: up.URL, Server: Server{MaxHeaderBytes: 4096}}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	addr := serveGateway(t, g, "tok")
	req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 16<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("16 KiB header = %d, want 431", resp.StatusCode)
	}
}

func TestUpstreamDown(t *testing.T) {
	dead := "http://" + testutil.FreeAddr(t)
	_, gw, ev := newGateway(t, Config{Upstream: dead})
	resp, err := http.Get(gw.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get(RequestHeader)
	if resp.StatusCode != 502 || id == "" || !strings.Contains(string(body), id) {
		t.Errorf("upstream down = %d, id %q, body %q; want 502 naming the request id", resp.StatusCode, id, body)
	}
	e := ev.wait(t, "upstream-unavailable")
	if e.RequestID != id || e.Status != 502 {
		t.Errorf("event = %+v, want request id %s and status 502", e, id)
	}
}

func TestUpstreamTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	_, gw, _ := newGateway(t, Config{Upstream: up.URL, Proxy: Proxy{ResponseHeaderTimeout: 100 * time.Millisecond}})
	resp, err := http.Get(gw.URL + "/slow")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 504 {
		t.Errorf("hung upstream = %d, want 504", resp.StatusCode)
	}
}

func TestAccessEventsForErrors(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	_, gw, ev := newGateway(t, Config{Upstream: up.URL})
	req, _ := http.NewRequest("GET", gw.URL+"/missing?token=SECRET123", nil)
	req.Header.Set("Cookie", "sid=COOKIE456")
	req.Header.Set("Authorization", "Bearer AUTH789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	e := ev.waitFor(t, "access", func(e event.Event) bool { return e.Type == "access" })
	ev.bus.Close()
	if len(ev.got) != 1 {
		t.Errorf("got %d events, want only the access event: %+v", len(ev.got), ev.got)
	}
	if e.Type != "access" || e.Status != 404 || e.Path != "/missing" || e.SourceIP.String() != "127.0.0.1" {
		t.Errorf("access event = %+v", e)
	}
	line, _ := e.MarshalJSON()
	for _, secret := range []string{"SECRET123", "COOKIE456", "AUTH789"} {
		if bytes.Contains(line, []byte(secret)) {
			t.Errorf("event carries a secret %q: %s", secret, line)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Upstream: "ftp://x"}, "upstream: "},
		{Config{Upstream: "http://a", TrustedProxies: []string{"10.0.0.0/40"}}, "trustedProxies[0]"},
		{Config{Upstream: "http://a", Listen: ":9090"}, "listen: the public listener must not share the admin listener's address 127.0.0.1:9090"},
		{Config{Upstream: "http://a", Listen: "127.0.0.1:8080", Admin: Admin{Listen: "0.0.0.0:8080"}}, "admin.listen"},
		{Config{Upstream: "http://a", Server: Server{ReadTimeout: -1e9}}, "server.readTimeout: must be at least 0s"},
		{Config{Upstream: "http://a", AccessEvents: "some"}, "accessEvents"},
		{Config{Upstream: "http://a//app"}, "upstream: \"http://a//app\": the path must not start with //"},
		{Config{Upstream: "http://a", Listen: "8080"}, "listen: "},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg, quiet())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want error containing %q", tt.cfg, err, tt.want)
		}
	}
	if _, err := New(Config{}, quiet()); err == nil || !strings.Contains(err.Error(), "--upstream") {
		t.Errorf("New without upstream = %v, want a hint about --upstream", err)
	}
}

// quiet gives options whose logger discards.
func quiet() Options { return Options{Logger: slog.New(slog.DiscardHandler)} }

func TestClientGoneMidResponseStillCounted(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusFound)
		for range 64 {
			w.Write(make([]byte, 64<<10)) // more than the client reads
			w.(http.Flusher).Flush()
		}
	})
	g, err := New(Config{Upstream: up.URL}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	addr := serveGateway(t, g, "t")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	buf := make([]byte, 1024)
	c.Read(buf) // the status line, then hang up
	c.Close()
	want := `bulwark_http_requests_total{code="302",method="POST"} 1`
	for range 200 {
		var b strings.Builder
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		g.AdminHandler("t").ServeHTTP(rec, req)
		b.WriteString(rec.Body.String())
		if strings.Contains(b.String(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("a request whose client hung up mid-response was not counted (%s)", want)
}

func TestServerSentEventsStream(t *testing.T) {
	release := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		<-release // the app has not finished: the client must have the event already
		io.WriteString(w, "data: second\n\n")
	})
	_, gw, _ := newGateway(t, Config{Upstream: up.URL})
	resp, err := http.Get(gw.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 64)
		n, _ := io.ReadAtLeast(resp.Body, buf, len("data: first\n\n"))
		got <- string(buf[:n])
	}()
	select {
	case s := <-got:
		if s != "data: first\n\n" {
			t.Errorf("first event = %q", s)
		}
	case <-time.After(5 * time.Second):
		t.Error("the first event did not stream through before the app finished")
	}
	close(release)
}

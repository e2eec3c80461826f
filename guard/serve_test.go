package guard

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveGateway runs g.Serve on loopback listeners until the test ends and
// returns the public address.
func serveGateway(t *testing.T, g *Gateway, token string) string {
	addr, _ := serveGatewayAdmin(t, g, token, context.Background())
	return addr
}

func serveGatewayAdmin(t *testing.T, g *Gateway, token string, parent context.Context) (public, admin string) {
	t.Helper()
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	al, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, pl, al, token) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return pl.Addr().String(), al.Addr().String()
}

func TestAdminNeedsTokenAndIsNotPublic(t *testing.T) {
	up := newUpstream(t, nil)
	g, err := New(Config{Upstream: up.URL}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	pub, adm := serveGatewayAdmin(t, g, "s3cret-token", context.Background())

	get := func(url, auth string) (int, string) {
		req, _ := http.NewRequest("GET", url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("http://"+adm+"/metrics", ""); code != 401 {
		t.Errorf("admin /metrics without token = %d, want 401", code)
	}
	if code, _ := get("http://"+adm+"/healthz", "Bearer wrong"); code != 401 {
		t.Errorf("admin /healthz with a wrong token = %d, want 401", code)
	}
	if code, body := get("http://"+adm+"/healthz", "Bearer s3cret-token"); code != 200 || body != "ok\n" {
		t.Errorf("admin /healthz = %d %q", code, body)
	}
	get("http://"+pub+"/some/page", "")
	code, body := get("http://"+adm+"/metrics", "Bearer s3cret-token")
	for _, series := range []string{
		`bulwark_http_requests_total{code="200",method="GET"}`,
		"bulwark_http_request_duration_seconds_bucket",
		"bulwark_upstream_errors_total", "bulwark_events_dropped_total",
	} {
		if !strings.Contains(body, series) {
			t.Errorf("metrics (%d) lack %s", code, series)
		}
	}
	// On the public listener /metrics is just a path of the app.
	if _, body := get("http://"+pub+"/metrics", ""); strings.Contains(body, "bulwark_http") {
		t.Error("metrics are served on the public listener")
	}
}

func TestGracefulShutdownDrainsInFlight(t *testing.T) {
	started := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	})
	g, err := New(Config{Upstream: up.URL}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := net.Listen("tcp", "127.0.0.1:0")
	al, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, pl, al, "t") }()

	result := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + pl.Addr().String() + "/slow")
		if err != nil {
			result <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		result <- string(b)
	}()
	<-started
	cancel() // as SIGTERM does
	if got := <-result; got != "finished" {
		t.Errorf("in-flight request during shutdown got %q, want finished", got)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if _, err := net.DialTimeout("tcp", pl.Addr().String(), time.Second); err == nil {
		t.Error("public listener still accepts after shutdown")
	}
}

func TestSlowHeadersCutOff(t *testing.T) {
	up := newUpstream(t, nil)
	g, err := New(Config{Upstream: up.URL, Server: Server{ReadHeaderTimeout: 200 * time.Millisecond}}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	addr := serveGateway(t, g, "t")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ") // and never finish
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(c) // returns when the server closes the connection
	if err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
	if waited := time.Since(start); waited > 3*time.Second {
		t.Errorf("slow-header connection held for %v", waited)
	}
}

package guard

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// dialFrom connects to addr from the loopback address src (any of
// 127.0.0.0/8 is this host's on Linux).
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", src, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// get sends GET / on c and returns the status, or 0 if no answer came.
func get(c net.Conn) int {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestConnLimitPerClient(t *testing.T) {
	up := newUpstream(t, nil)
	g, err := New(Config{Upstream: up.URL, TrustedProxies: []string{"127.0.0.3"}, Server: Server{MaxConnsPerClient: 3}}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	addr := serveGateway(t, g, "t")

	// The hog holds its 3 connections idle, never sending a byte.
	var hog []net.Conn
	for range 3 {
		hog = append(hog, dialFrom(t, "127.0.0.1", addr))
	}
	time.Sleep(50 * time.Millisecond) // let the server accept them
	if got := get(dialFrom(t, "127.0.0.1", addr)); got != http.StatusTooManyRequests {
		t.Errorf("4th connection of one client: GET / = %d, want 429", got)
	}
	if got := counterValue(t, g, "bulwark_connections_refused_total"); got != 1 {
		t.Errorf("bulwark_connections_refused_total = %v, want 1", got)
	}
	for range 3 {
		if got := get(dialFrom(t, "127.0.0.2", addr)); got != http.StatusOK {
			t.Errorf("another client, while the first is at its limit: GET / = %d, want 200", got)
		}
	}
	t.Run("trusted proxy never limited", func(t *testing.T) {
		var conns []net.Conn
		for range 6 {
			conns = append(conns, dialFrom(t, "127.0.0.3", addr))
		}
		for i, c := range conns {
			if got := get(c); got != http.StatusOK {
				t.Errorf("trusted proxy's connection %d: GET / = %d, want 200", i+1, got)
			}
		}
	})
	t.Run("a closed connection gives its place back", func(t *testing.T) {
		hog[0].Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			if got := get(dialFrom(t, "127.0.0.1", addr)); got == http.StatusOK {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("after closing one of 3: GET / = %d, want 200 within 5s", got)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func TestConnLimitOff(t *testing.T) {
	up := newUpstream(t, nil)
	g, err := New(Config{Upstream: up.URL, Server: Server{MaxConnsPerClient: -1}}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	addr := serveGateway(t, g, "t")
	var conns []net.Conn
	for range 300 { // over the default
		conns = append(conns, dialFrom(t, "127.0.0.1", addr))
	}
	if got := get(conns[299]); got != http.StatusOK {
		t.Errorf("300th connection with no limit: GET / = %d, want 200", got)
	}
}

func TestClientKey(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{"192.0.2.7", "192.0.2.7/32"},
		{"::ffff:192.0.2.7", "192.0.2.7/32"},
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
	} {
		if got := clientKey(netip.MustParseAddr(c.addr)).String(); got != c.want {
			t.Errorf("clientKey(%s) = %s, want %s", c.addr, got, c.want)
		}
	}
}

func TestConnLimitConfig(t *testing.T) {
	if got := (Config{}).WithDefaults().Server.MaxConnsPerClient; got != 256 {
		t.Errorf("default server.maxConnsPerClient = %d, want 256", got)
	}
	err := Config{Upstream: "http://127.0.0.1:3000", Server: Server{MaxConnsPerClient: -5}}.Validate()
	if err == nil || !strings.Contains(err.Error(), "server.maxConnsPerClient") {
		t.Errorf("Validate(maxConnsPerClient: -5) = %v, want an error at server.maxConnsPerClient", err)
	}
}

// counterValue returns the value of the counter name in g's registry.
func counterValue(t *testing.T, g *Gateway, name string) float64 {
	t.Helper()
	mfs, err := g.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no counter %s", name)
	return 0
}

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// The transparency tests put the real binary in front of the real example
// Express app and check that the gateway cannot be bypassed through the
// request-target, forwards what it inspected unchanged, passes no
// forwarding header an untrusted client made up, sends HTTPS-only headers
// only to HTTPS clients, keeps its files private and bounds each client's
// connections. The test is an untrusted client from 127.0.0.1; 127.0.0.9
// is the trusted proxy.

const (
	trustedProxy    = "127.0.0.9"
	connLimitInTest = 8
	envSecret       = "DB_PASSWORD" // in the example app's .env
	appSource       = "createApp"   // in the example app's app.js
)

func TestTransparentGateway(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app and gateway (runs in CI)")
	}
	app := testutil.StartExpressApp(t)
	dir := t.TempDir()
	pub := testutil.FreeAddr(t)
	cfg := filepath.Join(dir, "bulwark.yaml")
	body := fmt.Sprintf(`upstream: %s
listen: %s
admin: {listen: %s}
trustedProxies: [%s]
server: {maxConnsPerClient: %d}
store: {path: %s}
events: {output: %s}
`, app.URL(), pub, testutil.FreeAddr(t), trustedProxy, connLimitInTest,
		filepath.Join(dir, "bulwark.db"), filepath.Join(dir, "events.jsonl"))
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	gw := startGateway(t, cfg, pub)

	t.Run("a raw # in the request-target is refused", func(t *testing.T) {
		for _, target := range []string{"/x#/../.env", "/x#/../app.js", "/api/echo?q=1#/../../.env", "/.env#"} {
			status, text := rawGet(t, "", pub, target, nil)
			if status != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", target, status)
			}
			if strings.Contains(text, envSecret) || strings.Contains(text, appSource) {
				t.Errorf("GET %s served the app's files:\n%s", target, text)
			}
		}
	})

	t.Run("escaped variants that reach .env are refused", func(t *testing.T) {
		for _, target := range []string{
			"/x%23/../.env", "/x%23/..%2f.env", "/x/%2e%2e/.env", "/%2e%65nv", "/.%65nv",
			"/x%2f..%2f.env", "/%2e/.env", "/x%23/../app.js",
		} {
			// Control: the app alone serves the file for this target, so
			// the gateway's refusal is what keeps it.
			if _, text := rawGet(t, "", app.Addr, target, nil); !strings.Contains(text, envSecret) && !strings.Contains(text, appSource) {
				t.Logf("GET %s: the app itself does not serve a file; the case proves little", target)
			}
			status, text := rawGet(t, "", pub, target, nil)
			if status < 400 || strings.Contains(text, envSecret) || strings.Contains(text, appSource) {
				t.Errorf("GET %s through the gateway = %d, want it refused:\n%.200s", target, status, text)
			}
		}
	})

	t.Run("the query reaches the app as sent", func(t *testing.T) {
		target := "/api/echo?q=Tom%20%26%20Jerry;%20season%202&page=2"
		echo := echoOf(t, "", pub, target, nil)
		if echo.OriginalURL != target {
			t.Errorf("the app got %q, want %q", echo.OriginalURL, target)
		}
		if echo.Query["q"] != "Tom & Jerry; season 2" || echo.Query["page"] != "2" {
			t.Errorf("the app parsed the query as %v", echo.Query)
		}
	})

	spoofed := map[string]string{
		"True-Client-IP": "198.51.100.1", "CF-Connecting-IP": "198.51.100.2", "X-Client-IP": "198.51.100.3",
		"X-Forwarded-Port": "443", "X-Forwarded-Prefix": "/admin", "X-Original-URL": "/admin",
		"X-Rewrite-URL": "/admin", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
		"Forwarded": "for=198.51.100.4;proto=https",
	}
	t.Run("forwarding headers of an untrusted client never reach the app", func(t *testing.T) {
		echo := echoOf(t, "", pub, "/api/echo", spoofed)
		for k, v := range spoofed {
			if got, ok := echo.Headers[strings.ToLower(k)]; ok && strings.Contains(got, v) {
				t.Errorf("%s: %s reached the app", k, got)
			}
		}
		if got := echo.Headers["x-forwarded-for"]; got != "127.0.0.1" {
			t.Errorf("X-Forwarded-For = %q, want the socket peer 127.0.0.1", got)
		}
	})
	t.Run("a trusted proxy's headers reach the app", func(t *testing.T) {
		echo := echoOf(t, trustedProxy, pub, "/api/echo", map[string]string{
			"True-Client-IP": "198.51.100.1", "X-Forwarded-Port": "443", "X-Forwarded-Prefix": "/shop",
		})
		for k, want := range map[string]string{"true-client-ip": "198.51.100.1", "x-forwarded-port": "443", "x-forwarded-prefix": "/shop"} {
			if got := echo.Headers[k]; got != want {
				t.Errorf("%s from the trusted proxy reached the app as %q, want %q", k, got, want)
			}
		}
	})

	t.Run("HSTS and upgrade-insecure-requests only for HTTPS clients", func(t *testing.T) {
		for _, c := range []struct {
			name, from string
			header     map[string]string
			https      bool
		}{
			{"plain HTTP", "", nil, false},
			{"plain HTTP claiming https", "", map[string]string{"X-Forwarded-Proto": "https"}, false},
			{"HTTPS at the trusted proxy", trustedProxy, map[string]string{"X-Forwarded-Proto": "https"}, true},
		} {
			h := headOf(t, c.from, pub, "/", c.header)
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src-attr 'none'") {
				t.Errorf("%s: Content-Security-Policy = %q, want Helmet's directives", c.name, csp)
			}
			if got := h.Get("Strict-Transport-Security") != ""; got != c.https {
				t.Errorf("%s: Strict-Transport-Security = %q", c.name, h.Get("Strict-Transport-Security"))
			}
			if got := strings.Contains(csp, "upgrade-insecure-requests"); got != c.https {
				t.Errorf("%s: Content-Security-Policy = %q", c.name, csp)
			}
		}
	})

	t.Run("a client over its connection limit cannot starve another", func(t *testing.T) {
		const hogAddr, otherAddr = "127.0.0.5", "127.0.0.6"
		var hog []net.Conn
		for range 5 * connLimitInTest {
			c, err := dialFromAddr(hogAddr, pub)
			if err != nil {
				t.Fatalf("hog's connection %d: %v", len(hog)+1, err)
			}
			defer c.Close()
			hog = append(hog, c)
		}
		// The hog's connections past the limit are answered 429 and closed.
		refused := 0
		for _, c := range hog {
			c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil && resp.StatusCode == http.StatusTooManyRequests {
				refused++
			}
		}
		if want := 4 * connLimitInTest; refused != want {
			t.Errorf("%d of the hog's %d connections were answered 429, want %d", refused, len(hog), want)
		}
		for i := range 3 * connLimitInTest {
			if status, _ := rawGet(t, otherAddr, pub, "/api/health", nil); status != http.StatusOK {
				t.Fatalf("another client's request %d while the hog holds its connections = %d, want 200", i+1, status)
			}
		}
	})

	t.Run("every file of the run is the owner's alone", func(t *testing.T) {
		gw.stop(t)
		n := 0
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Error(err)
				return nil
			}
			fi, err := d.Info()
			if err != nil || p == dir {
				return nil
			}
			n++
			want := fs.FileMode(0o600)
			if d.IsDir() {
				want = 0o700
			}
			if fi.Mode().Perm()&^want != 0 {
				t.Errorf("%s: mode %#o, want at most %#o", strings.TrimPrefix(p, dir+"/"), fi.Mode().Perm(), want)
			}
			return nil
		})
		for _, f := range []string{"bulwark.db", "bulwark-admin.token", "events.jsonl"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("the run made no %s: %v", f, err)
			}
		}
		t.Logf("%d files and folders checked", n)
	})
}

// dialFromAddr connects to addr from the loopback address src ("" for
// the default).
func dialFromAddr(src, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	if src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	return d.Dial("tcp", addr)
}

// rawGet sends GET target to addr, from src, exactly as written (Go's
// client would cut a fragment and clean the path), and returns the status
// and body.
func rawGet(t *testing.T, src, addr, target string, header map[string]string) (int, string) {
	t.Helper()
	resp, text := rawDo(t, src, addr, target, header)
	return resp.StatusCode, text
}

func rawDo(t *testing.T, src, addr, target string, header map[string]string) (*http.Response, string) {
	t.Helper()
	c, err := dialFromAddr(src, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var req strings.Builder
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nConnection: close\r\n", target, addr, browserUA)
	for k, v := range header {
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(c, req.String()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// headOf returns the response headers of GET target.
func headOf(t *testing.T, src, addr, target string, header map[string]string) http.Header {
	t.Helper()
	resp, _ := rawDo(t, src, addr, target, header)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", target, resp.StatusCode)
	}
	return resp.Header
}

// appEcho is what the example app's GET /api/echo says it received.
type appEcho struct {
	OriginalURL string            `json:"originalUrl"`
	Query       map[string]string `json:"query"`
	Headers     map[string]string `json:"headers"`
}

func echoOf(t *testing.T, src, addr, target string, header map[string]string) appEcho {
	t.Helper()
	status, text := rawGet(t, src, addr, target, header)
	var e appEcho
	if err := json.Unmarshal([]byte(text), &e); status != http.StatusOK || err != nil {
		t.Fatalf("GET %s = %d %v:\n%.300s", target, status, err, text)
	}
	return e
}

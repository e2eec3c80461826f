package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	for range 200 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s did not answer", url)
}

var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// TestGuardInFrontOfExpress runs `bulwark guard` in front of the real
// example Express app and checks what a user of the gateway relies on.
func TestGuardInFrontOfExpress(t *testing.T) {
	app := testutil.StartExpressApp(t)
	appAddr, stopApp := app.Addr, app.Stop
	tmp := t.TempDir()
	pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t)
	cfg := filepath.Join(tmp, "bulwark.yaml")
	os.WriteFile(cfg, []byte(`
upstream: http://`+appAddr+`
listen: `+pub+`
admin: {listen: "`+adm+`"}
store: {path: `+filepath.Join(tmp, "bulwark.db")+`}
events: {output: `+filepath.Join(tmp, "events.jsonl")+`}
`), 0o600)

	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	exit := make(chan int, 1)
	go func() { exit <- Main(ctx, []string{"guard", "--config", cfg}, nil, io.Discard, &stderr) }()
	defer func() {
		cancel()
		if code := <-exit; code != 0 {
			t.Errorf("guard exited %d: %s", code, stderr.String())
		}
	}()
	base := "http://" + pub
	waitHTTP(t, base+"/api/health")

	// Directly the app leaks X-Powered-By and sets no security headers.
	direct, err := http.Get("http://" + appAddr + "/")
	if err != nil {
		t.Fatal(err)
	}
	direct.Body.Close()
	if direct.Header.Get("X-Powered-By") != "Express" || direct.Header.Get("Content-Security-Policy") != "" {
		t.Fatalf("the example app changed: X-Powered-By=%q CSP=%q", direct.Header.Get("X-Powered-By"), direct.Header.Get("Content-Security-Policy"))
	}

	t.Run("helmet headers and hardened cookies", func(t *testing.T) {
		resp, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET / = %d", resp.StatusCode)
		}
		if v := resp.Header.Get("X-Powered-By"); v != "" {
			t.Errorf("X-Powered-By = %q through the gateway", v)
		}
		// Helmet's default, less upgrade-insecure-requests: this client
		// speaks plain HTTP.
		want := "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'"
		if got := resp.Header.Get("Content-Security-Policy"); got != want {
			t.Errorf("CSP = %q, want Helmet's default for plain HTTP", got)
		}
		theme := cookieHeader(resp, "theme")
		if !strings.Contains(theme, "HttpOnly") || !strings.Contains(theme, "SameSite=Lax") || strings.Contains(theme, "Secure") {
			t.Errorf("theme cookie = %q, want HttpOnly and SameSite=Lax, not Secure over plain HTTP", theme)
		}
	})

	t.Run("form login through the gateway", func(t *testing.T) {
		form := url.Values{"username": {"alice"}, "password": {"correct horse battery staple"}}
		resp, err := noRedirect.PostForm(base+"/login", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sid := cookieHeader(resp, "sid")
		if resp.StatusCode != 302 || resp.Header.Get("Location") != "/profile" || sid == "" {
			t.Fatalf("login = %d to %q, sid %q", resp.StatusCode, resp.Header.Get("Location"), sid)
		}
		if !strings.Contains(sid, "SameSite=Lax") {
			t.Errorf("session cookie %q lacks SameSite=Lax", sid)
		}
		req, _ := http.NewRequest("GET", base+"/profile", nil)
		req.Header.Set("Cookie", strings.SplitN(sid, ";", 2)[0])
		resp, err = noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "alice@example.com") {
			t.Errorf("profile with the session = %d", resp.StatusCode)
		}
	})

	t.Run("failed login is an event without the password", func(t *testing.T) {
		resp, err := http.Post(base+"/api/login", "application/json", strings.NewReader(`{"username":"alice","password":"Wr0ng-Pa55word-XYZ"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("bad JSON login = %d, want 401", resp.StatusCode)
		}
		events := waitFile(t, filepath.Join(tmp, "events.jsonl"), `"status_code":401`)
		if !strings.Contains(events, `"source":{"ip":"127.0.0.1"}`) {
			t.Errorf("event lacks the client IP:\n%s", events)
		}
		if strings.Contains(events, "Wr0ng-Pa55word-XYZ") {
			t.Error("the password reached the events")
		}
	})

	t.Run("metrics on the admin listener with the generated token", func(t *testing.T) {
		token, err := os.ReadFile(filepath.Join(tmp, "bulwark-admin.token"))
		if err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(filepath.Join(tmp, "bulwark-admin.token")); fi.Mode().Perm() != 0o600 {
			t.Errorf("token file mode = %v, want 0600", fi.Mode().Perm())
		}
		req, _ := http.NewRequest("GET", "http://"+adm+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `bulwark_http_requests_total{code="302",method="POST"} 1`) {
			t.Errorf("metrics (%d) do not count the login:\n%s", resp.StatusCode, body)
		}
	})

	t.Run("exploits work directly and are blocked through the gateway", func(t *testing.T) {
		exploits := []struct {
			name, method, path, ctype, body, proof string
		}{
			{"union sqli", "GET", "/search?q=" + url.QueryEscape("' UNION SELECT id, name, value FROM secrets--"), "", "", "FAKE-DEMO-SECRET"},
			{"reflected xss", "GET", "/search?q=" + url.QueryEscape("<script>alert(1)</script>"), "", "", "<script>alert(1)</script>"},
			{"path traversal", "GET", "/download?file=" + url.QueryEscape("../.env"), "", "", "SESSION_SECRET"},
			{".env through static files", "GET", "/.env", "", "", "SESSION_SECRET"},
			{"nosql operator injection", "POST", "/api/login", "application/json", `{"username":"admin","password":{"$ne":null}}`, `"username":"admin"`},
		}
		for _, x := range exploits {
			send := func(base string) (int, string) {
				req, _ := http.NewRequest(x.method, base+x.path, strings.NewReader(x.body))
				if x.ctype != "" {
					req.Header.Set("Content-Type", x.ctype)
				}
				resp, err := noRedirect.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp.StatusCode, string(b)
			}
			if _, body := send("http://" + appAddr); !strings.Contains(body, x.proof) {
				t.Errorf("%s: the exploit does not work against the app directly (no %q)", x.name, x.proof)
			}
			code, body := send(base)
			if code != http.StatusForbidden || strings.Contains(body, x.proof) {
				t.Errorf("%s through the gateway = %d, want 403 without %q", x.name, code, x.proof)
			}
		}
		waitFile(t, filepath.Join(tmp, "events.jsonl"), `"category":"malicious"`)
	})

	t.Run("502 with a request id when the app is down", func(t *testing.T) {
		stopApp()
		resp, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != 502 || id == "" || !strings.Contains(string(body), id) {
			t.Errorf("app down = %d %q (id %q)", resp.StatusCode, body, id)
		}
		waitFile(t, filepath.Join(tmp, "events.jsonl"), `"id":"`+id+`"`)
	})
}

func cookieHeader(resp *http.Response, name string) string {
	for _, c := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

// waitFile waits until the file contains want and returns its content.
func waitFile(t *testing.T, path, want string) string {
	t.Helper()
	var data []byte
	for range 200 {
		data, _ = os.ReadFile(path)
		if bytes.Contains(data, []byte(want)) {
			return string(data)
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s never contained %s:\n%s", path, want, data)
	return ""
}

package guard

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/headers"
)

func TestCSPReportsBecomeEvents(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, ev := newGateway(t, Config{Upstream: up.URL, Headers: headers.Config{
		ContentSecurityPolicy: &headers.ContentSecurityPolicy{ReportPath: "/.bulwark/csp-report"},
	}})

	resp, err := http.Get(gw.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, ";report-uri /.bulwark/csp-report") {
		t.Errorf("CSP = %q, want report-uri appended", csp)
	}

	report := `{"csp-report":{"document-uri":"https://app.example/account?reset_token=SECRET42","violated-directive":"script-src-elem","effective-directive":"script-src-elem","blocked-uri":"https://evil.example/x.js?k=SECRET43","disposition":"enforce"}}`
	resp, err = http.Post(gw.URL+"/.bulwark/csp-report", "application/csp-report", strings.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("report POST = %d, want 204", resp.StatusCode)
	}
	if up.lastRequest().URL.Path == "/.bulwark/csp-report" {
		t.Error("the report reached the app")
	}
	e := ev.wait(t, "csp-violation")
	if e.Path != "/account" || e.RuleID != "script-src-elem" || e.SourceIP.String() != "127.0.0.1" {
		t.Errorf("event = %+v", e)
	}
	line, _ := e.MarshalJSON()
	if strings.Contains(string(line), "SECRET4") {
		t.Errorf("a query string from the report reached the event: %s", line)
	}

	resp, _ = http.Post(gw.URL+"/.bulwark/csp-report", "application/csp-report", strings.NewReader("not json"))
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed report = %d, want 400", resp.StatusCode)
	}
}

func TestCookiesSecureBehindTrustedTLSProxy(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "abc"})
	})
	_, gw, _ := newGateway(t, Config{Upstream: up.URL, TrustedProxies: []string{"127.0.0.0/8"}})
	for _, proto := range []string{"https", "http"} {
		req, _ := http.NewRequest("GET", gw.URL+"/", nil)
		req.Header.Set("X-Forwarded-Proto", proto)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		c := resp.Header.Get("Set-Cookie")
		if got, want := strings.Contains(c, "Secure"), proto == "https"; got != want {
			t.Errorf("over %s via the proxy: Set-Cookie %q, Secure=%v want %v", proto, c, got, want)
		}
		if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
			t.Errorf("Set-Cookie %q not hardened", c)
		}
	}
}

func TestNonceReachesApp(t *testing.T) {
	nonces := make(chan string, 1)
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { nonces <- r.Header.Get(headers.NonceHeader) })
	_, gw, _ := newGateway(t, Config{Upstream: up.URL, Headers: headers.Config{
		ContentSecurityPolicy: &headers.ContentSecurityPolicy{Nonce: true},
	}})
	req, _ := http.NewRequest("GET", gw.URL+"/", nil)
	req.Header.Set(headers.NonceHeader, "client-chosen")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	seen := <-nonces
	if seen == "" || seen == "client-chosen" {
		t.Fatalf("app saw nonce %q", seen)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'nonce-"+seen+"'") {
		t.Errorf("CSP %q lacks the nonce the app saw", csp)
	}
}

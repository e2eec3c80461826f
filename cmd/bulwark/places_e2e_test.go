package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestAttackPlacesThroughGuard puts the real binary in front of the real
// example Express app and sends attacks in the places and shapes the
// engine used to miss (issue 15 items 4 and 5): the Authorization header,
// SQL in a REST path segment, prototype pollution spread over nesting,
// SQL after a number with no quote, and the wapiti payloads that reached
// the app. Each is answered directly by the app (so it would reach its
// handler) and refused by the gateway; real requests that look alike pass.
func TestAttackPlacesThroughGuard(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app and gateway; runs in CI")
	}
	app := testutil.StartExpressApp(t).URL()
	dir := t.TempDir()
	pub := testutil.FreeAddr(t)
	startGateway(t, writeGatewayConfig(t, dir, pub, app, "", ""), pub)

	b64 := base64.StdEncoding.EncodeToString
	jwt := func(header, claims string) string {
		e := base64.RawURLEncoding.EncodeToString
		return e([]byte(header)) + "." + e([]byte(claims)) + ".c2lnbmF0dXJl"
	}
	type req struct {
		name   string
		target string      // path and query, escaped as sent
		header http.Header // added to the request
	}
	attacks := []req{
		{"basic user", "/api/echo", http.Header{"Authorization": {"Basic " + b64([]byte("admin' OR '1'='1'--:x"))}}},
		{"basic password", "/api/echo", http.Header{"Authorization": {"Basic " + b64([]byte("admin:' or 1=1 union select password from users--"))}}},
		{"jwt alg none", "/api/echo", http.Header{"Authorization": {"Bearer " + jwt(`{"alg":"none","typ":"JWT"}`, `{"sub":"admin","role":"admin"}`)}}},
		{"jwt kid traversal", "/api/echo", http.Header{"Authorization": {"Bearer " + jwt(`{"alg":"HS256","kid":"../../../../dev/null"}`, `{"sub":"1"}`)}}},
		{"jwt claim sqli", "/api/echo", http.Header{"Authorization": {"Bearer " + jwt(`{"alg":"HS256"}`, `{"sub":"1' union select password from users--"}`)}}},
		{"sql in a path segment", "/api/products/0%20UNION%20SELECT%20password%20FROM%20users--", nil},
		{"numeric sql in a path segment", "/api/products/1%20or%20is_admin=1", nil},
		{"qs constructor.prototype", "/api/echo?a[constructor][prototype][isAdmin]=1", nil},
		{"__proto__ as a value", "/api/echo?path=__proto__", nil},
		{"__proto__ as a path segment", "/api/products/__proto__/isAdmin", nil},
		{"j: cookie", "/api/echo", http.Header{"Cookie": {"prefs=" + url.QueryEscape(`j:{"__proto__":{"isAdmin":true}}`)}}},
		{"between hex", "/api/echo?id=" + url.QueryEscape("1 and password between 0x61 and 0x6d"), nil},
		{"or is_admin", "/api/echo?id=" + url.QueryEscape("1 or is_admin=1"), nil},
		{"xor", "/api/echo?id=" + url.QueryEscape("1 xor 1"), nil},
		{"or limit", "/api/echo?id=" + url.QueryEscape("0 or 1 limit 1"), nil},
		{"order by subquery", "/api/echo?sort=" + url.QueryEscape("1,(select case when (1=1) then 1 else 1*(select 1 union select 2) end)"), nil},
		{"mssql iif", "/api/echo?id=" + url.QueryEscape("iif(1=1,1,1/0)"), nil},
		{"php exit md5", "/api/echo?q=" + url.QueryEscape(";exit(md5(1234));//"), nil},
		{"js busy loop", "/api/echo?q=" + url.QueryEscape("do{var now=new Date();}while(new Date()-now<5000);"), nil},
		{"remote include", "/api/echo?file=" + url.QueryEscape("https://wapiti3.ovh/e.php"), nil},
	}
	ip := 0
	get := func(base string, r req) (int, string) {
		t.Helper()
		ip++
		hr, err := http.NewRequest("GET", base+r.target, nil)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		for k, v := range r.header {
			hr.Header[k] = v
		}
		hr.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", ip))
		hr.Header.Set("User-Agent", browserUA)
		resp, err := plainClient.Do(hr)
		if err != nil {
			t.Fatalf("%s: GET %s: %v", r.name, r.target, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			if code, body := get(app, a); code == http.StatusForbidden || strings.Contains(body, "this request was blocked") {
				t.Fatalf("straight to the app: %d %.80q; the app must answer it itself", code, body)
			}
			if code, body := get("http://"+pub, a); code != http.StatusForbidden || !strings.Contains(body, "this request was blocked") {
				t.Errorf("through the gateway: %d %.120q, want its 403", code, body)
			}
		})
	}

	benign := []req{
		{"prose with or and order by", "/api/echo?q=" + url.QueryEscape("pick 1 or 2 items and order by date"), nil},
		{"a plain bearer token", "/api/echo", http.Header{"Authorization": {"Bearer 6f1c0b5e2d9a4c7e8b3f"}}},
		{"a real jwt", "/api/echo", http.Header{"Authorization": {"Bearer " + jwt(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"1234567890","name":"Ada O'Brien","iat":1516239022}`)}}},
		{"basic credentials", "/api/echo", http.Header{"Authorization": {"Basic " + b64([]byte("alice:correct horse battery staple"))}}},
		{"a j: cookie", "/api/echo", http.Header{"Cookie": {"prefs=" + url.QueryEscape(`j:{"theme":"dark","tags":["go","node"]}`)}}},
		{"a product id", "/api/products/1", nil},
		{"a page of a file name", "/api/echo?file=" + url.QueryEscape("report-2026.pdf"), nil},
	}
	for _, b := range benign {
		t.Run("benign: "+b.name, func(t *testing.T) {
			if code, body := get("http://"+pub, b); code != http.StatusOK {
				t.Errorf("through the gateway: %d %.120q, want the app's 200", code, body)
			}
		})
	}
}

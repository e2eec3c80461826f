package blackbook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAdminAPI(t *testing.T) {
	k, _ := openBook(t, Config{Allowlist: []string{"10.0.0.0/8"}}, Options{})
	srv := httptest.NewServer(k.Handler())
	t.Cleanup(srv.Close)
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(context.Background(), method, srv.URL+path, strings.NewReader(body))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	steps := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/v1/bans", `{"target":"203.0.113.0/24","duration":"2d","reason":"scanner"}`, 201, `"source":"admin"`},
		{"POST", "/v1/bans", `{"target":"203.0.113.9","duration":"1h","colour":"red"}`, 400, `unknown field \"colour\"`},
		{"POST", "/v1/bans", `{"target":"203.0.113.9/24"}`, 400, "did you mean"},
		{"POST", "/v1/bans", `{"target":"10.1.1.1"}`, 409, "allowlisted"},
		{"POST", "/v1/bans", `{"target":"192.0.2.1","duration":"soon"}`, 400, "duration"},
		{"GET", "/v1/bans?active=true", "", 200, `"target":"203.0.113.0/24"`},
		{"GET", "/v1/bans/203.0.113.0%2F24", "", 200, `"current"`},
		{"GET", "/v1/bans/203.0.113.0/24", "", 200, `"current"`},
		{"GET", "/v1/bans/198.51.100.1", "", 404, "not found"},
		{"DELETE", "/v1/bans/203.0.113.0/24", `{"reason":"done"}`, 200, `"liftedBy":"done"`},
		{"DELETE", "/v1/bans/203.0.113.0/24", "", 404, "not banned"},
		{"POST", "/v1/allowlist", `{"cidr":"192.0.2.0/24","reason":"office"}`, 201, `"lifted":[]`},
		{"GET", "/v1/allowlist", "", 200, `"192.0.2.0/24"`},
		{"DELETE", "/v1/allowlist/192.0.2.0%2F24", "", 204, ""},
		{"DELETE", "/v1/allowlist/10.0.0.0/8", "", 409, "bulwark.yaml"},
		{"GET", "/v1/offenders", "", 200, `"offenders":[]`},
		{"GET", "/v1/offenders/nope", "", 400, "not an IP"},
		{"GET", "/v1/blackbook/export", "", 200, `"type":"ban"`},
		{"POST", "/v1/blackbook/import", `{"type":"nope"}`, 400, "line 1"},
		{"POST", "/v1/bans", strings.Repeat(" ", 70<<10) + `{}`, 400, "over"},
	}
	for _, s := range steps {
		status, body := do(s.method, s.path, s.body)
		if status != s.status || !strings.Contains(body, s.want) {
			t.Errorf("%s %s = %d %s; want %d with %q", s.method, s.path, status, body, s.status, s.want)
		}
		if status >= 400 && !json.Valid([]byte(body)) {
			t.Errorf("%s %s: error body is not JSON: %s", s.method, s.path, body)
		}
	}
}

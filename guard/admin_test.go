package guard

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/supervise"
)

func getAdmin(t *testing.T, g *Gateway, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	g.AdminHandler("t").ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestAdminAppLogs(t *testing.T) {
	g, err := New(Config{Upstream: "http://127.0.0.1:1"}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if code, body := getAdmin(t, g, "/v1/app/logs"); code != 404 || !strings.Contains(body, "supervises no app") {
		t.Errorf("GET /v1/app/logs with no app = %d %s, want 404", code, body)
	}

	app, err := supervise.New(supervise.Config{
		Command: []string{"/bin/sh", "-c", `echo "listening on 3000"; echo '<img src=x onerror=alert(1)>' >&2; exec sleep 60`},
		Logs:    supervise.Logs{Console: supervise.ConsoleOff}}, supervise.Options{Logger: quiet().Logger})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	defer func() { cancel(); <-done }()
	opts := quiet()
	opts.App = app
	if g, err = New(Config{Upstream: "http://127.0.0.1:1"}, opts); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Lines []supervise.Line `json:"lines"`
		Keeps int              `json:"keeps"`
	}
	for deadline := time.Now().Add(10 * time.Second); len(got.Lines) < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		code, body := getAdmin(t, g, "/v1/app/logs")
		if code != 200 {
			t.Fatalf("GET /v1/app/logs = %d %s", code, body)
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
	}
	if len(got.Lines) != 2 || got.Keeps != supervise.RecentLines {
		t.Fatalf("GET /v1/app/logs = %+v, want the app's 2 lines and keeps %d", got, supervise.RecentLines)
	}
	texts := map[string]string{}
	for _, l := range got.Lines {
		texts[l.Stream] = l.Text
	}
	if texts["stdout"] != "listening on 3000" || texts["stderr"] != "<img src=x onerror=alert(1)>" {
		t.Errorf("lines by stream = %q, want the app's output as it wrote it", texts)
	}
	if code, body := getAdmin(t, g, "/v1/app/logs?limit=1"); code != 200 || strings.Count(body, `"text"`) != 1 {
		t.Errorf("GET /v1/app/logs?limit=1 = %d %s, want one line", code, body)
	}
	if code, _ := getAdmin(t, g, "/v1/app/logs?limit=-3"); code != 400 {
		t.Errorf("GET /v1/app/logs?limit=-3 = %d, want 400", code)
	}
}

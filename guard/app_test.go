package guard

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/supervise"
)

// TestHungAppAnswered504AtOnce runs a real supervisor (of a sleeping
// process) over an upstream that answers nothing, as a Node app with a
// blocked event loop: once hang detection declares it hung, the request
// waiting on it gets 504 with its request id at once, long before the
// proxy's response timeout, and the status says why the app was restarted.
func TestHungAppAnswered504AtOnce(t *testing.T) {
	release := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		select { // hung: no answer, to the probe or to anyone
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	ev := newEvents()
	app, err := supervise.New(supervise.Config{
		Command: []string{"sleep", "1000"},
		Logs:    supervise.Logs{Console: supervise.ConsoleOff},
		Hang:    supervise.Hang{URL: up.URL + "/", After: 400 * time.Millisecond, Interval: 100 * time.Millisecond, Timeout: 100 * time.Millisecond},
		Backoff: supervise.Backoff{Initial: 10 * time.Millisecond},
	}, supervise.Options{Bus: ev.bus, Logger: quiet().Logger, Traffic: &supervise.Traffic{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	defer func() { cancel(); <-done }()

	g, err := New(Config{Upstream: up.URL}, Options{Bus: ev.bus, Logger: quiet().Logger, App: app})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()

	client := &http.Client{Timeout: 10 * time.Second} // the proxy's own timeout is 60s
	t0 := time.Now()
	resp, err := client.Get(srv.URL + "/report")
	if err != nil {
		t.Fatalf("request to the hung app: %v (no prompt answer)", err)
	}
	resp.Body.Close()
	if id := resp.Header.Get(RequestHeader); resp.StatusCode != http.StatusGatewayTimeout || id == "" {
		t.Errorf("request to the hung app = %d (id %q) after %v, want 504 with the request id", resp.StatusCode, id, time.Since(t0))
	}
	ev.wait(t, "process-hung")
	e := ev.wait(t, "upstream-timeout")
	if !strings.Contains(e.Message, "hang detection") {
		t.Errorf("upstream-timeout event message %q, want it to name hang detection", e.Message)
	}

	ev.waitFor(t, "the restart", func(e event.Event) bool { return e.Action == "process-started" && e.Labels["restarts"] == "1" })
	rec := httptest.NewRecorder()
	g.serveAppStatus(rec, httptest.NewRequest("GET", "/v1/app", nil))
	var st AppStatus
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if st.LastExit == nil || st.LastExit.Reason != "hung" || !strings.HasPrefix(st.LastExit.Detail, "no answer for") || st.Restarts != 1 {
		t.Errorf("/v1/app after the hang = %s, want 1 restart, last exit hung: no answer for…", rec.Body)
	}
}

package guard

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/inspect"
)

func TestAttacksBlockedAndReported(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, ev := newGateway(t, Config{Upstream: up.URL})

	resp, err := http.Get(gw.URL + "/search?q=" + url.QueryEscape("' UNION SELECT id, name, value FROM secrets--"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get(RequestHeader)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), id) {
		t.Fatalf("SQLi = %d %q, want 403 naming request id %s", resp.StatusCode, body, id)
	}
	if resp.Header.Get("X-Frame-Options") == "" {
		t.Error("the block page lacks the secure headers")
	}
	if r := up.lastRequest(); r != nil && strings.HasPrefix(r.URL.Path, "/search") {
		t.Error("the attack reached the app")
	}
	e := ev.wait(t, "attack-blocked")
	if e.Category != event.CategoryMalicious || e.Kind != event.KindAlert || e.RequestID != id || e.RuleName != "sqli" || e.Labels["where"] != "query:q" {
		t.Errorf("event = %+v", e)
	}

	resp, err = http.Get(gw.URL + "/search?q=" + url.QueryEscape("O'Brien's guide: how to select a plan from the union catalogue"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("benign search = %d, want 200", resp.StatusCode)
	}
}

func TestDetectModePassesAndLogs(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, ev := newGateway(t, Config{Upstream: up.URL, Inspect: inspect.Config{Mode: inspect.ModeDetect}})
	resp, err := http.Get(gw.URL + "/.env")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("detect mode = %d, want the app's 200", resp.StatusCode)
	}
	e := ev.wait(t, "attack-detected")
	if e.Category != event.CategoryMalicious || e.RuleName != "sensitive-file" {
		t.Errorf("event = %+v", e)
	}
}

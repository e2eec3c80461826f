package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/guard"
	"github.com/bulwark-sec/bulwark/supervise"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *updateGolden {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}

var (
	goldenNow = time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	goldenBan = blackbook.Ban{ID: "B1", Target: mustTarget("203.0.113.66"), Reason: "5 blocked attacks from 203.0.113.66 in 1s",
		Source: "scenario:attack", Created: goldenNow.Add(-time.Hour), Expires: goldenNow.Add(3 * time.Hour)}
	goldenBans = []blackbook.Ban{
		goldenBan,
		{ID: "B2", Target: mustTarget("198.51.100.0/24"), Reason: "scanner", Source: "cli", Created: goldenNow.Add(-2 * time.Hour)},
		{ID: "B3", Target: mustTarget("user:alice"), Reason: "credential stuffing", Source: "admin", Created: goldenNow.Add(-3 * time.Hour),
			Expires: goldenNow.Add(time.Hour), Lifted: goldenNow.Add(-time.Hour), LiftedBy: "customer's office"},
	}
)

func mustTarget(s string) blackbook.Target {
	t, err := blackbook.ParseTarget(s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestGoldenOutput pins what people and scripts read: every listing's
// human form (plain and coloured) and its --json.
func TestGoldenOutput(t *testing.T) {
	for _, colour := range []bool{false, true} {
		p, suffix := palette{on: colour}, ".txt"
		if colour {
			suffix = ".color.txt"
		}
		t.Run("bans list"+suffix, func(t *testing.T) {
			var b bytes.Buffer
			printBans(&b, goldenBans, p)
			printBans(&b, nil, p)
			golden(t, "bans_list"+suffix, b.Bytes())
		})
		t.Run("bans show"+suffix, func(t *testing.T) {
			var b bytes.Buffer
			cur := goldenBan
			printDossier(&b, blackbook.Dossier{
				Target: goldenBan.Target, Current: &cur, History: []blackbook.Ban{goldenBan},
				Offender: &blackbook.Offender{IP: netip.MustParseAddr("203.0.113.66"), Users: []string{"alice"},
					FirstSeen: goldenNow.Add(-time.Hour - 2*time.Second), LastSeen: goldenNow.Add(-time.Hour),
					Counts: map[string]int64{"sqli": 3, "xss": 2},
					Evidence: []blackbook.Evidence{
						{Time: goldenNow.Add(-time.Hour), Class: "sqli", RuleID: "bw-sqli-001", Sample: "GET /search: blocked sqli in query:q"},
						{Time: goldenNow.Add(-time.Hour - time.Second), Class: "xss", RuleID: "bw-xss-002", Sample: "GET /search: blocked xss in query:q"},
					}},
			}, goldenNow, p)
			b.WriteString("--\n")
			printDossier(&b, blackbook.Dossier{Target: mustTarget("192.0.2.1"), History: []blackbook.Ban{goldenBans[2]}}, goldenNow, p)
			golden(t, "bans_show"+suffix, b.Bytes())
		})
		t.Run("status"+suffix, func(t *testing.T) {
			var b bytes.Buffer
			printGatewayStatus(&b, goldenStatus(), p)
			b.WriteString("--\n")
			printGatewayStatus(&b, gatewayStatus{Admin: "127.0.0.1:9090", Sinks: []sinkBacklog{}}, p)
			golden(t, "status"+suffix, b.Bytes())
		})
		t.Run("events list"+suffix, func(t *testing.T) {
			var b bytes.Buffer
			for _, e := range goldenEvents() {
				raw, _ := json.Marshal(e)
				printEventLine(&b, raw, p)
			}
			golden(t, "events_list"+suffix, b.Bytes())
		})
	}
	t.Run("json", func(t *testing.T) {
		var b bytes.Buffer
		writeJSON(&b, orEmpty(goldenBans))
		writeJSON(&b, orEmpty([]blackbook.Ban(nil)))
		writeJSON(&b, goldenStatus())
		writeJSON(&b, gatewayStatus{Admin: "127.0.0.1:9090", Sinks: []sinkBacklog{}})
		golden(t, "outputs.json", b.Bytes())
	})
}

func goldenStatus() gatewayStatus {
	st := gatewayStatus{Admin: "127.0.0.1:9090"}
	st.Requests.Total, st.Requests.Blocked, st.Requests.Banned, st.Requests.RateLimited, st.Requests.UpstreamErrors = 1234, 9, 4, 2, 1
	n := 1
	st.BansInForce = &n
	healthy := true
	st.App = &guard.AppStatus{State: supervise.State("ready"), PID: 4242, UptimeSeconds: 3725, Restarts: 1, Healthy: &healthy}
	st.Advisories = &advisories{Open: 3, Counts: map[string]int{"high": 2, "critical": 1}}
	st.Sinks = []sinkBacklog{{Name: "papertrail", BacklogBytes: 12 << 10, HeldEvents: 3}, {Name: "webhook"}}
	return st
}

func goldenEvents() []event.Event {
	return []event.Event{
		{Time: goldenNow, ID: "E1", Kind: event.KindAlert, Category: event.CategoryNetwork, Type: "denied", Action: "ban",
			Severity: event.SeverityMedium, SourceIP: netip.MustParseAddr("203.0.113.66"),
			Message: "banned 203.0.113.66 for 4h (repeat 0, by scenario:attack): 5 blocked attacks"},
		{Time: goldenNow.Add(-time.Second), ID: "E2", Kind: event.KindEvent, Category: event.CategoryMalicious, Type: "denied",
			Action: "attack-blocked", Severity: event.SeverityCritical, SourceIP: netip.MustParseAddr("203.0.113.66"),
			Method: "GET", Path: "/search", RuleID: "bw-sqli-001", Message: "blocked sqli in query:q"},
		{Time: goldenNow.Add(-time.Minute), ID: "E3", Kind: event.KindEvent, Category: event.CategoryAuthentication, Type: "info",
			Action: "login-failed", Severity: event.SeverityLow, UserName: "alice", Method: "POST", Path: "/login"},
		{Time: goldenNow.Add(-time.Hour), ID: "E4", Category: event.CategoryConfiguration, Type: "start", Action: "guard-started",
			Message: "bulwark guard listening on 127.0.0.1:8080 for http://127.0.0.1:3000"},
	}
}

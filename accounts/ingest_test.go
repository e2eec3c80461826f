package accounts

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestIngestHandler(t *testing.T) {
	w, rec := newTestWatch(t, Config{IngestToken: "ingest-tok"}, newClock())
	h := w.IngestHandler()
	for _, tc := range []struct {
		name, body, auth string
		want             int
		msg              string
	}{
		{"ok", `{"type":"login.failure","user":"alice","ip":"192.0.2.9"}`, "Bearer ingest-tok", 202, ""},
		{"no token", `{"type":"login.failure","user":"alice","ip":"192.0.2.9"}`, "", 401, "Bearer"},
		{"wrong token", `{"type":"login.failure","user":"alice","ip":"192.0.2.9"}`, "Bearer nope", 401, "Bearer"},
		{"unknown type", `{"type":"login.maybe","user":"alice","ip":"192.0.2.9"}`, "Bearer ingest-tok", 400, "unknown event type"},
		{"missing type", `{"user":"alice","ip":"192.0.2.9"}`, "Bearer ingest-tok", 400, "type: missing"},
		{"missing user", `{"type":"logout"}`, "Bearer ingest-tok", 400, "user: missing"},
		{"login without ip", `{"type":"login.success","user":"alice"}`, "Bearer ingest-tok", 400, "ip: missing"},
		{"bad ip", `{"type":"login.success","user":"alice","ip":"nope"}`, "Bearer ingest-tok", 400, "not an IP"},
		{"unknown field", `{"type":"login.success","user":"alice","ip":"192.0.2.9","password":"x"}`, "Bearer ingest-tok", 400, "unknown field"},
		{"two objects", `{"type":"logout","user":"a"}{}`, "Bearer ingest-tok", 400, "exactly one"},
		{"not json", `type=logout`, "Bearer ingest-tok", 400, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/bulwark/v1/events", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rr := httptest.NewRecorder()
			h.ServeHTTP(rr, req)
			if rr.Code != tc.want || !strings.Contains(rr.Body.String(), tc.msg) {
				t.Errorf("POST %s = %d %q, want %d mentioning %q", tc.body, rr.Code, rr.Body.String(), tc.want, tc.msg)
			}
		})
	}
	if rec.count("login-failure") != 1 {
		t.Errorf("events %v, want the one accepted login-failure", rec.actions())
	}
}

func TestIngestGoAPI(t *testing.T) {
	w, rec := newTestWatch(t, Config{Thresholds: Thresholds{PairFailures: 3}}, newClock())
	ctx := context.Background()
	if err := w.Ingest(ctx, Report{Type: "register", User: "dave", Email: "dave@example.com"}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		w.Ingest(ctx, Report{Type: "login.failure", User: "dave", IP: "192.0.2.5"})
	}
	if rec.count("login-pair-blocked") != 1 {
		t.Errorf("events %v, want a pair block after 3 reported failures", rec.actions())
	}
	w.Ingest(ctx, Report{Type: "email.change", User: "dave", Email: "dave@new.example"})
	w.Close()
	if len(rec.mails) != 1 || rec.mails[0].To != "dave@example.com" {
		t.Errorf("mails %+v, want one to the old address", rec.mails)
	}
	if err := w.Ingest(ctx, Report{Type: "nope", User: "x"}); err == nil {
		t.Error("Ingest accepted an unknown type")
	}
}

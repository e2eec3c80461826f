package inspect

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// proseBody is a JSON body of about n bytes of words, semicolons and
// quotes: benign, but read by most detectors.
func proseBody(n int) []byte {
	v := repeatTo("it's late; the cat (who's ours) sat on the mat, then left. ", n)
	return []byte(`{"comment":"` + v + `"}`)
}

func jsonRequest(body []byte) *Request {
	return &Request{Method: "POST", URI: "/api/comments", Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// TestBudget checks that a request whose inspection costs more work than
// its size allows is stopped and blocked, not allowed, and that one within
// it is not stopped.
func TestBudget(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := jsonRequest(proseBody(256 << 10))
	v, work := e.inspect(r)
	if v.Action != Allow || hasRule(v, ruleBudget.id) {
		t.Fatalf("256 KB of prose = %+v, want allowed", v)
	}
	if limit := workPerByte * requestSize(r); work > limit/4 {
		t.Errorf("256 KB of prose cost %d, over a quarter of its budget %d", work, limit)
	}

	// The same request with a budget of one byte of work per byte.
	e.workPerByte = 1
	v, stopped := e.inspect(r)
	if v.Action != Block || !hasRule(v, ruleBudget.id) {
		t.Errorf("256 KB of prose over budget = %+v, want blocked by %s", v, ruleBudget.id)
	}
	if stopped > work/2 {
		t.Errorf("inspection over budget went on: %d of %d", stopped, work)
	}
	e.workPerByte = workPerByte

	// A detect-mode engine logs the stop.
	d, err := New(Config{Mode: ModeDetect})
	if err != nil {
		t.Fatal(err)
	}
	d.workPerByte = 1
	if v := d.Inspect(r); v.Action != Log || !hasRule(v, ruleBudget.id) {
		t.Errorf("over budget in detect mode = %+v, want logged by %s", v, ruleBudget.id)
	}
}

// TestContextDone checks that inspection stops, and the request is
// refused without being counted as an attack, when its context is done:
// the client went away.
func TestContextDone(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := jsonRequest(proseBody(256 << 10))
	_, full := e.inspect(r)

	ctx, cancel := context.WithCancel(context.Background())
	r.Context = ctx
	if v := e.Inspect(r); v.Action != Allow {
		t.Fatalf("256 KB of prose, context live = %+v, want allowed", v)
	}
	cancel()
	v, work := e.inspect(r)
	if v.Action == Allow || !hasRule(v, ruleGone.id) || Refused(v) == 0 || v.Score != 0 {
		t.Errorf("256 KB of prose, context done = %+v, want refused by %s with no score", v, ruleGone.id)
	}
	if work > full/4 {
		t.Errorf("inspection went on after the context was done: %d of %d", work, full)
	}
}

// TestMiddlewareContext checks that the middleware hands the request's
// context to the engine: a client gone is not let through.
func TestMiddlewareContext(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	reached := false
	h := e.Middleware(MiddlewareOptions{})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "POST", "/api/comments", strings.NewReader(string(proseBody(512<<10))))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if reached || rec.Code != http.StatusBadRequest {
		t.Errorf("request of a client gone: %d, reached the app: %v; want 400, not reached", rec.Code, reached)
	}
}

package inspect

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMiddleware(t *testing.T) {
	e, err := New(Config{MaxBody: 64})
	if err != nil {
		t.Fatal(err)
	}
	var reported []Verdict
	var seenBody string
	var reached bool // the next handler ran
	h := e.Middleware(MiddlewareOptions{OnVerdict: func(_ *http.Request, v Verdict) { reported = append(reported, v) }})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		b, _ := io.ReadAll(r.Body)
		seenBody = string(b)
		io.WriteString(w, "ok")
	}))

	// A benign body reaches the next handler intact.
	req := httptest.NewRequest("POST", "/api/comments", strings.NewReader(`{"text":"hello"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || seenBody != `{"text":"hello"}` || len(reported) != 0 {
		t.Errorf("benign POST: %d, next saw %q, reported %v", rec.Code, seenBody, reported)
	}

	// An attack gets a 403 naming the request id, and is reported.
	reached = false
	req = httptest.NewRequest("GET", "/items?id=1%27%20UNION%20SELECT%20password%20FROM%20users--", nil)
	rec = httptest.NewRecorder()
	rec.Header().Set(RequestIDHeader, "req-42")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "req-42") || reached {
		t.Errorf("attack: %d %q, next handler ran: %v", rec.Code, rec.Body.String(), reached)
	}
	if len(reported) != 1 || reported[0].Action != Block {
		t.Errorf("reported %+v, want one block", reported)
	}

	// A '#' in the request-target is refused with 400 before the
	// handler: the engine would read up to it, the app past it.
	reported, reached = nil, false
	req = httptest.NewRequest("GET", "/x", nil)
	req.RequestURI = "/x#/../.env"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || reached || len(reported) != 1 || Refused(reported[0]) != http.StatusBadRequest {
		t.Errorf("GET /x#/../.env: %d, next handler ran: %v, reported %+v; want 400, refused before the handler", rec.Code, reached, reported)
	}
	reported = nil

	// A body over the limit is refused with 413 before the handler.
	req = httptest.NewRequest("POST", "/upload", strings.NewReader(strings.Repeat("x", 100)))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("over-limit body: %d, want 413", rec.Code)
	}
	// Also without a Content-Length.
	req = httptest.NewRequest("POST", "/upload", io.MultiReader(strings.NewReader(strings.Repeat("x", 100))))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("over-limit chunked body: %d, want 413", rec.Code)
	}

	// A body that cannot be read fails closed.
	req = httptest.NewRequest("POST", "/x", errReader{})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("unreadable body: %d, want 400", rec.Code)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// TestMiddlewareSeesHost checks that the engine judges the host the client
// named, which net/http takes out of the header: a script on another site
// in a file parameter is a remote include only when the engine knows
// which site is this one.
func TestMiddlewareSeesHost(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	reached := false
	h := e.Middleware(MiddlewareOptions{})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	for _, c := range []struct {
		target string
		want   int
	}{
		{"/page?file=https%3A%2F%2Fevil.example%2Fe.php", http.StatusForbidden},
		{"/page?file=https%3A%2F%2Fshop.example%2Fe.php", http.StatusOK}, // this site's own
		{"/page?file=report.pdf", http.StatusOK},
	} {
		reached = false
		req := httptest.NewRequest("GET", "http://shop.example"+c.target, nil)
		if req.Header.Get("Host") != "" || req.Host != "shop.example" {
			t.Fatalf("the test request's host is in its header: %q", req.Header.Get("Host"))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want || reached != (c.want == http.StatusOK) {
			t.Errorf("GET %s to shop.example: %d (handler ran: %v), want %d", c.target, rec.Code, reached, c.want)
		}
	}
}

package limit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestMiddleware(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	var limited []Decision
	l := newLimiter(t, onlyPerIP("1/m", 2), Options{Clock: clk.now, OnLimit: func(r *http.Request, d Decision) { limited = append(limited, d) }})
	h := l.Middleware()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app") }))

	do := func(remote string) *http.Response {
		r := httptest.NewRequest("GET", "/page", nil)
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	for range 2 {
		if res := do("192.0.2.1:1234"); res.StatusCode != 200 {
			t.Fatalf("status %d within the burst", res.StatusCode)
		}
	}
	clk.advance(500 * time.Millisecond)
	res := do("192.0.2.1:1234")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "60" || string(body) != "Too Many Requests: retry in 60 s.\n" {
		t.Errorf("over the burst: %d, Retry-After %q, body %q; want 429, 60 (59.5s rounded up)", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if len(limited) != 1 || limited[0].Limit != "perIP" || limited[0].Key != netip.MustParsePrefix("192.0.2.1/32") {
		t.Errorf("onLimit got %+v, want one perIP decision for 192.0.2.1/32", limited)
	}
	if res := do("192.0.2.2:1234"); res.StatusCode != 200 {
		t.Errorf("another client: %d", res.StatusCode)
	}

	// The ClientIP func decides who the client is.
	fixed := netip.MustParseAddr("198.51.100.7")
	l2 := newLimiter(t, onlyPerIP("1/m", 2), Options{Clock: clk.now, ClientIP: func(*http.Request) netip.Addr { return fixed }})
	h2 := l2.Middleware()(http.NotFoundHandler())
	codes := []int{}
	for range 3 {
		w := httptest.NewRecorder()
		h2.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		codes = append(codes, w.Code)
	}
	if codes[0] != 404 || codes[1] != 404 || codes[2] != 429 {
		t.Errorf("statuses with a fixed client IP: %v, want [404 404 429]", codes)
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want int64
	}{{0, 1}, {time.Nanosecond, 1}, {time.Second, 1}, {time.Second + 1, 2}, {59500 * time.Millisecond, 60}, {time.Hour, 3600}} {
		if got := RetryAfterSeconds(tt.d); got != tt.want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestMiddlewareAllowPathDoesNotAllocate(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.1")
	l := newLimiter(t, Config{PerIP: Limit{Rate: mustRate("1000000/s"), Burst: 1000000}, PerNetwork: Network{Rate: mustRate("1000000/s"), Burst: 1000000}},
		Options{ClientIP: func(*http.Request) netip.Addr { return ip }})
	w := httptest.NewRecorder()
	h := l.Middleware()(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/x", nil)
	if n := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, r) }); n != 0 {
		t.Errorf("middleware allow path: %v allocations per request, want 0", n)
	}
	if w.Code != 200 {
		t.Errorf("status %d, want 200: a request was refused", w.Code)
	}
}

func TestDisabledMiddlewareIsNext(t *testing.T) {
	l := newTestLimiter(t, Config{Disable: true}, nil)
	next := http.NotFoundHandler()
	if h := l.Middleware()(next); h == nil {
		t.Fatal("nil handler")
	} else if w := httptest.NewRecorder(); true {
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 404 {
			t.Errorf("disabled middleware: status %d, want next's 404", w.Code)
		}
	}
}

// newLimiter is New with t's cleanup closing the Limiter.
func newLimiter(t testing.TB, cfg Config, opts Options) *Limiter {
	t.Helper()
	l, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

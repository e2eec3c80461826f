package accounts

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeApp answers like the example Express app's form login: 302 to
// /profile with a new sid cookie on the right password, 401 otherwise.
type fakeApp struct {
	hits atomic.Int64
}

func (a *fakeApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.hits.Add(1)
	switch r.URL.Path {
	case "/login", "/signin":
		r.ParseForm()
		if r.PostForm.Get("password") == "correct horse battery staple" || r.PostForm.Get("password") == "password" {
			var b [16]byte
			rand.Read(b[:])
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: hex.EncodeToString(b[:]), Path: "/", HttpOnly: true})
			http.Redirect(w, r, "/profile", http.StatusFound)
			return
		}
		http.Error(w, "Invalid username or password", http.StatusUnauthorized)
	default:
		fmt.Fprintln(w, "page")
	}
}

func formLogin(t *testing.T, h http.Handler, ip, user, pass string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {user}, "password": {pass}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Test-IP", ip)
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr
}

func TestPairBlockAfterConsecutiveFailures(t *testing.T) {
	w, rec := newTestWatch(t, Config{Preset: "express-example"}, newClock())
	app := &fakeApp{}
	h := w.Middleware()(app)
	for i := range 10 {
		if rr := formLogin(t, h, "198.51.100.1", "alice", fmt.Sprintf("guess%d", i)); rr.Code != 401 {
			t.Fatalf("failure %d = %d, want 401 from the app", i, rr.Code)
		}
	}
	hits := app.hits.Load()
	rr := formLogin(t, h, "198.51.100.1", "alice", "correct horse battery staple")
	if rr.Code != http.StatusTooManyRequests || rr.Header().Get("Retry-After") == "" {
		t.Fatalf("11th login from the pair = %d, want 429 with Retry-After", rr.Code)
	}
	if app.hits.Load() != hits {
		t.Errorf("a blocked pair's login reached the app")
	}
	if rr := formLogin(t, h, "198.51.100.2", "alice", "correct horse battery staple"); rr.Code != http.StatusFound {
		t.Errorf("alice from another IP = %d, want 302", rr.Code)
	}
	if rec.count("login-failure") != 10 || rec.count("login-pair-blocked") != 1 || rec.count("login-blocked") != 1 || rec.count("login-success") != 1 {
		t.Errorf("events = %v", rec.actions())
	}
}

func TestCredentialStuffingBansIP(t *testing.T) {
	w, rec := newTestWatch(t, Config{Preset: "express-example", Thresholds: Thresholds{IPUsers: 5}}, newClock())
	h := w.Middleware()(&fakeApp{})
	for i := range 5 {
		formLogin(t, h, "192.0.2.66", fmt.Sprintf("user%d", i), "Winter2024!")
	}
	if len(rec.bans) != 1 || rec.bans[0].IP.String() != "192.0.2.66" || rec.count("credential-stuffing") != 1 {
		t.Fatalf("bans %+v, events %v; want one ban of 192.0.2.66", rec.bans, rec.actions())
	}
}

func TestDistributedFailuresAlert(t *testing.T) {
	w, rec := newTestWatch(t, Config{Preset: "express-example", Thresholds: Thresholds{UserIPs: 3}}, newClock())
	h := w.Middleware()(&fakeApp{})
	for i := range 4 {
		formLogin(t, h, fmt.Sprintf("192.0.2.%d", i+1), "alice", "nope")
	}
	if rec.count("distributed-login-failures") != 1 {
		t.Fatalf("events %v; want one distributed-login-failures alert", rec.actions())
	}
}

func TestFailureRatioSpike(t *testing.T) {
	w, rec := newTestWatch(t, Config{Preset: "express-example", Thresholds: Thresholds{RatioMin: 10, Ratio: 0.5}}, newClock())
	h := w.Middleware()(&fakeApp{})
	for i := range 12 {
		formLogin(t, h, fmt.Sprintf("10.0.%d.1", i), fmt.Sprintf("u%d", i), "nope")
	}
	if rec.count("login-failure-spike") != 1 {
		t.Fatalf("events %v; want one login-failure-spike", rec.actions())
	}
}

func TestHeuristicFailedLogin(t *testing.T) {
	w, rec := newTestWatch(t, Config{}, newClock())
	h := w.Middleware()(&fakeApp{})
	for _, tc := range []struct {
		path string
		want int
	}{{"/signin", 1}, {"/search", 0}} {
		before := rec.count("login-failure")
		req := httptest.NewRequest("POST", tc.path, strings.NewReader("username=carol&password=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		if got := rec.count("login-failure") - before; got != tc.want {
			t.Errorf("POST %s: %d login-failure events, want %d", tc.path, got, tc.want)
		}
	}
	e := rec.events[0]
	if e.UserName != "carol" || e.Labels["detection"] != "heuristic" {
		t.Errorf("heuristic event = %+v, want user carol marked heuristic", e)
	}
}

func TestRequestBodyReachesApp(t *testing.T) {
	w, _ := newTestWatch(t, Config{Preset: "express-example"}, newClock())
	var got string
	h := w.Middleware()(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got = r.PostForm.Get("password")
		http.Error(rw, "no", 401)
	}))
	formLogin(t, h, "192.0.2.1", "alice", "s3cret pass")
	if got != "s3cret pass" {
		t.Errorf("app got password %q, want the body unchanged", got)
	}
}

func TestStreamingResponsePasses(t *testing.T) {
	w, _ := newTestWatch(t, Config{Preset: "express-example"}, newClock())
	h := w.Middleware()(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.WriteHeader(200)
		rw.Write([]byte("first"))
		if err := http.NewResponseController(rw).Flush(); err != nil {
			t.Errorf("Flush through the watch: %v", err)
		}
	}))
	rr := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/me", nil)
	h.ServeHTTP(rr, req)
	if !rr.Flushed || rr.Body.String() != "first" {
		t.Errorf("flushed=%v body=%q, want the flush and the body through", rr.Flushed, rr.Body.String())
	}
}

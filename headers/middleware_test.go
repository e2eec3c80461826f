package headers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/http/httputil"
	"net/textproto"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// serve runs h behind New(cfg) for one GET over HTTPS and returns the
// response.
func serve(t *testing.T, cfg Config, h http.Handler) *http.Response {
	t.Helper()
	mw, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rec := httptest.NewRecorder()
	mw(h).ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	return rec.Result()
}

func setting(kv ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		io.WriteString(w, "ok")
	})
}

func TestAppValueWins(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		app    []string // header, value, ... set by the application
		header string
		want   []string // nil: absent
	}{
		{"default added", Config{}, nil, "X-Frame-Options", []string{"SAMEORIGIN"}},
		{"app's frame options win", Config{}, []string{"X-Frame-Options", "DENY"}, "X-Frame-Options", []string{"DENY"}},
		{"override", Config{XFrameOptions: &XFrameOptions{Override: true}}, []string{"X-Frame-Options", "DENY"}, "X-Frame-Options", []string{"SAMEORIGIN"}},
		{"legacy name override", Config{Frameguard: &XFrameOptions{Action: "deny", Override: true}}, []string{"X-Frame-Options", "SAMEORIGIN"}, "X-Frame-Options", []string{"DENY"}},
		{"app's csp wins", Config{}, []string{"Content-Security-Policy", "default-src *"}, "Content-Security-Policy", []string{"default-src *"}},
		{"csp override", Config{ContentSecurityPolicy: &ContentSecurityPolicy{Override: true, UseDefaults: new(false), Directives: Directives{"default-src": {"'none'"}}}},
			[]string{"Content-Security-Policy", "default-src *"}, "Content-Security-Policy", []string{"default-src 'none'"}},
		{"app's empty value wins", Config{}, []string{"Referrer-Policy", ""}, "Referrer-Policy", []string{""}},
		{"hsts override", Config{StrictTransportSecurity: &StrictTransportSecurity{Override: true}}, []string{"Strict-Transport-Security", "max-age=0"}, "Strict-Transport-Security", []string{"max-age=31536000; includeSubDomains"}},
		{"disabled leaves app's value", Config{StrictTransportSecurity: &StrictTransportSecurity{Disable: true}}, []string{"Strict-Transport-Security", "max-age=0"}, "Strict-Transport-Security", []string{"max-age=0"}},
		{"powered-by removed", Config{}, []string{"X-Powered-By", "Express"}, "X-Powered-By", nil},
		{"powered-by removed by legacy name", Config{HidePoweredBy: &Switch{}}, []string{"X-Powered-By", "PHP/8"}, "X-Powered-By", nil},
		{"powered-by kept when disabled", Config{XPoweredBy: &Switch{Disable: true}}, []string{"X-Powered-By", "Express"}, "X-Powered-By", []string{"Express"}},
		{"coep off by default", Config{}, nil, "Cross-Origin-Embedder-Policy", nil},
		{"coep on when present", Config{CrossOriginEmbedderPolicy: &CrossOriginEmbedderPolicy{}}, nil, "Cross-Origin-Embedder-Policy", []string{"require-corp"}},
		{"permissions policy", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"camera": {}, "geolocation": {"self"}, "fullscreen": {"self", "https://x.example/"}}}},
			nil, "Permissions-Policy", []string{`camera=(), fullscreen=(self "https://x.example"), geolocation=(self)`}},
		{"permissions policy star", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"autoplay": {"*"}}}}, nil, "Permissions-Policy", []string{"autoplay=*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := serve(t, tt.cfg, setting(tt.app...))
			got := resp.Header[tt.header]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.header, diff)
			}
		})
	}
}

// TestWhenHeadersAreAdded checks every way a handler can start its response.
func TestWhenHeadersAreAdded(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    int
	}{
		{"write", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }, 200},
		{"write header", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, 404},
		{"nothing", func(w http.ResponseWriter, r *http.Request) {}, 200},
		{"flush", func(w http.ResponseWriter, r *http.Request) { w.(http.Flusher).Flush() }, 200},
		{"response controller flush", func(w http.ResponseWriter, r *http.Request) {
			if err := http.NewResponseController(w).Flush(); err != nil {
				t.Error(err)
			}
		}, 200},
		{"headers set after write are not sent", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(204)
			w.Header().Set("X-Frame-Options", "DENY") // too late, as in net/http
		}, 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, err := New(Config{})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(mw(tt.handler))
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
			if got := resp.Header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
				t.Errorf("X-Frame-Options = %q, want SAMEORIGIN", got)
			}
		})
	}
}

// TestBehindReverseProxy runs the middleware in front of an
// httputil.ReverseProxy, as the gateway does.
func TestBehindReverseProxy(t *testing.T) {
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Powered-By", "Express")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		w.Header().Set("X-Got-Nonce", r.Header.Get(NonceHeader))
		io.WriteString(w, "ok")
	}))
	defer app.Close()
	u, _ := url.Parse(app.URL)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u) }}
	mw, err := New(Config{CrossOriginResourcePolicy: &CrossOriginResourcePolicy{Override: true}})
	if err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(mw(proxy))
	defer gw.Close()

	req, _ := http.NewRequest("GET", gw.URL, nil)
	req.Header.Set(NonceHeader, "chosen-by-the-client")
	resp, err := gw.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for name, want := range map[string]string{
		"X-Powered-By":                 "",
		"X-Frame-Options":              "DENY",
		"Cross-Origin-Resource-Policy": "same-origin",
		"X-Content-Type-Options":       "nosniff",
		"X-Got-Nonce":                  "",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// TestInformational checks that 1xx responses pass through without the
// headers, which go on the final response.
func TestInformational(t *testing.T) {
	mw, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		io.WriteString(w, "ok")
	})))
	defer srv.Close()
	var hints []string
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		hints = append(hints, h.Get("X-Frame-Options"))
		return nil
	}}
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]string{""}, hints); diff != "" {
		t.Errorf("X-Frame-Options of 103 responses (-want +got):\n%s", diff)
	}
	if got := resp.Header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
		t.Errorf("final X-Frame-Options = %q, want SAMEORIGIN", got)
	}
}

// TestResponseController checks that http.ResponseController reaches the
// real writer through Unwrap.
func TestResponseController(t *testing.T) {
	mw, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		conn, buf, err := rc.Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
		buf.Flush()
	})))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Errorf("body = %q, want ok", body)
	}
}

// nopWriter is a ResponseWriter that keeps one header map, cleared between
// benchmark iterations so that its buckets are reused.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

func BenchmarkMiddleware(b *testing.B) {
	// The application allocates nothing, so what is measured is ours.
	poweredBy, contentType, ok := []string{"Express"}, []string{"text/plain"}, []byte("ok")
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-Powered-By"] = poweredBy
		w.Header()["Content-Type"] = contentType
		w.Write(ok)
	})
	for _, bc := range []struct {
		name string
		cfg  Config
	}{
		{"defaults", Config{}},
		{"nonce", Config{ContentSecurityPolicy: &ContentSecurityPolicy{Nonce: true}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			mw, err := New(bc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			h := mw(app)
			req := httptest.NewRequest("GET", "/", nil)
			w := &nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
	b.Run("cookies", func(b *testing.B) {
		mw, err := NewCookies(CookieConfig{})
		if err != nil {
			b.Fatal(err)
		}
		cookies := []string{"sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax", "theme=dark"}
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Set-Cookie"] = cookies
		}))
		req := httptest.NewRequest("GET", "/", nil)
		w := &nopWriter{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, req)
		}
	})
}

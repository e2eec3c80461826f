package headers_test

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/headers"
)

// A Go web application adds Helmet's headers to every response; it changes
// two defaults and keeps X-Frame-Options it sets itself on one page.
func ExampleNew() {
	secure, err := headers.New(headers.Config{
		StrictTransportSecurity: &headers.StrictTransportSecurity{MaxAge: new(180 * 24 * time.Hour), Preload: true},
		ReferrerPolicy:          &headers.ReferrerPolicy{Policy: []string{"strict-origin-when-cross-origin"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	mux.HandleFunc("/embed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "DENY") // the application's value wins
		fmt.Fprintln(w, "no framing at all")
	})
	handler := secure(mux) // in a real program: http.ListenAndServe(":8080", handler)

	for _, path := range []string{"/", "/embed"} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com"+path, nil))
		h := rec.Result().Header
		fmt.Println(path, h.Get("X-Frame-Options"), h.Get("Strict-Transport-Security"), h.Get("Referrer-Policy"))
	}
	// Output:
	// / SAMEORIGIN max-age=15552000; includeSubDomains; preload strict-origin-when-cross-origin
	// /embed DENY max-age=15552000; includeSubDomains; preload strict-origin-when-cross-origin
}

// A Go application puts the response's nonce on its inline script, so the
// script runs under a policy that allows no other inline script.
func ExampleNonceFromContext() {
	secure, err := headers.New(headers.Config{
		ContentSecurityPolicy: &headers.ContentSecurityPolicy{Nonce: true},
	})
	if err != nil {
		log.Fatal(err)
	}
	page := template.Must(template.New("page").Parse(`<script nonce="{{.}}">start()</script>`))
	handler := secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page.Execute(w, headers.NonceFromContext(r.Context()))
	}))
	srv := httptest.NewServer(handler)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	nonce := strings.TrimSuffix(strings.TrimPrefix(string(body), `<script nonce="`), `">start()</script>`)
	policy := resp.Header.Get("Content-Security-Policy")
	fmt.Println(strings.Count(policy, "'nonce-"+nonce+"'"), "directives allow the script's nonce")
	// Output: 2 directives allow the script's nonce
}

// The gateway hardens the application's cookies, leaving the CSRF token
// readable by the page's JavaScript.
func ExampleNewCookies() {
	cookies, err := headers.NewCookies(headers.CookieConfig{Exclude: []string{"XSRF-TOKEN"}})
	if err != nil {
		log.Fatal(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "sid=31d4d96e; Path=/")
		w.Header().Add("Set-Cookie", "XSRF-TOKEN=8f1b; Path=/")
	})
	req := httptest.NewRequest("GET", "/", nil)
	req = req.WithContext(headers.WithHTTPS(req.Context())) // TLS ended at the load balancer
	rec := httptest.NewRecorder()
	cookies(app).ServeHTTP(rec, req)
	for _, c := range rec.Result().Header["Set-Cookie"] {
		fmt.Println(c)
	}
	// Output:
	// sid=31d4d96e; Path=/; HttpOnly; SameSite=Lax; Secure
	// XSRF-TOKEN=8f1b; Path=/; SameSite=Lax; Secure
}

// Violation reports go where contentSecurityPolicy.reportPath says.
func ExampleReportHandler() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	secure, err := headers.New(headers.Config{
		ContentSecurityPolicy: &headers.ContentSecurityPolicy{ReportPath: "/.bulwark/csp-report"},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /.bulwark/csp-report", headers.ReportHandler(func(ctx context.Context, r headers.Report) {
		logger.LogAttrs(ctx, slog.LevelWarn, "csp violation",
			slog.String("directive", r.EffectiveDirective), slog.String("blocked", r.BlockedURI))
	}))
	srv := httptest.NewServer(secure(mux))
	defer srv.Close()

	resp, err := srv.Client().Post(srv.URL+"/.bulwark/csp-report", "application/csp-report",
		strings.NewReader(`{"csp-report":{"effective-directive":"script-src-elem","blocked-uri":"https://evil.example/x.js"}}`))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// level=WARN msg="csp violation" directive=script-src-elem blocked=https://evil.example/x.js
	// 204
}

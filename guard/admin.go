package guard

import (
	"crypto/subtle"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// AdminHandler serves /healthz, /metrics, /v1/app (the supervised
// app's status), the black book's API (/v1/bans, /v1/offenders,
// /v1/allowlist, /v1/blackbook/) and the account events an app reports
// (POST /bulwark/v1/events). Every request must carry the
// token as "Authorization: Bearer TOKEN"; others get 401. Serve it only on
// the admin listener.
func (g *Gateway) AdminHandler(token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(g.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /v1/app", g.serveAppStatus)
	if g.book != nil {
		api := g.book.Handler()
		for _, p := range []string{"/v1/bans", "/v1/bans/", "/v1/offenders", "/v1/offenders/", "/v1/allowlist", "/v1/allowlist/", "/v1/blackbook/"} {
			mux.Handle(p, api)
		}
	}
	if g.accounts != nil {
		mux.Handle("POST /bulwark/v1/events", g.accounts.IngestHandler())
	}
	if g.console == nil {
		return requireToken(token, mux)
	}
	return g.withConsole(mux, token)
}

func requireToken(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if token == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bulwark admin"`)
			http.Error(w, "401 Unauthorized: send the admin token as Authorization: Bearer TOKEN", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

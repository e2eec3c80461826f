package guard

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bulwark-sec/bulwark/supervise"
)

// AdminHandler serves /healthz, /metrics, /v1/app (the supervised
// app's status), /v1/app/logs (its last output lines), /v1/routes (the route surface report), the black book's API (/v1/bans, /v1/offenders,
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
	mux.HandleFunc("GET /v1/app/logs", g.serveAppLogs)
	mux.HandleFunc("GET /v1/routes", g.serveRoutes)
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

// appLines is what a supervised app offers beyond [App] to show its
// output; *supervise.Supervisor has it.
type appLines interface {
	RecentLines(n int) []supervise.Line
}

// serveAppLogs answers /v1/app/logs?limit=N: the app's last output lines,
// oldest first, as {"lines": [{"time", "stream", "pid", "text", "cut"}…],
// "keeps": 200}. The text is the app's own output: untrusted. 404 when the
// gateway supervises no app.
func (g *Gateway) serveAppLogs(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	app, ok := g.app.(appLines)
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"this gateway supervises no app, so it has no app output (start it with guard --run)"}` + "\n"))
		return
	}
	n := 0
	if s := r.URL.Query().Get("limit"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"limit: want a positive number of lines"}` + "\n"))
			return
		}
	}
	lines := app.RecentLines(n)
	if lines == nil {
		lines = []supervise.Line{}
	}
	json.NewEncoder(w).Encode(struct {
		Lines []supervise.Line `json:"lines"`
		Keeps int              `json:"keeps"`
	}{lines, supervise.RecentLines})
}

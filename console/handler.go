package console

import (
	"bytes"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
)

// cookieName is the session cookie, scoped to /console/.
const cookieName = "bulwark_console"

// csrfHeader carries the session's CSRF token on every state-changing
// request; the page has it in <meta name="csrf-token">.
const csrfHeader = "X-Csrf-Token"

// Handler serves the console under /console/: the login, the pages, their
// static files, /console/api/routes (the route surface report of
// [Console.SetRoutes]), and /console/api/v1/…, which calls api (the admin API,
// without its token check) in-process once the session, and for anything
// but GET its CSRF token, are checked. Token, the admin token, is accepted
// as a login too. Mount it on the admin listener only, outside the token
// check.
func (c *Console) Handler(api http.Handler, token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/overview", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /console/login", c.serveLoginPage)
	mux.Handle("POST /console/login", c.loginHandler(token))
	mux.Handle("POST /console/logout", c.session(true, http.HandlerFunc(c.serveLogout)))
	mux.Handle("GET /console/static/", c.static)
	for _, name := range pageNames {
		mux.Handle("GET /console/"+name, c.session(false, c.pageHandler(name)))
	}
	mux.Handle("GET /console/api/routes", c.session(true, http.HandlerFunc(c.serveRoutes)))
	mux.Handle("/console/api/", c.session(true, c.apiHandler(api)))
	return c.secure(mux)
}

// session lets a request through when it carries a live session (and, if
// unsafe and api, a CSRF token); pages without one go to the login, API
// calls get 401.
func (c *Console) session(api bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := sessionID(r)
		ok, err := validSession(r.Context(), c.db.DB, id, c.clock())
		if err != nil {
			c.log.LogAttrs(r.Context(), slog.LevelError, "console session", slog.String("error", err.Error()))
			http.Error(w, "500 the console's store failed; see the gateway's log", http.StatusInternalServerError)
			return
		}
		if !ok {
			if !api {
				http.Redirect(w, r, "/console/login", http.StatusSeeOther)
				return
			}
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "not logged in to the console: log in at /console/login"})
			return
		}
		if api && !safeMethod(r.Method) && !validCSRF(r.Header.Get(csrfHeader), id) {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "missing or wrong CSRF token: reload the page and try again"})
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(withSession(r.Context(), id)))
	})
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

func validCSRF(got, id string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(csrfToken(id))) == 1
}

func sessionID(r *http.Request) string {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return ""
	}
	return ck.Value
}

// apiHandler calls the admin API in-process for /console/api/v1/…: the
// console sees exactly what the CLI sees.
func (c *Console) apiHandler(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/console/api")
		if !strings.HasPrefix(path, "/v1/") {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "the console's API is /console/api/v1/…"})
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = path
		r2.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, "/console/api")
		r2.RequestURI = r2.URL.RequestURI()
		r2.Header.Del("Cookie") // the session is the console's, not the API's
		r2.Header.Del(csrfHeader)
		api.ServeHTTP(w, r2)
	})
}

func (c *Console) pageHandler(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.render(w, r, http.StatusOK, name, pageData{
			Page: name, CSRF: csrfToken(sessionFrom(r.Context())),
		})
	})
}

// pageData is what the templates see. It never holds a secret other than
// the CSRF token, which is the page's to send.
type pageData struct {
	Page  string
	CSRF  string
	Error string // for the login page
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		c.log.LogAttrs(r.Context(), slog.LevelError, "console page", slog.String("page", name), slog.String("error", err.Error()))
		http.Error(w, "500 the console could not render this page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

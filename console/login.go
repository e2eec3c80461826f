package console

import (
	"crypto/subtle"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// maxLoginBody bounds the login form.
const maxLoginBody = 4 << 10

func (c *Console) serveLoginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", pageData{Page: "login"})
}

// loginHandler checks the password (or the admin token) and starts a
// session. Failures are counted per address: past the limit, the address
// is refused until the window passes, right password or not.
func (c *Console) loginHandler(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := peer(r)
		now := c.clock()
		if !sameOrigin(r) {
			http.Error(w, "403 a login must come from the console's own page", http.StatusForbidden)
			return
		}
		if wait := c.limiter.wait(ip, now); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			c.render(w, r, http.StatusTooManyRequests, "login", pageData{Page: "login",
				Error: "Too many failed logins from your address: wait a minute and try again."})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
		password := r.PostFormValue("password")
		ok := token != "" && subtle.ConstantTimeCompare([]byte(password), []byte(token)) == 1
		if !ok && password != "" {
			var err error
			if ok, err = checkPassword(r.Context(), c.db.DB, password); err != nil {
				c.log.LogAttrs(r.Context(), slog.LevelError, "console login", slog.String("error", err.Error()))
				http.Error(w, "500 the console's store failed; see the gateway's log", http.StatusInternalServerError)
				return
			}
		}
		if !ok {
			c.limiter.fail(ip, now)
			c.publish(ip, event.OutcomeFailure, "failed console login")
			c.render(w, r, http.StatusUnauthorized, "login", pageData{Page: "login", Error: "Wrong password or token."})
			return
		}
		id, err := createSession(r.Context(), c.db.DB, now, c.cfg.SessionTTL)
		if err != nil {
			c.log.LogAttrs(r.Context(), slog.LevelError, "console login", slog.String("error", err.Error()))
			http.Error(w, "500 the console's store failed; see the gateway's log", http.StatusInternalServerError)
			return
		}
		c.limiter.forget(ip)
		c.publish(ip, event.OutcomeSuccess, "console login")
		http.SetCookie(w, sessionCookie(id, int(c.cfg.SessionTTL.Seconds())))
		http.Redirect(w, r, "/console/overview", http.StatusSeeOther)
	})
}

func (c *Console) serveLogout(w http.ResponseWriter, r *http.Request) {
	if err := deleteSession(r.Context(), c.db.DB, sessionFrom(r.Context())); err != nil {
		c.log.LogAttrs(r.Context(), slog.LevelError, "console logout", slog.String("error", err.Error()))
	}
	http.SetCookie(w, sessionCookie("", -1))
	w.WriteHeader(http.StatusNoContent)
}

// sessionCookie is Secure (browsers treat http://127.0.0.1 and localhost
// as secure contexts, so it works on a loopback admin listener), HttpOnly,
// SameSite=Strict, and sent only to /console/.
func sessionCookie(id string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: cookieName, Value: id, Path: "/console/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}
}

// sameOrigin refuses a login posted from another site (login CSRF). Modern
// browsers say where a request comes from in Sec-Fetch-Site; older ones
// send Origin, which is "null" under the console's Referrer-Policy
// no-referrer, so only a foreign origin there is refused.
func sameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s == "same-origin" || s == "none"
	}
	o := r.Header.Get("Origin")
	return o == "" || o == "null" || o == "http://"+r.Host || o == "https://"+r.Host
}

func (c *Console) publish(ip netip.Addr, outcome event.Outcome, msg string) {
	if c.bus == nil {
		return
	}
	sev := event.SeverityInfo
	if outcome == event.OutcomeFailure {
		sev = event.SeverityLow
	}
	c.bus.Publish(event.Event{Category: event.CategoryAuthentication, Type: "start", Action: "console-login",
		Outcome: outcome, Severity: sev, SourceIP: ip, Path: "/console/login", Method: http.MethodPost, Message: msg})
}

func peer(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// A loginLimiter counts failed logins per address in a fixed window. It
// holds at most maxTracked addresses: past that, the oldest windows are
// dropped first. It is safe for concurrent use.
type loginLimiter struct {
	max    int
	window time.Duration

	mu    sync.Mutex
	fails map[netip.Addr]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

const maxTracked = 10000

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, fails: map[netip.Addr]*failWindow{}}
}

// wait returns how long ip must wait before trying again; 0 if it may.
func (l *loginLimiter) wait(ip netip.Addr, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.fails[ip]
	if f == nil || now.Sub(f.start) >= l.window {
		return 0
	}
	if f.n >= l.max {
		return l.window - now.Sub(f.start)
	}
	return 0
}

func (l *loginLimiter) fail(ip netip.Addr, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.fails[ip]
	if f == nil || now.Sub(f.start) >= l.window {
		if f == nil && len(l.fails) >= maxTracked {
			l.prune(now)
		}
		f = &failWindow{start: now}
		l.fails[ip] = f
	}
	f.n++
}

func (l *loginLimiter) forget(ip netip.Addr) {
	l.mu.Lock()
	delete(l.fails, ip)
	l.mu.Unlock()
}

// prune drops the windows that ended, or all of them if none has.
func (l *loginLimiter) prune(now time.Time) {
	for ip, f := range l.fails {
		if now.Sub(f.start) >= l.window {
			delete(l.fails, ip)
		}
	}
	if len(l.fails) >= maxTracked {
		clear(l.fails)
	}
}

package console

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/clientip"
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
		ip := clientip.Peer(r)
		now := c.clock()
		if !sameOrigin(r) {
			http.Error(w, "403 a login must come from the console's own page", http.StatusForbidden)
			return
		}
		if wait := c.limiter.attempt(ip, now); wait > 0 {
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

// A loginLimiter counts login attempts per client — an IPv4 address, or an
// IPv6 /64, which one host owns — in a fixed window. It holds at most
// maxTracked clients: past that, ended windows go first, then the oldest
// one, never all at once (a flood of addresses must not wipe the counts).
// It is safe for concurrent use.
type loginLimiter struct {
	max    int
	window time.Duration
	shared atomic.Pointer[LoginCounter] // the fleet's count, when set

	mu    sync.Mutex
	fails map[netip.Prefix]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

const maxTracked = 10000

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, fails: map[netip.Prefix]*failWindow{}}
}

// client is the key ip is counted under.
func client(ip netip.Addr) netip.Prefix {
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p
	}
	return netip.PrefixFrom(ip, 32)
}

// attempt counts a login attempt of ip and returns how long it must wait
// first; 0 if it may try. The attempt is counted before the password is
// checked, in the same locked step as the limit, so a burst of parallel
// attempts cannot all pass the check before any is counted; a successful
// login then forgets the client.
func (l *loginLimiter) attempt(ip netip.Addr, now time.Time) time.Duration {
	if lc := l.shared.Load(); lc != nil {
		if wait, ok := (*lc).Attempt(context.Background(), client(ip).String(), l.max, l.window); ok {
			return wait
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	key := client(ip)
	f := l.fails[key]
	if f == nil || now.Sub(f.start) >= l.window {
		if f == nil && len(l.fails) >= maxTracked {
			l.makeRoom(now)
		}
		f = &failWindow{start: now}
		l.fails[key] = f
	}
	if f.n >= l.max {
		return l.window - now.Sub(f.start)
	}
	f.n++
	return 0
}

func (l *loginLimiter) forget(ip netip.Addr) {
	if lc := l.shared.Load(); lc != nil {
		(*lc).Forget(context.Background(), client(ip).String())
	}
	l.mu.Lock()
	delete(l.fails, client(ip))
	l.mu.Unlock()
}

// makeRoom drops the windows that ended or, if none has, the oldest one.
func (l *loginLimiter) makeRoom(now time.Time) {
	var oldest netip.Prefix
	var oldestStart time.Time
	for k, f := range l.fails {
		if now.Sub(f.start) >= l.window {
			delete(l.fails, k)
			continue
		}
		if oldestStart.IsZero() || f.start.Before(oldestStart) {
			oldest, oldestStart = k, f.start
		}
	}
	if len(l.fails) >= maxTracked {
		delete(l.fails, oldest)
	}
}

// A LoginCounter counts console login attempts for every gateway of a
// fleet, so that N consoles allow the attempts of one. Implementations
// bound each call by a short timeout and must be safe for concurrent use.
type LoginCounter interface {
	// Attempt counts an attempt of client (an address or an IPv6 /64, in
	// text) unless max were counted in the window, and returns how long
	// the client must wait first, 0 if it may try. ok is false when the
	// count could not be made: the console then counts alone.
	Attempt(ctx context.Context, client string, max int, window time.Duration) (wait time.Duration, ok bool)
	// Forget ends the client's window after a successful login.
	Forget(ctx context.Context, client string)
}

// SetLoginCounter makes the login limit count through lc (the fleet's
// Redis) from now on; while lc cannot count, the console counts alone.
// A nil lc goes back to counting alone.
func (c *Console) SetLoginCounter(lc LoginCounter) {
	if lc == nil {
		c.limiter.shared.Store(nil)
		return
	}
	c.limiter.shared.Store(&lc)
}

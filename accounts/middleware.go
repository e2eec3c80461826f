package accounts

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// Middleware returns the account-watch stage. On every request it refuses
// sessions revoked through "this wasn't me". On account routes it reads the
// request body (up to [Config.MaxBody]; a larger one passes unread) and
// gives the next handler an identical one, refuses logins of a blocked
// user+IP pair, holds back the upstream's response until it has judged
// success or failure, and acts on it. Other requests pass untouched.
func (w *Watch) Middleware() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if w.refuseRevoked(rw, r) {
				return
			}
			route, heuristic, ok := w.match(r)
			if !ok {
				next.ServeHTTP(rw, r)
				return
			}
			w.serveAccount(rw, r, next, route, heuristic)
		})
	}
}

// match finds the account route of r.
func (w *Watch) match(r *http.Request) (Route, bool, bool) {
	for _, rt := range w.routes {
		if rt.matches(r) {
			return rt, false, true
		}
	}
	if !w.cfg.NoHeuristic && looksLikeLogin(r) {
		return heuristicLogin, true, true
	}
	return Route{}, false, false
}

// attempt is what one account request tried: the password is held only
// for the breached-password check, never stored or logged.
type attempt struct {
	kind      Kind
	heuristic bool
	user      string
	email     string
	password  string
	ip        netip.Addr
	ua        string
	method    string
	path      string
	requestID string
	linkBase  string
}

// result is what the upstream answered.
type result struct {
	outcome   event.Outcome
	status    int
	session   string // the session cookie's new value, if one was set
	respEmail string
}

func (w *Watch) serveAccount(rw http.ResponseWriter, r *http.Request, next http.Handler, route Route, heuristic bool) {
	req := w.readBody(r)
	a := attempt{
		kind: route.Kind, heuristic: heuristic, ip: w.clientIP(r), ua: event.Truncate(r.UserAgent(), 512),
		method: r.Method, path: r.URL.Path, requestID: rw.Header().Get(event.RequestIDHeader), linkBase: w.linkBase(r),
	}
	if heuristic {
		for _, f := range []string{"username", "email", "user", "login"} {
			if a.user = req.get(f); a.user != "" {
				break
			}
		}
	} else {
		a.user = req.get(route.User)
		a.email = req.get(route.Email)
		a.password = req.get(route.Password)
	}
	a.user = event.Truncate(a.user, 256)
	if route.User == "" && !heuristic {
		a.user = w.UserFor(r)
	}
	now := w.clock()
	if route.Kind == Login && a.user != "" {
		until, blocked := w.pairs.blocked(a.user, a.ip, now)
		if !blocked && w.fleet.Up() {
			if u, b, ok := w.blockedShared(r.Context(), a.user, a.ip, now); ok && b {
				until, blocked = u, true
				// Kept here too until it ends (nothing lifts a block
				// early): the guesses that go on against it are refused
				// without asking Redis again.
				if err := w.pairs.block(r.Context(), a.user, a.ip, until); err != nil {
					w.logError(r.Context(), "keeping a pair block another gateway set", err)
				}
			}
		}
		if blocked {
			w.refusePair(rw, a, until)
			return
		}
	}
	c := &capture{rw: rw, max: int(w.cfg.MaxBody)}
	next.ServeHTTP(c, r)
	res := w.judge(route, heuristic, c)
	if msg := w.handle(r.Context(), a, res); msg != "" {
		if c.replace(http.StatusForbidden, msg) && res.session != "" {
			h := w.hashSession(res.session)
			if err := w.sessions.revoke(r.Context(), h, a.user, now); err != nil {
				w.logError(r.Context(), "revoking a refused session", err)
			}
			if w.shared != nil {
				w.shared.revokedOne(r.Context(), h)
			}
		}
		return
	}
	if route.Kind == Logout && res.outcome == event.OutcomeSuccess {
		if _, v := w.sessionCookie(r); v != "" {
			if err := w.sessions.forget(r.Context(), w.hashSession(v)); err != nil {
				w.logError(r.Context(), "forgetting a session", err)
			}
		}
	}
	c.pass()
}

// readBody reads r's body up to MaxBody, restores it and parses it.
func (w *Watch) readBody(r *http.Request) body {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > int64(w.cfg.MaxBody) {
		return body{}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(w.cfg.MaxBody)+1))
	if err != nil || len(b) > int(w.cfg.MaxBody) {
		r.Body = readCloser{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
		return body{}
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return parseBody(r.Header.Get("Content-Type"), b)
}

type readCloser struct {
	io.Reader
	io.Closer
}

// judge tells success from failure by the held-back response.
func (w *Watch) judge(route Route, heuristic bool, c *capture) result {
	status := c.status
	if status == 0 {
		status = http.StatusOK
	}
	res := result{status: status, outcome: event.OutcomeUnknown}
	name := w.cookieName()
	var setsSession bool
	for _, line := range c.Header().Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err != nil || ck.Value == "" || ck.MaxAge < 0 || (!ck.Expires.IsZero() && ck.Expires.Before(w.clock())) {
			continue
		}
		if name == "" && route.Kind == Login && !heuristic && status < 400 {
			name = ck.Name
			w.mu.Lock()
			w.learned = name
			w.mu.Unlock()
		}
		if ck.Name == name {
			setsSession, res.session = true, ck.Value
		}
	}
	if heuristic {
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			res.outcome = event.OutcomeFailure
		}
		return res
	}
	if status >= 500 {
		return res
	}
	var resp body
	bodyKnown := !c.passing
	if bodyKnown && route.needsBody() {
		resp = parseBody(c.Header().Get("Content-Type"), c.buf)
		res.respEmail = resp.get(route.ResponseEmail)
	}
	s := route.Success
	ok := len(s.Status) == 0 && status < 400
	for _, want := range s.Status {
		ok = ok || status == want
	}
	if s.Location != "" {
		u, err := url.Parse(c.Header().Get("Location"))
		ok = ok && err == nil && strings.HasPrefix(u.Path, s.Location)
	}
	if s.SetCookie {
		ok = ok && setsSession
	}
	if s.JSON != "" {
		if !bodyKnown {
			return res
		}
		ok = ok && resp.truthy(s.JSON)
	}
	if ok {
		res.outcome = event.OutcomeSuccess
	} else {
		res.outcome = event.OutcomeFailure
	}
	return res
}

// refuseRevoked answers 401 to a request carrying a revoked session and
// clears the cookie.
func (w *Watch) refuseRevoked(rw http.ResponseWriter, r *http.Request) bool {
	if !w.sessions.anyRevoked.Load() {
		return false // the common case: no cookie to hash
	}
	name, v := w.sessionCookie(r)
	if v == "" || !w.sessions.isRevoked(w.hashSession(v)) {
		return false
	}
	http.SetCookie(rw, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	rw.Header().Set("Cache-Control", "no-store")
	http.Error(rw, "Your session was ended because a login to your account was reported as not yours. Please log in again.", http.StatusUnauthorized)
	w.publish(event.Event{
		Category: event.CategoryAuthentication, Type: "denied", Action: "revoked-session-refused",
		Outcome: event.OutcomeFailure, Severity: event.SeverityMedium, SourceIP: w.clientIP(r),
		RequestID: rw.Header().Get(event.RequestIDHeader), Method: r.Method, Path: r.URL.Path,
		UserAgent: event.Truncate(r.UserAgent(), 512), Status: http.StatusUnauthorized,
		Message: "request with a revoked session refused",
	})
	return true
}

func (w *Watch) refusePair(rw http.ResponseWriter, a attempt, until time.Time) {
	wait := max(until.Sub(w.clock()).Round(time.Second), time.Second)
	rw.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
	rw.Header().Set("Cache-Control", "no-store")
	http.Error(rw, "Too many failed logins for this account from your address. Try again after "+
		until.UTC().Format(time.RFC1123)+".", http.StatusTooManyRequests)
	e := w.eventFor(a, event.CategoryAuthentication, "denied", "login-blocked", event.OutcomeFailure, event.SeverityMedium)
	e.Status = http.StatusTooManyRequests
	e.Message = "login refused: this user and IP are blocked after repeated failures"
	w.publish(e)
}

// linkBase is where "this wasn't me" links point: the configured base, or
// without one the request's own host only when it is this machine (a
// demo, a test). Any other Host is the client's choice: a thief logging
// in with Host: evil.example would get the owner a genuine mail linking
// to the thief's site, token included. Without a base such mails carry no
// link (see [NewDevice.LinkBase]).
func (w *Watch) linkBase(r *http.Request) string {
	if w.cfg.NewDevice.LinkBase != "" {
		return strings.TrimSuffix(w.cfg.NewDevice.LinkBase, "/")
	}
	if !loopbackHost(r.Host) {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// loopbackHost reports whether host (with an optional port) names this
// machine: localhost or a loopback address.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && a.IsLoopback()
}

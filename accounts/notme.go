package accounts

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/bulwark-sec/bulwark/event"
)

var notMePage = template.Must(template.New("notme").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p>
{{if .Token}}<form method="post"><input type="hidden" name="t" value="{{.Token}}">
<button type="submit">This wasn't me: sign out every session and block that address</button></form>{{end}}
</body></html>
`))

type notMeView struct{ Title, Text, Token string }

// NotMeHandler serves the "this wasn't me" link mailed on logins from a
// new network or device, at [NewDevice.NotMePath] on the public listener.
// GET shows a confirmation page (so that mail scanners fetching the link
// change nothing); POST checks the link's signature, expiry and single
// use, then bans the login's IP (through the Banner, with the user, so the
// black book records it), revokes every session the gateway saw issued to
// the user, and publishes an event.
func (w *Watch) NotMeHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "no-store")
		rw.Header().Set("Referrer-Policy", "no-referrer")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			tok := r.URL.Query().Get("t")
			if _, err := w.parseLink(tok, w.clock()); err != nil {
				w.notMeError(rw, r, err)
				return
			}
			w.render(rw, http.StatusOK, notMeView{"Was this login not you?", "Confirm below and we will sign out every session of your account and block the address it came from. Then change your password.", tok})
		case http.MethodPost:
			r.Body = http.MaxBytesReader(rw, r.Body, 4096)
			w.disown(rw, r, r.PostFormValue("t"))
		default:
			rw.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// errLinkUsed reports a link used before.
var errLinkUsed = errors.New("accounts: link already used")

func (w *Watch) disown(rw http.ResponseWriter, r *http.Request, tok string) {
	ctx := r.Context()
	now := w.clock()
	t, err := w.parseLink(tok, now)
	if err == nil && w.fleet.Up() {
		if used, ok := w.useNonceShared(ctx, t.nonce, t.expiry, now); ok && used {
			err = errLinkUsed
		}
	}
	if err == nil {
		var res interface{ RowsAffected() (int64, error) }
		res, err = w.db.ExecContext(ctx, `INSERT INTO accounts_links (nonce, used) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING`, t.nonce[:], now.Unix())
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				err = errLinkUsed
			}
		} else {
			w.logError(ctx, "recording a used link", err)
			http.Error(rw, "The link could not be recorded; please try again in a moment.", http.StatusServiceUnavailable)
			return
		}
	}
	if err != nil {
		w.notMeError(rw, r, err)
		return
	}
	revoked, err := w.revokeUserSessions(ctx, t.user, now)
	if err != nil {
		// Nothing was done: give the link back, so that the user can retry
		// it rather than be told their sessions ended when they did not.
		w.logError(ctx, "revoking sessions", err)
		if w.fleet.Up() {
			w.releaseNonceShared(context.WithoutCancel(ctx), t.nonce)
		}
		if _, err := w.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM accounts_links WHERE nonce = ?`, t.nonce[:]); err != nil {
			w.logError(ctx, "releasing a link after a failed revocation", err)
		}
		http.Error(rw, "Your sessions could not be signed out; please try again in a moment.", http.StatusServiceUnavailable)
		return
	}
	if t.ip.IsValid() && !t.ip.IsUnspecified() {
		w.ban(ctx, Ban{IP: t.ip, User: t.user, For: w.cfg.NewDevice.Ban, Reason: "login disowned by the user through the this-wasn't-me link"})
	}
	w.publish(event.Event{
		Kind: event.KindAlert, Category: event.CategoryAuthentication, Type: "info", Action: "login-disowned",
		Outcome: event.OutcomeSuccess, Severity: event.SeverityHigh, SourceIP: t.ip, UserName: t.user,
		Message: fmt.Sprintf("user disowned a login: IP banned, %d sessions revoked", revoked),
		Labels:  map[string]string{"reported_from": w.clientIP(r).String(), "sessions_revoked": fmt.Sprint(revoked)},
	})
	w.render(rw, http.StatusOK, notMeView{"Done", "Every session of your account has been signed out and the address blocked. Log in again and change your password now.", ""})
}

func (w *Watch) notMeError(rw http.ResponseWriter, r *http.Request, err error) {
	status, text := http.StatusBadRequest, "This link is not valid. Use the link from the mail as it is."
	switch {
	case errors.Is(err, errLinkExpired):
		status, text = http.StatusGone, "This link has expired. If you still think someone else used your account, change your password and contact support."
	case errors.Is(err, errLinkUsed):
		status, text = http.StatusGone, "This link has already been used. Your sessions were signed out then; log in again and change your password."
	}
	w.log.LogAttrs(r.Context(), slog.LevelWarn, "accounts: not-me link refused",
		slog.String("reason", err.Error()), slog.String("ip", w.clientIP(r).String()))
	w.render(rw, status, notMeView{"Link not accepted", text, ""})
}

func (w *Watch) render(rw http.ResponseWriter, status int, v notMeView) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.WriteHeader(status)
	notMePage.Execute(rw, v)
}

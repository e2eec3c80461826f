package accounts

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// handle acts on one judged account request and returns, when the login
// must be refused (a breached password with action refuse), the message
// for the client.
func (w *Watch) handle(ctx context.Context, a attempt, res result) string {
	if res.outcome == event.OutcomeUnknown {
		return ""
	}
	ok := res.outcome == event.OutcomeSuccess
	if ok { // the Redis calls nobody waits for share a round trip
		var flush func()
		ctx, flush = w.pipeline(ctx)
		defer flush()
	}
	if ok && res.session != "" && a.user != "" && a.kind != Logout {
		h := w.hashSession(res.session)
		if err := w.sessions.add(ctx, h, a.user, w.clock()); err != nil {
			w.logError(ctx, "remembering a session", err)
		}
		if w.shared != nil {
			w.shared.added(ctx, a.user, h)
		}
	}
	switch a.kind {
	case Login:
		if ok {
			return w.loginSucceeded(ctx, a, res)
		}
		w.loginFailed(ctx, a)
	case Register:
		w.publishFor(a, res, event.CategoryIAM, "creation", "user-registered", event.SeverityInfo, "user registered")
		if ok {
			w.learnEmail(ctx, a.user, firstOf(a.email, res.respEmail))
			w.checkBreach(ctx, a, false)
		}
	case ChangeEmail:
		w.emailChanged(ctx, a, res)
	case ChangePassword, ResetPassword:
		w.publishFor(a, res, event.CategoryIAM, "change", "password-changed", event.SeverityLow, "password changed")
		if ok {
			w.sendMail(Mail{To: w.emailOf(ctx, a.user), Subject: "Your password was changed",
				Text: fmt.Sprintf("The password of your account %q was changed from %s.\n\nIf this was not you, reset your password now and contact support.\n", a.user, a.ip)})
			w.checkBreach(ctx, a, false)
		}
	case Logout:
		w.publishFor(a, res, event.CategoryAuthentication, "end", "logout", event.SeverityInfo, "user logged out")
	case Profile:
		if ok {
			w.learnEmail(ctx, a.user, res.respEmail)
		}
	}
	return ""
}

func (w *Watch) loginSucceeded(ctx context.Context, a attempt, res result) string {
	now := w.clock()
	w.publishFor(a, res, event.CategoryAuthentication, "start", "login-success", event.SeverityInfo, "login succeeded")
	w.ratioAlert(a, w.success(ctx, a.user, a.ip, now))
	w.learnEmail(ctx, a.user, firstOf(res.respEmail, a.email))
	w.checkDevice(ctx, a)
	return w.checkBreach(ctx, a, true)
}

func (w *Watch) loginFailed(ctx context.Context, a attempt) {
	now := w.clock()
	e := w.eventFor(a, event.CategoryAuthentication, "start", "login-failure", event.OutcomeFailure, event.SeverityLow)
	e.Message = "login failed"
	w.publish(e)
	v := w.failure(ctx, a.user, a.ip, now)
	t := w.cfg.Thresholds
	if v.blockPair && a.user != "" {
		until := now.Add(t.PairBlock)
		if err := w.pairs.block(ctx, a.user, a.ip, until); err != nil {
			w.logError(ctx, "storing a blocked pair", err)
		}
		e := w.alertFor(a, "login-pair-blocked", event.SeverityHigh,
			fmt.Sprintf("%d consecutive failed logins: user blocked from this IP for %s", v.streak, config.FormatDuration(t.PairBlock)))
		e.TechniqueID = "T1110.001" // Brute Force: Password Guessing
		w.publish(e)
	}
	if v.alertUser {
		e := w.alertFor(a, "distributed-login-failures", event.SeverityHigh,
			fmt.Sprintf("failed logins for one user from %d IPs in %s", v.userIPs, config.FormatDuration(t.Window)))
		e.TechniqueID = "T1110"
		w.publish(e)
	}
	if v.banIP {
		reason := fmt.Sprintf("credential stuffing: failed logins for %d usernames in %s", v.ipUsers, config.FormatDuration(t.Window))
		e := w.alertFor(a, "credential-stuffing", event.SeverityHigh, reason)
		e.TechniqueID = "T1110.004" // Brute Force: Credential Stuffing
		e.UserName = ""
		w.publish(e)
		w.ban(ctx, Ban{IP: a.ip, For: t.IPBan, Reason: reason})
	}
	w.ratioAlert(a, v)
}

func (w *Watch) ratioAlert(a attempt, v verdict) {
	if !v.alertRatio {
		return
	}
	w.publish(event.Event{
		Kind: event.KindAlert, Category: event.CategoryAuthentication, Type: "info", Action: "login-failure-spike",
		Outcome: event.OutcomeUnknown, Severity: event.SeverityHigh,
		Message: fmt.Sprintf("%.0f%% of %d logins failed in %s", v.ratio*100, v.ratioSamples, config.FormatDuration(w.cfg.Thresholds.RatioWindow)),
		Labels:  map[string]string{"ratio": strconv.FormatFloat(v.ratio, 'f', 3, 64), "attempts": strconv.Itoa(v.ratioSamples)},
	})
}

func (w *Watch) emailChanged(ctx context.Context, a attempt, res result) {
	w.publishFor(a, res, event.CategoryIAM, "change", "email-changed", event.SeverityLow, "email address changed")
	if res.outcome != event.OutcomeSuccess {
		return
	}
	old := w.emailOf(ctx, a.user)
	next := firstOf(res.respEmail, a.email)
	if old != "" && old != next {
		w.sendMail(Mail{To: old, Subject: "Your email address was changed",
			Text: fmt.Sprintf("The email address of your account %q was changed from this address to another one, from %s.\n\nNot you? Contact support right away: someone may have taken over your account.\n", a.user, a.ip)})
	}
	w.learnEmail(ctx, a.user, next)
}

// eventFor starts an event about a.
func (w *Watch) eventFor(a attempt, cat event.Category, typ, action string, outcome event.Outcome, sev event.Severity) event.Event {
	e := event.Event{
		Category: cat, Type: typ, Action: action, Outcome: outcome, Severity: sev,
		SourceIP: a.ip, UserName: a.user, RequestID: a.requestID, Method: a.method, Path: a.path, UserAgent: a.ua,
	}
	if a.heuristic {
		e.Labels = map[string]string{"detection": "heuristic"}
	}
	return e
}

func (w *Watch) alertFor(a attempt, action string, sev event.Severity, msg string) event.Event {
	e := w.eventFor(a, event.CategoryAuthentication, "info", action, event.OutcomeUnknown, sev)
	e.Kind, e.Message = event.KindAlert, msg
	return e
}

func (w *Watch) publishFor(a attempt, res result, cat event.Category, typ, action string, sev event.Severity, msg string) {
	e := w.eventFor(a, cat, typ, action, res.outcome, sev)
	e.Status = res.status
	if res.outcome == event.OutcomeFailure {
		msg += ": failed"
	}
	e.Message = msg
	w.publish(e)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

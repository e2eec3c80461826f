package accounts

import (
	"context"
	"crypto/sha1"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/bulwark-sec/bulwark/event"
)

// A breachChecker counts how often a password (by its SHA-1) appears in
// known breaches.
type breachChecker interface {
	Count(ctx context.Context, sum [20]byte) (int, error)
}

var (
	_ breachChecker = (*rangeClient)(nil)
	_ breachChecker = (*BreachFile)(nil)
)

// checkBreach checks a's password after a success (never after a failure,
// which would make the gateway an oracle for guessed passwords). It fails
// open: an unreachable range API is logged and the request goes on. It
// returns the refusal message when a login must be refused.
func (w *Watch) checkBreach(ctx context.Context, a attempt, login bool) string {
	if w.breach == nil || a.password == "" {
		return ""
	}
	sum := sha1.Sum([]byte(a.password))
	n, err := w.breach.Count(ctx, sum)
	if err != nil {
		w.log.LogAttrs(ctx, slog.LevelWarn, "accounts: breached-password check failed; letting the request through",
			slog.String("error", err.Error()))
		return ""
	}
	if n < w.cfg.Breach.MinCount {
		return ""
	}
	action := w.cfg.Breach.Action
	e := w.eventFor(a, event.CategoryAuthentication, "info", "breached-password", event.OutcomeSuccess, event.SeverityMedium)
	e.Kind = event.KindAlert
	e.Message = fmt.Sprintf("a password known from %d breaches was used at %s", n, a.kind)
	e.Labels = map[string]string{"breach_count": strconv.Itoa(n), "action": action, "route": string(a.kind)}
	refuse := action == "refuse" && login
	if refuse {
		e.Type, e.Outcome = "denied", event.OutcomeFailure
	}
	w.publish(e)
	if action == "notify" || (action == "refuse" && !login) {
		w.sendMail(Mail{To: w.emailOf(ctx, a.user), Subject: "Your password is known from a data breach",
			Text: fmt.Sprintf("The password of your account %q appears in public lists of breached passwords, which attackers try first.\n\nPlease change it now to one you use nowhere else.\n", a.user)})
	}
	if refuse {
		return "This password appears in a known data breach, so the login was refused. Please reset your password and choose one you use nowhere else."
	}
	return ""
}

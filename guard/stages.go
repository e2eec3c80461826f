package guard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/limit"
)

// clientIP is the address the gateway decided for r, from trusted proxies.
func (g *Gateway) clientIP(r *http.Request) netip.Addr { return infoFrom(r.Context()).clientIP }

// denyBanned answers a banned client with 403 and no event: a banned
// client that keeps knocking must not flood the sinks (the metrics count
// it).
func (g *Gateway) denyBanned(w http.ResponseWriter, r *http.Request, b blackbook.Ban) {
	infoFrom(r.Context()).reported = true
	g.metrics.banned.Inc()
	blackbook.Deny(w, r, b)
}

// reportLimited makes a refused request an event, which the rate-limited
// scenario counts toward a ban.
func (g *Gateway) reportLimited(r *http.Request, d limit.Decision) {
	g.publish(r, event.Event{
		Category: event.CategoryWeb, Type: "denied", Action: "rate-limited",
		Outcome: event.OutcomeFailure, Severity: event.SeverityLow, Status: http.StatusTooManyRequests,
		Message: "over the " + d.Limit + " rate limit",
		Labels:  limitLabels(d),
	})
}

func limitLabels(d limit.Decision) map[string]string {
	labels := map[string]string{"limit": d.Limit, "retryAfter": strconv.FormatInt(limit.RetryAfterSeconds(d.RetryAfter), 10)}
	if d.Key.IsValid() { // a global limit has no key
		labels["key"] = d.Key.String()
	}
	return labels
}

// newAccounts builds the account watch, banning through the black book.
func (g *Gateway) newAccounts(opts Options) error {
	aopts := accounts.Options{
		DB: opts.DB.DB, Publish: g.bus.Publish, Mailer: opts.Mailer, Logger: g.log, ClientIP: g.clientIP,
		Fleet: opts.Fleet,
	}
	if g.book != nil {
		aopts.Bans = accountBanner{g.book}
	}
	w, err := accounts.New(g.cfg.Accounts, aopts)
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	g.accounts = w
	return nil
}

// withNotMe serves the "this wasn't me" page of new-device mails.
func (g *Gateway) withNotMe(next http.Handler) http.Handler {
	path := g.cfg.Accounts.WithDefaults().NewDevice.NotMePath
	notMe := g.accounts.NotMeHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			notMe.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// accountBanner carries out the account watch's bans in the black book.
type accountBanner struct{ book *blackbook.Book }

var _ accounts.Banner = accountBanner{}

func (a accountBanner) BanIP(ctx context.Context, b accounts.Ban) error {
	_, err := a.book.Ban(ctx, blackbook.BanRequest{
		Target: blackbook.IPTarget(b.IP), Duration: b.For, Reason: b.Reason, Source: "accounts",
	})
	if errors.Is(err, blackbook.ErrAllowlisted) { // wrapped with the target
		return nil
	}
	return err
}

// Close stops the stages' goroutines. The black book is the caller's.
func (g *Gateway) Close() {
	g.limiter.Close()
	if g.accounts != nil {
		g.accounts.Close()
	}
	if g.routes != nil {
		g.routes.close()
	}
}

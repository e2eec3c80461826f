package guard

import (
	"context"
	"net/http"
	"net/url"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/headers"
)

// withReports serves browsers' CSP violation reports at path and turns
// each into an event; every other request goes to next.
func (g *Gateway) withReports(path string, next http.Handler) http.Handler {
	reports := headers.ReportHandler(func(ctx context.Context, rep headers.Report) {
		ri := infoFrom(ctx)
		g.bus.Publish(event.Event{
			Category: event.CategoryWeb, Type: "info", Action: "csp-violation",
			Severity: event.SeverityLow, SourceIP: ri.clientIP, RequestID: ri.id,
			Path:    pathOf(rep.DocumentURI),
			RuleID:  rep.EffectiveDirective,
			Message: "CSP violation: " + rep.EffectiveDirective + " blocked " + pathOrKeyword(rep.BlockedURI),
		})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			infoFrom(r.Context()).reported = true
			reports.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// pathOf keeps only the path of a reported URL: queries may carry tokens.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// pathOrKeyword shows a blocked URI without its query: "inline", "eval"
// and such stay as they are.
func pathOrKeyword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return raw
	}
	if u.Host == "" {
		return u.Scheme
	}
	return u.Scheme + "://" + u.Host + u.Path
}

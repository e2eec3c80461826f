package routes

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kinds of findings.
const (
	// FindingUnused: declared, and not called within the retention window.
	FindingUnused = "unused"
	// FindingShadow: called, and not declared.
	FindingShadow = "shadow"
	// FindingUnsecured: answers 2xx without credentials while routes under
	// the same prefix answer 401/403 without them, or while the app
	// declares it as requiring credentials.
	FindingUnsecured = "unsecured"
	// FindingOpenWrite: changes data (POST, PUT, PATCH, DELETE answered 2xx)
	// and was never called with credentials.
	FindingOpenWrite = "open-write"
	// FindingFailsUnderAttack: answers 5xx more often to attacks than to
	// other requests: the app may be vulnerable there.
	FindingFailsUnderAttack = "fails-under-attack"
	// FindingErrorLeak: a response to an attack showed a database error
	// or a stack trace.
	FindingErrorLeak = "error-leak"
)

// A Finding is one thing the surface report asks the user to look at.
type Finding struct {
	Kind     string `json:"kind"`
	Method   string `json:"method"`
	Template string `json:"template"`
	// Detail says what was seen, in a sentence.
	Detail string `json:"detail"`
}

// A Report is the surface: every route with its figures, the declared
// routes never called, and the findings.
type Report struct {
	Routes   []ReportRoute `json:"routes"`
	Unused   []Declared    `json:"unused"`
	Findings []Finding     `json:"findings"`
	// Since is when the figures start: the first request seen (at most the
	// retention ago). Zero when no traffic was seen: Unused then lists the
	// declared routes, and no finding says they are unused.
	Since time.Time `json:"since"`
}

// A ReportRoute is a route with whether the app declares it.
type ReportRoute struct {
	Route
	Declared bool `json:"declared"`
}

// minEvidence is the fewest requests a finding about behaviour rests on.
const minEvidence = 3

// Analyze compares the routes seen with the declared ones.
func Analyze(seen []Route, declared []Declared, since time.Time) Report {
	rep := Report{Since: since, Routes: []ReportRoute{}, Unused: []Declared{}, Findings: []Finding{}}
	m := newMatcher(declared)
	called := make(map[string]bool) // declared method+template called
	for _, r := range seen {
		tmpl, ok := m.match(r.Method, split(r.Template))
		if ok && tmpl == r.Template && r.Requests > 0 { // a refused attack is no call
			called[r.Method+" "+tmpl] = true
		}
		rep.Routes = append(rep.Routes, ReportRoute{Route: r, Declared: ok && tmpl == r.Template})
	}
	for _, d := range declared {
		if called[strings.ToUpper(d.Method)+" "+d.Template] || calledAny(d, seen) {
			continue
		}
		rep.Unused = append(rep.Unused, d)
		if !since.IsZero() { // with no traffic seen yet, nothing is unused
			rep.Findings = append(rep.Findings, Finding{Kind: FindingUnused, Method: d.Method, Template: d.Template,
				Detail: "declared in " + d.Source + " and not called since " + since.UTC().Format(time.DateOnly) + ": a candidate to remove"})
		}
	}
	secured := securedOf(declared)
	for _, r := range rep.Routes {
		if len(declared) > 0 && !r.Declared && r.Requests > 0 {
			rep.Findings = append(rep.Findings, Finding{Kind: FindingShadow, Method: r.Method, Template: r.Template,
				Detail: fmt.Sprintf("answered %d requests and is not declared", r.Requests)})
		}
		rep.Findings = append(rep.Findings, behaviour(r.Route, seen, secured)...)
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		return findingRank(rep.Findings[i].Kind) < findingRank(rep.Findings[j].Kind)
	})
	return rep
}

// calledAny reports whether a declared route for every method ("*") was
// called with any method.
func calledAny(d Declared, seen []Route) bool {
	if d.Method != "*" {
		return false
	}
	for _, r := range seen {
		if r.Template == d.Template && r.Requests > 0 {
			return true
		}
	}
	return false
}

func securedOf(declared []Declared) map[string]bool {
	s := make(map[string]bool)
	for _, d := range declared {
		if d.Secured != nil && *d.Secured {
			s[strings.ToUpper(d.Method)+" "+d.Template] = true
		}
	}
	return s
}

// behaviour are the findings about how r answers.
func behaviour(r Route, all []Route, secured map[string]bool) []Finding {
	var fs []Finding
	add := func(kind, format string, args ...any) {
		fs = append(fs, Finding{Kind: kind, Method: r.Method, Template: r.Template, Detail: fmt.Sprintf(format, args...)})
	}
	open := r.Anonymous[2]
	switch {
	case open > 0 && secured[r.Method+" "+r.Template]:
		add(FindingUnsecured, "declared as requiring credentials, and answered %d requests without them with 2xx", open)
	case open >= minEvidence && r.AnonymousDenied == 0 && !authRoute(r.Template):
		if sib := securedSibling(r, all); sib != "" {
			add(FindingUnsecured, "answered %d requests without credentials with 2xx, while %s under the same prefix answers 401/403 without them", open, sib)
		}
	}
	if isWrite(r.Method) && r.WithCredentials == 0 && r.Status[2] > 0 && !authRoute(r.Template) {
		add(FindingOpenWrite, "changes data (%d answered 2xx) and was never called with credentials", r.Status[2])
	}
	if r.Attack5xx >= 2 {
		other5xx := r.Status[5] - r.Attack5xx
		otherN := r.Requests - r.AttacksPassed
		attackRate := float64(r.Attack5xx) / float64(r.AttacksPassed)
		otherRate := 0.0
		if otherN > 0 {
			otherRate = float64(other5xx) / float64(otherN)
		}
		if attackRate >= 0.1 && attackRate > 2*otherRate {
			add(FindingFailsUnderAttack, "answered 5xx to %d of %d attacks that reached it (%.0f%%), and to %.0f%% of other requests: the app may be vulnerable here",
				r.Attack5xx, r.AttacksPassed, 100*attackRate, 100*otherRate)
		}
	}
	if r.ErrorLeaks > 0 {
		add(FindingErrorLeak, "showed a %s in %d responses to attacks: the app reveals its internals and may be injectable here", r.LeakKind, r.ErrorLeaks)
	}
	return fs
}

// securedSibling returns a sibling of r (a static route under the same
// parent, as /api/admin/users is of /api/admin/stats) that asks for
// credentials: its requests without them were answered 401/403 and never
// 2xx. A parameter is no sibling of a static route: /api/articles/{slug}
// may well be public next to /api/articles/feed.
func securedSibling(r Route, all []Route) string {
	segs := split(r.Template)
	if len(segs) < 2 || isParam(segs[len(segs)-1]) {
		return ""
	}
	parent := join(segs[:len(segs)-1])
	for _, o := range all {
		os := split(o.Template)
		if o.Template == r.Template || len(os) != len(segs) || join(os[:len(os)-1]) != parent || isParam(os[len(os)-1]) ||
			authRoute(o.Template) { // a failed login's 401 says nothing of its siblings
			continue
		}
		if o.AnonymousDenied >= minEvidence && o.Anonymous[2] == 0 {
			return o.Method + " " + o.Template
		}
	}
	return ""
}

func isWrite(method string) bool {
	switch method {
	case "POST", "PUT", "PATCH", "DELETE":
		return true
	}
	return false
}

// authRoute reports whether a template is where credentials are made or
// given up (a login, a sign-up, a password reset): called without them by
// nature.
func authRoute(tmpl string) bool {
	t := strings.ToLower(tmpl)
	for _, w := range []string{"login", "logout", "signin", "sign-in", "signup", "sign-up", "register", "session",
		"auth", "token", "password", "forgot", "reset", "verify", "confirm", "csp-report", "report"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

func findingRank(kind string) int {
	switch kind {
	case FindingErrorLeak:
		return 0
	case FindingUnsecured:
		return 1
	case FindingFailsUnderAttack:
		return 2
	case FindingOpenWrite:
		return 3
	case FindingShadow:
		return 4
	}
	return 5
}

package alert

import "time"

func ptr[T any](v T) *T { return &v }

// DefaultRules returns the rules that run unless disabled, by name. Each is
// a [RuleConfig] that bulwark.yaml may override field by field.
//
//   - malicious-burst: 20 attack events (category malicious) from one IP
//     within 1m. A scanner or an injection tool sends hundreds; one stray
//     payload in a search box does not page anyone. All attacking IPs share
//     one notification group, so a distributed attack is one message.
//   - brute-force: 10 failed logins for one user within 5m: someone is
//     guessing that account's password.
//   - credential-stuffing: failed logins for 10 different users from one IP
//     within 10m (leaked password lists are tried across accounts), or at
//     once when the black book bans an IP for it (label ban_source
//     "scenario:credential-stuffing").
//   - new-ip-login: every login from an IP the user has not used before,
//     grouped per user; the resolve notice is not sent.
//   - ban: every ban of the black book, grouped into one notification; a
//     ban of an IP already reported by malicious-burst or
//     credential-stuffing is not reported again. It waits 1m before its
//     first notification so the burst that caused the ban is seen first.
//   - crash-loop: the supervisor gave up restarting the app, or it could
//     not start it, or it restarted it because it hung (answered nothing:
//     the event says for how long), or the app crashed 3 times within 5m.
//   - advisory: a new advisory affects a dependency (from bulwark audit
//     --monitor); all new advisories of a scan in one notification.
//   - app-anomaly: at once when the app answered an attack with a 5xx or
//     a database error or stack trace: it may be vulnerable there.
//   - new-route: the app answered a route it does not declare for the
//     first time after the route inventory's learning period (a new
//     endpoint deployed, or one left in by mistake); the routes of a few
//     minutes in one notification.
func DefaultRules() map[string]RuleConfig {
	return map[string]RuleConfig{
		"malicious-burst": {
			Match:  &Match{Categories: []string{"malicious"}, ExceptActions: []string{"ban", "unban"}},
			Window: time.Minute,
			// 5: the black book's attack scenario bans on 5 blocked
			// attacks, after which a banned address makes no more
			// malicious events; a higher threshold would never fire.
			Threshold: 5,
			CountBy:   []string{"source.ip"},
			Severity:  "high",
			Summary:   `Attack burst from {{.Values "source.ip"}}`,
			Description: `Bulwark blocked {{.Count}} malicious requests ({{.Values "labels.class"}}) from ` +
				`{{len .Alerts}} address(es). The requests were refused; check the console's attack view ` +
				`and ban the addresses if the black book has not already.`,
		},
		"brute-force": {
			Match:     &Match{Categories: []string{"authentication"}, Actions: []string{"login-failure"}},
			Window:    5 * time.Minute,
			Threshold: 10,
			CountBy:   []string{"user.name"},
			Severity:  "high",
			Summary:   `Password guessing on {{.Values "user.name"}}`,
			Description: `{{.Count}} failed logins for {{.Values "user.name"}} within minutes. Someone is ` +
				`guessing the password; consider locking the account and asking its owner to change it.`,
		},
		"credential-stuffing": {
			Match:     &Match{Categories: []string{"authentication"}, Actions: []string{"login-failure"}},
			Immediate: &Match{Actions: []string{"ban"}, Labels: map[string]string{"ban_source": "scenario:credential-stuffing"}},
			Window:    10 * time.Minute,
			Threshold: 10,
			Distinct:  "user.name",
			CountBy:   []string{"source.ip"},
			Severity:  "critical",
			Summary:   `Credential stuffing from {{.Values "source.ip"}}`,
			Description: `Logins for many different accounts failed from {{.Values "source.ip"}}: a list of ` +
				`leaked passwords is being tried. Check which accounts logged in successfully from there.`,
		},
		"new-ip-login": {
			Match:        &Match{Actions: []string{"login-new-ip"}},
			Threshold:    1,
			CountBy:      []string{"user.name", "source.ip"},
			GroupBy:      []string{"user.name"},
			Severity:     "medium",
			SendResolved: ptr(false),
			Summary:      `{{.Values "user.name"}} logged in from a new address: {{.Values "source.ip"}}`,
			Description:  `If this was not them, reset the password and end their sessions.`,
		},
		"ban": {
			Match:        &Match{Actions: []string{"ban"}},
			Threshold:    1,
			CountBy:      []string{"source.ip"},
			Severity:     "medium",
			SendResolved: ptr(false),
			InhibitedBy:  []string{"malicious-burst", "credential-stuffing"},
			Route:        Route{GroupWait: time.Minute},
			Summary:      `Banned {{.Values "source.ip"}}`,
			Description:  `The black book banned {{len .Alerts}} address(es) (by {{.Values "labels.ban_source"}}).`,
		},
		"crash-loop": {
			Match:     &Match{Categories: []string{"process"}, Actions: []string{"process-crashed"}},
			Immediate: &Match{Categories: []string{"process"}, Actions: []string{"crash-loop", "process-start-failed", "process-hung"}},
			Window:    5 * time.Minute,
			Threshold: 3,
			Severity:  "critical",
			Summary:   `The app is crashing or hung`,
			Description: `The supervised app crashed repeatedly, could not start, or hung (answered nothing, ` +
				`so it was restarted; the alert's message says for how long). Look at its logs; ` +
				`bulwark status shows the last exit and its reason.`,
		},
		"advisory": {
			Match:        &Match{Categories: []string{"vulnerability"}, Actions: []string{"advisory-new"}},
			Threshold:    1,
			CountBy:      []string{"rule.id", "labels.package"},
			Severity:     "high",
			SendResolved: ptr(false),
			Route:        Route{ResolveTimeout: 24 * time.Hour},
			Summary:      `{{len .Alerts}} new advisory(ies) for dependencies`,
			Description:  `New advisories: {{.Values "rule.id"}}. Run bulwark audit for details and bulwark update to fix.`,
		},
		"app-anomaly": {
			Match:        &Match{Categories: []string{"malicious"}, Actions: []string{"attack-app-anomaly"}},
			Immediate:    &Match{Actions: []string{"attack-app-anomaly"}},
			Threshold:    1,
			CountBy:      []string{"url.path"},
			Severity:     "critical",
			SendResolved: ptr(false),
			Summary:      `The app failed on an attack at {{.Values "url.path"}}`,
			Description: `An attack from {{.Values "source.ip"}} reached the app, which answered ` +
				`{{.Values "labels.anomaly"}}: it may be injectable there. The address is banned; look at the ` +
				`route (bulwark routes) and fix the code before the next attacker finds it.`,
		},
		"new-route": {
			Match:        &Match{Categories: []string{"web"}, Actions: []string{"new-route"}},
			Threshold:    1,
			CountBy:      []string{"labels.template"},
			Severity:     "medium",
			SendResolved: ptr(false),
			Route:        Route{GroupWait: time.Minute},
			Summary:      `New route(s) on the app: {{.Values "labels.template"}}`,
			Description: `The app answered {{len .Alerts}} route(s) it had not answered during the learning period ` +
				`and does not declare: {{.Values "labels.template"}}. If they were not deployed on purpose, ` +
				`remove them; bulwark routes shows their figures.`,
		},
	}
}

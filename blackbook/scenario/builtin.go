package scenario

import (
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// Names of the built-in scenarios.
const (
	Attack             = "attack"
	SensitiveProbe     = "sensitive-probe"
	Probing            = "probing"
	ScannerAgent       = "scanner"
	RateLimited        = "rate-limited"
	LoginIP            = "login-ip"
	LoginUserIP        = "login-user-ip"
	CredentialStuffing = "credential-stuffing"
	LoginIPSlow        = "login-ip-slow"
	SSHLogin           = "ssh-login"
	FTPLogin           = "ftp-login"
	LoginUserSlow      = "login-user-slow"
	AttackInText       = "attack-in-text"
	AppAnomaly         = "app-anomaly"
)

// highConfidenceProbes are paths nothing but an attacker asks for: no
// browser, crawler or app links to them, and each one served is a breach
// (secrets, source, keys). One request is enough.
var highConfidenceProbes = []string{
	"/.env", "/.env.*", "/.env~", // dotenv files and their variants (.env.local, .env.production)
	"/.git/*", "/.git-credentials", "/.gitconfig", // repository (source, history, remotes with tokens)
	"/.svn/*", "/.hg/*", "/.bzr/*", // other VCS metadata
	"/.aws/*", "/.ssh/*", "/.docker/config.json", "/.kube/config", "/.npmrc", "/.pypirc", "/.netrc", // credentials
	"/id_rsa", "/id_dsa", "/id_ecdsa", "/id_ed25519", "/id_rsa.pub", // SSH keys
	"/.htpasswd", "/wp-config.php.bak", "/wp-config.php~", "/wp-config.php.old", "/wp-config.php.save", // leaked configs
}

// login events, from the account watcher and the SSH/FTP log watchers.
var loginFailures = []Filter{{Category: []event.Category{event.CategoryAuthentication}, Action: []string{"login-failure"}}}

// serviceFailures selects failed logins to a server's own service, as
// bulwark watch reports them (labels.service).
func serviceFailures(service string) []Filter {
	return []Filter{{Category: []event.Category{event.CategoryAuthentication}, Action: []string{"login-failure"},
		Labels: map[string]string{"service": service}}}
}

var loginSuccesses = []Filter{{Category: []event.Category{event.CategoryAuthentication}, Action: []string{"login-success"}}}

// Builtins returns the built-in scenarios, in a stable order. Each is on by
// default; see the comments in the source for why its numbers are what they
// are.
//
// Detected-only attack findings (action attack-detected: inspect in detect
// mode, a rule or route set to detect, or a score under the blocking
// threshold) do not count toward the attack and scanner scenarios: detect
// mode is how an operator says "this may be a false positive, do not act on
// it", and a ban would act on it through the back door. They do count for
// sensitive-probe, whose evidence is the path itself.
func Builtins() []Scenario {
	return []Scenario{
		{
			// Blocked findings per IP. One blocked request may be a false
			// positive (a user pasting code into a form); five within a few
			// minutes is a tool. fail2ban's maxretry is 5; CrowdSec's
			// default profile bans for 4h.
			Name:        Attack,
			Description: "blocked attack findings (SQLi, XSS, traversal…) from one IP",
			Match: []Filter{{
				Category: []event.Category{event.CategoryMalicious},
				Action:   []string{"attack-blocked"},
			}},
			Capacity: 5, Leak: time.Minute, BanDuration: 4 * time.Hour,
			What: "blocked attacks",
		},
		{
			// Blocked findings that were all in fields learned as free text,
			// sent by a logged-in user: an author quoting code in a post is
			// blocked, not banned, on the first offences; ten within ten
			// minutes is someone working at it.
			Name:        AttackInText,
			Description: "blocked findings only in free-text fields, from a logged-in user",
			Match: []Filter{{
				Category: []event.Category{event.CategoryMalicious},
				Action:   []string{"attack-blocked-in-text"},
			}},
			Capacity: 10, Leak: time.Minute, BanDuration: time.Hour,
			What: "blocked attacks in free text",
		},
		{
			// An attack that reached the app (scored under the threshold, or
			// detect mode) and was answered with a 5xx or a database error or
			// stack trace: the app may really be vulnerable, and whoever
			// found it is banned at once.
			Name:        AppAnomaly,
			Description: "an attack the app answered with a 5xx or an error text",
			Match: []Filter{{
				Category: []event.Category{event.CategoryMalicious},
				Action:   []string{"attack-app-anomaly"},
			}},
			Capacity: 1, BanDuration: 24 * time.Hour,
			What: "attacks the app failed on",
		},
		{
			// The first request for /.env, /.git/HEAD, /.aws/credentials,
			// id_rsa… Nothing legitimate asks for these (CrowdSec's
			// http-sensitive-files bans for the same list after a few);
			// whoever does is looking for secrets, and a second try may
			// find one the rules miss. Matched by path whether the gateway
			// blocked it, only detected it, or the app answered it.
			Name:        SensitiveProbe,
			Description: "one request for a secrets file such as /.env or /.git/HEAD",
			Match: []Filter{
				{Category: []event.Category{event.CategoryMalicious}, Path: highConfidenceProbes},
				{Category: []event.Category{event.CategoryWeb}, Type: []string{"access"}, Path: highConfidenceProbes},
			},
			Capacity: 1, BanDuration: 24 * time.Hour,
			What: "sensitive-file probes",
		},
		{
			// Distinct 404 paths per IP: wordlist scanners (dirbuster,
			// gobuster, ffuf) make dozens a second. 20 distinct in about a
			// minute; the same broken link hit 100 times counts once, and
			// static assets (a page with broken images) not at all.
			// CrowdSec's http-probing groups the same way (distinct path per
			// IP, static resources left out).
			Name:        Probing,
			Description: "many distinct 404 paths from one IP",
			Match: []Filter{{
				Category: []event.Category{event.CategoryWeb}, Type: []string{"access"},
				StatusMin: 404, StatusMax: 404, SkipStatic: true,
			}},
			Distinct: FieldPath, Capacity: 20, Leak: 3 * time.Second, BanDuration: time.Hour,
			What: "distinct 404 paths",
		},
		{
			// Requests blocked for a scanner User-Agent (sqlmap, nikto,
			// nuclei…): high confidence, so two within a minute, as
			// CrowdSec's http-bad-user-agent (capacity 1, 1m).
			Name:        ScannerAgent,
			Description: "requests from a vulnerability scanner's User-Agent",
			Match: []Filter{{
				Category: []event.Category{event.CategoryMalicious},
				Action:   []string{"attack-blocked"},
				Rule:     []string{"bw-scan-*"},
			}},
			Capacity: 2, Leak: time.Minute, BanDuration: 4 * time.Hour,
			What: "scanner requests",
		},
		{
			// A client that keeps coming after 429s ignores the limit: 30
			// refusals in about 5 minutes.
			Name:        RateLimited,
			Description: "a client that keeps hitting the rate limit",
			Match:       []Filter{{Action: []string{"rate-limited"}}},
			Capacity:    30, Leak: 10 * time.Second, BanDuration: time.Hour,
			What: "rate-limited requests",
		},
		{
			// fail2ban's sshd jail defaults: any 5 failures within 10
			// minutes ban for 10 minutes. A leak of 12m is what makes
			// "any 5 within 10m" fill the bucket (4 earlier ones lose at
			// most 10/12 of a unit), and slower guessing too, which
			// fail2ban misses. No NAT excuse on a server's own SSH port;
			// the black book escalates repeat offenders, which fail2ban
			// does not do by default.
			Name:        SSHLogin,
			Description: "failed SSH logins from one IP",
			Match:       serviceFailures("ssh"),
			Capacity:    5, Leak: 12 * time.Minute, BanDuration: 10 * time.Minute,
			What: "failed SSH logins",
		},
		{
			// The same for FTP (fail2ban's vsftpd and proftpd jails).
			Name:        FTPLogin,
			Description: "failed FTP logins from one IP",
			Match:       serviceFailures("ftp"),
			Capacity:    5, Leak: 12 * time.Minute, BanDuration: 10 * time.Minute,
			What: "failed FTP logins",
		},
		{
			// Failed logins per IP, any user: 20 in about 10 minutes.
			// Higher than fail2ban's 5 because many users can share an IP
			// (offices, carrier NAT); the user+ip and stuffing scenarios
			// catch narrower attacks sooner.
			Name:        LoginIP,
			Description: "failed logins from one IP",
			Match:       loginFailures,
			Capacity:    20, Leak: 30 * time.Second, BanDuration: time.Hour,
			What: "failed logins",
		},
		{
			// Auth0's brute-force protection: 10 failures for one user from
			// one IP block that pair (not the IP: the user's colleagues
			// behind it keep working). A success for the pair empties the
			// bucket, as Auth0 counts consecutive failures.
			Name:        LoginUserIP,
			Description: "failed logins for one user from one IP",
			Match:       loginFailures, Reset: loginSuccesses,
			Key:      KeyUserIP,
			Capacity: 10, Leak: 3 * time.Minute, BanDuration: 15 * time.Minute,
			What: "failed logins",
		},
		{
			// One IP failing for many different users is trying a list of
			// stolen credentials: 10 distinct user names in about 10
			// minutes.
			Name:        CredentialStuffing,
			Description: "failed logins for many different users from one IP",
			Match:       loginFailures,
			Distinct:    FieldUser, Capacity: 10, Leak: time.Minute, BanDuration: 4 * time.Hour,
			What: "user names with failed logins",
		},
		{
			// Slow brute force from one IP, paced under login-ip. Auth0's
			// suspicious IP throttling allows 100 a day (one every 14m24s);
			// a leaky bucket that size needs days to fill at a rate just
			// above it, so we leak slower: any steady rate above 2 an hour
			// fills 50 — one failure every 10 minutes is caught in about
			// 12 hours.
			Name:        LoginIPSlow,
			Description: "failed logins from one IP over hours",
			Match:       loginFailures,
			Capacity:    50, Leak: 30 * time.Minute, BanDuration: 24 * time.Hour,
			What: "failed logins",
		},
		{
			// Slow or distributed guessing of one account, from any IPs: a
			// steady rate above one an hour fills 30 (one every 10 minutes:
			// about 6 hours). The decision is about the user — the black
			// book notifies or locks, it does not ban an IP. A success does
			// not reset it: the attacker may be the one succeeding.
			Name:        LoginUserSlow,
			Description: "failed logins for one user from any IP over hours",
			Match:       loginFailures,
			Key:         KeyUser,
			Capacity:    30, Leak: time.Hour, BanDuration: time.Hour,
			What: "failed logins",
		},
	}
}

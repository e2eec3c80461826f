// Package accounts watches account activity at the gateway without changing
// the app: it recognises the app's login, logout, register and account
// change routes from configured matchers, tells success from failure by the
// upstream's response, and acts on what it sees — failed-login thresholds
// (a blocked user+IP pair, a banned credential stuffer, alerts), logins from
// new networks or devices (with a signed "this wasn't me" link that bans
// the IP and revokes the user's sessions), notices of email and password
// changes to the old address, breached-password checks against Have I Been
// Pwned (k-anonymity) or an offline list, and attribution of requests to
// the user owning their session.
//
// Passwords, session cookies and tokens never reach events, logs or the
// store: sessions are kept as keyed hashes, passwords only as the first
// five hex characters of their SHA-1 sent to the range API.
package accounts

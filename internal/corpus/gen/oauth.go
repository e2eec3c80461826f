package main

import "encoding/base64"

// oauth makes n requests of OAuth 2.0 and OpenID Connect sign-in: the
// provider's redirect back to the app (Google, GitHub and Microsoft
// styles, and denials), the app's token exchange and refresh, and the
// start of a sign-in with its redirect_uri.
func oauth(n int) []request {
	g := newGen("oauth", 7)
	for len(g.reqs) < n {
		state := g.b64url(32)
		switch k := g.intn(12); {
		case k < 3: // Google
			g.add("GET", withQuery("/auth/google/callback", "state", state, "code", "4/0A"+g.b64url(69),
				"scope", "email profile openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
				"authuser", "0", "hd", "example.com", "prompt", pick(g, []string{"consent", "none"})),
				g.browser("https://accounts.google.com/"), "")
		case k < 5: // GitHub
			g.add("GET", withQuery("/auth/github/callback", "code", g.hex(20), "state", state), g.browser("https://github.com/"), "")
		case k < 6: // Microsoft
			g.add("GET", withQuery("/auth/microsoft/callback", "code", "0.A"+g.b64url(120), "state", state, "session_state", g.uuid()),
				g.browser("https://login.microsoftonline.com/"), "")
		case k < 7: // denied or failed
			g.add("GET", withQuery("/auth/callback", "error", pick(g, []string{"access_denied", "consent_required", "login_required"}),
				"error_description", pick(g, []string{"The user denied access to your application.", "AADSTS65004: User declined to consent to access the app.",
					"The resource owner or authorization server denied the request."}), "state", state),
				g.browser("https://login.example-idp.com/"), "")
		case k < 9: // the app exchanges the code
			h := map[string]string{"Host": host, "User-Agent": "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
				"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
			g.add("POST", "/oauth/token", h, form("grant_type", "authorization_code", "code", g.b64url(43),
				"redirect_uri", origin+"/auth/callback", "client_id", "web-"+g.token(10), "code_verifier", g.b64url(64)))
		case k < 10: // refresh
			h := map[string]string{"Host": host, "User-Agent": pick(g, apiAgents), "Accept": "application/json",
				"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic " + basic(g)}
			g.add("POST", "/oauth/token", h, form("grant_type", "refresh_token", "refresh_token", g.b64url(86), "scope", pick(g, scopes)))
		default: // the start of a sign-in
			g.add("GET", withQuery("/oauth/authorize", "response_type", "code", "client_id", "web-"+g.token(10),
				"redirect_uri", origin+"/auth/callback", "scope", "openid profile email", "state", state,
				"code_challenge", g.b64url(43), "code_challenge_method", "S256", "nonce", g.b64url(22)),
				g.browser(origin+"/login"), "")
		}
	}
	return g.reqs[:n]
}

// basic returns HTTP Basic credentials of a client id and secret.
func basic(g *gen) string {
	return base64.StdEncoding.EncodeToString([]byte("web-" + g.token(10) + ":" + g.b64url(40)))
}

package main

import (
	"regexp"
	"strconv"
)

// passwords are what people choose: punctuation-rich, some with quotes,
// spaces, backslashes or non-Latin letters, none shaped like an attack.
var passwords = []string{
	"Tr0ub4dor&3", "correct horse battery staple", "P@ssw0rd!2024", "S3cure#Pass_99", "my$ecretKey%42", "Blue-Moon;Rising7",
	`"Quoted"Pass9`, "it's-my-p4ss!", "O'Neill1987!", "1<2>0 true!", `a/b\c:d*e?f`, "100%Sure!", "🔑Unlock2024",
	"Grüße&Küsse99", "naïve_café_2", "(parens)[and]{braces}", "x+y=z^2!", "~tilde`back`tick9", "semi;colon,comma.",
	"pipe|dash-under_score", "日本語パスワード1", "hunter2hunter2", "C0ffee&Cream", "#hashtag$dollar7", "Zx9!Qw8@Er7#",
	"7 words are better than 1", `She said "hi" twice`, "L'été-2024!", "Don't_Panic_42", "rock'n'roll4ever", "Mañana#2030",
	"1qaz@WSX3edc", "!QAZ2wsx#EDC", "Summer2024!", "Passw0rd;)", "iLoveMyDog<3", "$uper$ecret$", "a^b&c|d~e", "ÆØÅæøå-2024",
	"Тест-пароль-7", "=Equals=Sign=", "trailing space ", " leading space", "slash/and\\backslash", "42 is the answer?",
	"D'Angelo's_Pizza!", "O'Brien & Sons 1923", "Beyoncé*Knowles", "semi-colon; and comma, too", "{curly}Braces2", "[x] done 2024",
}

// suspicious matches strings shaped like SQL, script or shell syntax; a
// generated password that matches is drawn again, so that none looks
// like an attack by accident.
var suspicious = regexp.MustCompile(`(?i)['"]\s*(or|and|union|select)\b|--|/\*|#\s*$|<\s*[a-z/!]|\bon\w+\s*=|;\s*\w|\|\||&&|\$\(|\.\./`)

// password returns a hand-written password or, often, one such as a
// password manager generates: 16 to 24 characters of letters, digits and
// symbols, quotes included.
func (g *gen) password() string {
	if g.chance(0.5) {
		return pick(g, passwords)
	}
	for {
		p := g.alphabet(g.between(16, 24), alnum+alnum+`!@#$%^&*()-_=+[]{};:'",.<>/?~|\`)
		if !suspicious.MatchString(p) {
			return p
		}
	}
}

// login makes n sign-in, sign-up, password and 2FA requests: HTML forms
// (with CSRF tokens) and JSON APIs.
func login(n int) []request {
	g := newGen("login", 3)
	for len(g.reqs) < n {
		p := pick(g, people)
		user := p.email()
		if g.chance(0.2) {
			user = pick(g, []string{"dana_o'brien", "jean-luc.p", "mk2", "sam.o.neill", "renée", "d'arcy99", "the_real_ava"})
		}
		switch k := g.intn(12); {
		case k < 4:
			h := g.browser(origin + "/login")
			h["Content-Type"] = "application/x-www-form-urlencoded"
			h["Origin"] = origin
			body := form("_csrf", g.b64url(43), "email", user, "password", g.password(), "remember", pick(g, []string{"on", "off"}))
			path := pick(g, []string{"/login", "/login?next=%2Fdashboard", "/auth/sign_in", "/login?returnTo=%2Forders%2F1042%3Ftab%3Ditems"})
			g.add("POST", path, h, body)
		case k < 7:
			g.add("POST", "/api/auth/login", g.anon("application/json"),
				jsonBody(obj{"email", user, "password", g.password(), "rememberMe", g.chance(0.5)}))
		case k < 9:
			body := obj{"name", p.full(), "email", p.email(), "password", g.password(), "acceptTerms", true}
			if g.chance(0.4) {
				body = append(body, "company", pick(g, companies), "howDidYouHear", pick(g, []string{"Podcast", "A friend", "Google", "Where else? Twitter/X"}))
			}
			g.add("POST", "/api/auth/signup", g.anon("application/json"), jsonBody(body))
		case k < 10:
			newPass := g.password()
			g.add("POST", "/api/v1/me/password", g.api("application/json"),
				jsonBody(obj{"currentPassword", g.password(), "newPassword", newPass, "confirmPassword", newPass}))
		case k < 11:
			h := g.browser(origin + "/login/2fa")
			h["Content-Type"] = "application/x-www-form-urlencoded"
			g.add("POST", "/login/2fa", h, form("_csrf", g.b64url(43), "code", g.digits(6), "trust_device", "1"))
		default:
			h := g.browser(origin + "/forgot-password")
			h["Content-Type"] = "application/x-www-form-urlencoded"
			g.add("POST", "/forgot-password", h, form("email", p.email()))
		}
	}
	return g.reqs[:n]
}

// anon returns the headers of a signed-out call from the app to its API.
func (g *gen) anon(contentType string) map[string]string {
	h := g.api(contentType)
	delete(h, "Authorization")
	h["Origin"] = origin
	h["Referer"] = origin + "/login"
	h["X-Requested-With"] = "XMLHttpRequest"
	h["X-CSRF-Token"] = g.b64url(43)
	h["X-Client-Version"] = "web-" + strconv.Itoa(g.between(300, 420))
	return h
}

package accounts

// presets are the ready-made route sets, by name.
var presets = map[string]preset{
	"":                {},
	"express-example": expressExample,
	"json-api":        jsonAPI,
}

type preset struct {
	routes        []Route
	sessionCookie string
}

// expressExample fits examples/express-app: a form login redirecting to
// /profile with a fresh "sid" cookie, a JSON login answering {"ok":true,
// "user":{…,"email"}}, registration with an email field, and the profile
// changes in form and JSON form. The app keeps users' addresses itself;
// the gateway learns them from registration, the JSON login, GET /api/me
// and email changes.
var expressExample = preset{sessionCookie: "sid", routes: []Route{
	{Kind: Login, Path: "/login", User: "username", Password: "password",
		Success: Success{Status: []int{302}, Location: "/profile", SetCookie: true}},
	{Kind: Login, Path: "/api/login", User: "/username", Password: "/password", ResponseEmail: "/user/email",
		Success: Success{Status: []int{200}, JSON: "/ok", SetCookie: true}},
	{Kind: Register, Path: "/register", User: "username", Email: "email", Password: "password",
		Success: Success{Status: []int{302}, SetCookie: true}},
	{Kind: Logout, Path: "/logout"},
	{Kind: Logout, Method: "GET", Path: "/logout"},
	{Kind: ChangeEmail, Path: "/profile/email", Email: "email", Success: Success{Status: []int{302}, Location: "/profile"}},
	{Kind: ChangeEmail, Path: "/api/me/email", Email: "email", ResponseEmail: "/user/email", Success: Success{Status: []int{200}, JSON: "/ok"}},
	{Kind: ChangePassword, Path: "/profile/password", Password: "new_password", Success: Success{Status: []int{302}, Location: "/profile"}},
	{Kind: ChangePassword, Path: "/api/me/password", Password: "new_password", Success: Success{Status: []int{200}, JSON: "/ok"}},
	{Kind: Profile, Path: "/api/me", ResponseEmail: "/user/email", Success: Success{Status: []int{200}}},
}}

// jsonAPI fits a common JSON API: POST /api/login with {"username",
// "password"} answering 200 and a session cookie, and the like.
var jsonAPI = preset{routes: []Route{
	{Kind: Login, Path: "/api/login", User: "username", Password: "password", ResponseEmail: "/user/email",
		Success: Success{Status: []int{200}, SetCookie: true}},
	{Kind: Logout, Path: "/api/logout"},
	{Kind: Register, Path: "/api/register", User: "username", Email: "email", Password: "password",
		Success: Success{Status: []int{200, 201}}},
	{Kind: ChangeEmail, Path: "/api/me/email", Email: "email", Success: Success{Status: []int{200, 204}}},
	{Kind: ChangePassword, Path: "/api/me/password", Password: "new_password", Success: Success{Status: []int{200, 204}}},
	{Kind: ResetPassword, Path: "/api/password/reset", Password: "password", Success: Success{Status: []int{200, 204}}},
	{Kind: Profile, Path: "/api/me", ResponseEmail: "/user/email", Success: Success{Status: []int{200}}},
}}

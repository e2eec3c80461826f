package accounts

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bulwark-sec/bulwark/config"
)

// A Kind is what an account route does.
type Kind string

// Kinds of account routes.
const (
	Login          Kind = "login"
	Logout         Kind = "logout"
	Register       Kind = "register"
	ChangeEmail    Kind = "changeEmail"
	ChangePassword Kind = "changePassword"
	ResetPassword  Kind = "resetPassword"
	// Profile is a page or API that shows the user's email address in its
	// JSON response; it only teaches the address.
	Profile Kind = "profile"
)

// A Route tells one of the app's account routes: how to recognise it, where
// its fields are, and how its success shows.
type Route struct {
	// Kind is login, logout, register, changeEmail, changePassword,
	// resetPassword or profile. Required.
	Kind Kind `yaml:"kind"`
	// Method is the HTTP method. If empty, POST (GET for profile).
	Method string `yaml:"method"`
	// Path is an exact path, or a prefix ending in "/*". Required.
	Path string `yaml:"path"`
	// User is where the username is in the request: a form field name, a
	// JSON member name, or a JSON pointer ("/user/name"). If empty, the
	// user is the one owning the request's session.
	User string `yaml:"user"`
	// Email is where an email address is in the request (register: the
	// user's address; changeEmail: the new one). If empty, none.
	Email string `yaml:"email"`
	// Password is where the password is (login, register) or the new one
	// (changePassword, resetPassword). If empty, none is checked.
	Password string `yaml:"password"`
	// ResponseEmail is a JSON pointer to the user's address in a JSON
	// response ("/user/email"). If empty, none.
	ResponseEmail string `yaml:"responseEmail"`
	// Success says how success shows. A response meeting every condition
	// set is a success; any other (but a 5xx, which is ignored) a failure.
	Success Success `yaml:"success"`
}

// Success is how a route's success shows in the upstream's response. Its
// zero value means any 2xx or 3xx status.
type Success struct {
	// Status lists the success statuses. If empty, any 2xx or 3xx.
	Status []int `yaml:"status"`
	// Location is a prefix the redirect's Location must have, e.g.
	// "/profile". If empty, any or none.
	Location string `yaml:"location"`
	// JSON is a JSON pointer that must hold a value other than false,
	// null, 0 or "" in the response, e.g. "/ok". If empty, not checked.
	JSON string `yaml:"json"`
	// SetCookie requires the response to set the session cookie. If
	// false, not checked.
	SetCookie bool `yaml:"setCookie"`
}

// Validate reports every bad value, each at its key.
func (r Route) Validate() error {
	var errs []error
	switch r.Kind {
	case Login, Logout, Register, ChangeEmail, ChangePassword, ResetPassword, Profile:
	case "":
		errs = append(errs, config.Field("kind", errors.New("missing: one of login, logout, register, changeEmail, changePassword, resetPassword, profile")))
	default:
		errs = append(errs, config.Field("kind", fmt.Errorf("unknown kind %q: use login, logout, register, changeEmail, changePassword, resetPassword or profile", r.Kind)))
	}
	if !strings.HasPrefix(r.Path, "/") {
		errs = append(errs, config.Field("path", fmt.Errorf("must be a path starting with /, got %q", r.Path)))
	}
	for _, p := range []struct{ key, v string }{{"responseEmail", r.ResponseEmail}, {"success.json", r.Success.JSON}} {
		if p.v != "" && !strings.HasPrefix(p.v, "/") {
			errs = append(errs, config.Field(p.key, fmt.Errorf("must be a JSON pointer such as /user/email, got %q", p.v)))
		}
	}
	for i, s := range r.Success.Status {
		if s < 100 || s > 599 {
			errs = append(errs, config.Field(fmt.Sprintf("success.status[%d]", i), fmt.Errorf("%d is not an HTTP status", s)))
		}
	}
	return errors.Join(errs...)
}

func (r Route) method() string {
	if r.Method != "" {
		return strings.ToUpper(r.Method)
	}
	if r.Kind == Profile {
		return http.MethodGet
	}
	return http.MethodPost
}

func (r Route) matches(req *http.Request) bool {
	if req.Method != r.method() {
		return false
	}
	if prefix, ok := strings.CutSuffix(r.Path, "/*"); ok {
		return req.URL.Path == prefix || strings.HasPrefix(req.URL.Path, prefix+"/")
	}
	return req.URL.Path == r.Path
}

// needsBody reports whether the response body must be read to judge it.
func (r Route) needsBody() bool { return r.Success.JSON != "" || r.ResponseEmail != "" }

// heuristicLogin is the route assumed for unconfigured paths that look like
// logins: only failures (401, 403) are reported, marked heuristic.
var heuristicLogin = Route{Kind: Login, User: "username", Success: Success{Status: []int{200, 201, 204, 301, 302, 303, 307, 308}}}

var loginWords = []string{"login", "log-in", "signin", "sign-in", "sign_in", "logon", "authenticate", "session", "token"}

// looksLikeLogin reports whether a POST's path looks like a login.
func looksLikeLogin(req *http.Request) bool {
	if req.Method != http.MethodPost {
		return false
	}
	p := strings.ToLower(req.URL.Path)
	for _, w := range loginWords {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

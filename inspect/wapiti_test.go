package inspect

import (
	"net/http"
	"net/url"
	"testing"
)

// TestScannerPayloads checks the payloads of wapiti's exec, file and sql
// modules that once reached the application, each in the parameter a
// scanner puts it in, and near misses in the same places.
func TestScannerPayloads(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(param, v string) Verdict {
		return e.Inspect(&Request{Method: "GET", URI: "/download?" + param + "=" + url.QueryEscape(v), Header: http.Header{"Host": {"app.example.com"}}})
	}
	for _, tt := range []struct {
		param, v string
		rule     *rule
	}{
		{"q", "a;exit(md5('w4p1t1_md5'));//", rulePHPFunc},
		{"q", "';exit(md5('w4p1t1_md5'));#", rulePHPFunc},
		{"q", `".exit(md5('w4p1t1_md5'));//`, rulePHPFunc},
		{"q", ";die(sha1(1));//", rulePHPFunc},
		{"q", "';d=new Date();do{cd=new Date();}while(cd-d<10000);//", ruleNodeDoS},
		{"q", `test"+(function(){if(typeof gs78r==='undefined'){var a=new Date();do{var b=new Date();}while(b-a<20000);gs78r=1;}}())+"`, ruleNodeDoS},
		{"file", "https://wapiti3.ovh/e.php", ruleRFIScript},
		{"file", "http://wapiti3.ovh/e.php\x00", ruleRFIScript},
		{"page", "http://evil.example/shell.txt?", ruleRFIScript},
		{"template_path", "https://evil.example/x/inc.php", ruleRFIScript},
	} {
		got := get(tt.param, tt.v)
		if got.Action != Block || !hasRule(got, tt.rule.id) {
			t.Errorf("Inspect(%s=%q) = %v %+v, want block by %s", tt.param, tt.v, got.Action, got.Findings, tt.rule.id)
		}
	}
	for _, tt := range []struct{ param, v string }{
		{"file", "https://cdn.example.com/logo.png"},
		{"page", "https://example.com/index.php?id=3"},
		{"url", "https://example.com/e.php"},
		{"next", "https://example.com/login.php"},
		{"q", "call exit(0); when done"},
		{"q", "while (Date.now() - start < 10) {}"},
		{"q", "do { x = next(); } while (x)"},
	} {
		if got := get(tt.param, tt.v); got.Action == Block {
			t.Errorf("Inspect(%s=%q) = block %+v, want allow", tt.param, tt.v, got.Findings)
		}
	}
}

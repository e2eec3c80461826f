package corpus

import (
	"strings"
	"testing"
)

func TestLoadCSIC(t *testing.T) {
	t.Parallel()
	cases, err := LoadCSIC(sharedDir(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 72000 {
		t.Errorf("LoadCSIC: %d cases, want the 72,000 normal requests", len(cases))
	}
	groups := map[string]int{}
	for _, c := range cases {
		groups[c.Group]++
		if c.Attack || !strings.HasPrefix(c.Path, "/tienda1/") || c.Header.Get("Host") != "localhost:8080" {
			t.Fatalf("%s: attack %v, path %q, Host %q", c.ID, c.Attack, c.Path, c.Header.Get("Host"))
		}
	}
	if groups["training"] != 36000 || groups["test"] != 36000 {
		t.Errorf("groups %v, want 36,000 training and 36,000 test", groups)
	}
	first := cases[0]
	if first.ID != "normalTrafficTraining.txt:1" || first.Method != "GET" || first.Path != "/tienda1/index.jsp" || first.Body != nil {
		t.Errorf("first case = %s %s %s %q", first.ID, first.Method, first.Path, first.Body)
	}
	post := cases[2]
	if post.ID != "normalTrafficTraining.txt:27" || post.Method != "POST" ||
		string(post.Body) != "id=3&nombre=Vino+Rioja&precio=100&cantidad=55&B1=A%F1adir+al+carrito" || post.Header.Get("Content-Length") != "68" {
		t.Errorf("third case = %s %s %q (Content-Length %s)", post.ID, post.Method, post.Body, post.Header.Get("Content-Length"))
	}
	if got := cases[36000].ID; got != "normalTrafficTest.txt:1" {
		t.Errorf("first case of the test file = %s", got)
	}

	sample, err := LoadCSIC(sharedDir(t), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(sample) != 1000 || sample[0].ID != cases[0].ID || sample[500].Group != "test" {
		t.Errorf("LoadCSIC(limit 1000): %d cases, first %s, 501st in %s; want an even spread over both files",
			len(sample), sample[0].ID, sample[500].Group)
	}
}

func TestParseCSIC(t *testing.T) {
	const good = "GET http://localhost:8080/a?x=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n\r\n" +
		"POST http://localhost:8080/b HTTP/1.1\nHost: localhost:8080\nContent-Length: 3\n\nx=1\n\n" +
		"GET http://localhost:8080 HTTP/1.1\r\n\r\n"
	cases, err := parseCSIC([]byte(good), "f.txt", "g")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.ID+" "+c.Method+" "+c.Path+" "+string(c.Body))
	}
	want := []string{"f.txt:1 GET /a?x=1 ", "f.txt:5 POST /b x=1", "f.txt:11 GET / "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("parseCSIC = %q, want %q", got, want)
	}

	bad := []struct{ in, want string }{
		{"POST http://h/b HTTP/1.1\r\nContent-Length: 9\r\n\r\nx=1\r\n\r\n", "request at line 1: Content-Length is 9 but the body has 3 bytes"},
		{"hello\r\n", `line 1: "hello" is not a request line`},
		{"GET http://h/ HTTP/1.1\r\nno colon here\r\n\r\n", "request at line 1: line 2: header line"},
	}
	for _, b := range bad {
		if _, err := parseCSIC([]byte(b.in), "f.txt", "g"); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("parseCSIC(%q) = %v, want an error containing %q", b.in, err, b.want)
		}
	}
}

func TestOriginForm(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:8080/tienda1/index.jsp?a=1": "/tienda1/index.jsp?a=1",
		"http://localhost:8080":                       "/",
		"http://localhost:8080?a=1":                   "/?a=1",
		"https://h/x":                                 "/x",
		"/already":                                    "/already",
	} {
		if got := originForm(in); got != want {
			t.Errorf("originForm(%q) = %q, want %q", in, got, want)
		}
	}
}

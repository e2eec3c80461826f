package corpus

import (
	"io"
	"net/http"
	"testing"
)

func TestHTTPRequest(t *testing.T) {
	c := Case{Corpus: CSIC, ID: "x", Method: "POST", Path: "/a/b?q=1%202",
		Header: http.Header{"Host": {"shop.example"}, "Content-Length": {"3"}, "Cookie": {"s=1"}},
		Body:   []byte("a=1xyz")}
	r, err := c.HTTPRequest()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	if r.Method != "POST" || r.URL.Path != "/a/b" || r.URL.Query().Get("q") != "1 2" || r.RequestURI != c.Path ||
		r.Host != "shop.example" || r.Header.Get("Host") != "" || r.ContentLength != 3 || string(body) != "a=1" ||
		r.RemoteAddr != RemoteAddr {
		t.Errorf("HTTPRequest() = %+v, body %q", r, body)
	}
	r.Header.Set("Cookie", "changed")
	if c.Header.Get("Cookie") != "s=1" {
		t.Error("changing the request's header changed the case")
	}

	bad := Case{Corpus: CRS, ID: "930100-9", Method: "GET", Path: "/a b\x00"}
	if _, err := bad.HTTPRequest(); err == nil {
		t.Error("HTTPRequest() accepted a request line net/http refuses")
	}
}

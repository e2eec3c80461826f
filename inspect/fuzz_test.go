package inspect

import (
	"net/http"
	"testing"
)

// Fuzz targets for the normalizer and every parser of attacker-controlled
// input. Seeds are in testdata/fuzz; run one with
// go test -fuzz=FuzzJSON -fuzztime=30s ./inspect.

func FuzzNormalize(f *testing.F) {
	f.Add("%2e%2e%2f")
	f.Fuzz(func(t *testing.T, v string) {
		got := Normalize(v)
		if len(got) > 2*len(v)+8 {
			t.Errorf("Normalize(%q) grew to %d bytes", v, len(got))
		}
		if again := Normalize(got); len(again) > len(got) {
			t.Errorf("Normalize(Normalize(%q)) grew", v)
		}
	})
}

var fuzzEngine = func() *Engine {
	e, err := New(Config{MaxInputs: 512, MaxDepth: 32})
	if err != nil {
		panic(err)
	}
	return e
}()

func fuzzBody(t *testing.T, ct string, body []byte) {
	v := fuzzEngine.Inspect(&Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {ct}}, Body: body})
	checkVerdict(t, v)
}

func checkVerdict(t *testing.T, v Verdict) {
	t.Helper()
	if v.Action > Block || len(v.Findings) > maxFindings || v.Score < 0 {
		t.Fatalf("bad verdict %+v", v)
	}
	for _, f := range v.Findings {
		if len(f.Fragment) > fragmentLen+8 || f.RuleID == "" || f.Where == "" {
			t.Fatalf("bad finding %+v", f)
		}
	}
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,"x",{"$ne":null}]}`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzBody(t, "application/json", b) })
}

func FuzzForm(f *testing.F) {
	f.Add([]byte("a=1&b[c]=2&d"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzBody(t, "application/x-www-form-urlencoded", b) })
}

func FuzzMultipart(f *testing.F) {
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.php\"\r\n\r\nx\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzBody(t, "multipart/form-data; boundary=b", b) })
}

func FuzzXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r a="1">&x;</r>`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzBody(t, "application/xml", b) })
}

func FuzzQuery(f *testing.F) {
	f.Add("/p?a=1&a=2&b[$ne]=x&__proto__[y]=1")
	f.Fuzz(func(t *testing.T, uri string) {
		v := fuzzEngine.Inspect(&Request{Method: "GET", URI: uri, Header: http.Header{"Cookie": {uri}, "User-Agent": {uri}}})
		checkVerdict(t, v)
	})
}

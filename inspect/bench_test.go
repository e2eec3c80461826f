package inspect

import (
	"net/http"
	"testing"
)

func browserHeader() http.Header {
	return http.Header{
		"Host":            {"app.example.com"},
		"User-Agent":      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"},
		"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		"Accept-Language": {"en-US,en;q=0.5"},
		"Accept-Encoding": {"gzip, deflate, br"},
		"Referer":         {"https://app.example.com/products?page=2"},
		"Cookie":          {"sid=Lv0N-7Darzbr3f9Om1VCfETvacwvF740; theme=dark; cookie_consent=accepted"},
	}
}

func benchInspect(b *testing.B, r *Request) {
	e, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.Inspect(r)
	}
}

// BenchmarkBenignGET is a browser's search request.
func BenchmarkBenignGET(b *testing.B) {
	benchInspect(b, &Request{Method: "GET", URI: "/api/products/1042/reviews?q=running+shoes&sort=rating&page=3&size=20", Header: browserHeader()})
}

// BenchmarkBenignJSON is a login-sized JSON POST.
func BenchmarkBenignJSON(b *testing.B) {
	h := browserHeader()
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
	body := []byte(`{"email":"ana.obrien@example.com","password":"c0rrect-Horse!battery","remember":true,"profile":{"name":"Ana O'Brien","tags":["new","vip"]}}`)
	benchInspect(b, &Request{Method: "POST", URI: "/api/login", Header: h, Body: body})
}

// BenchmarkAttack is a UNION SELECT in a query parameter.
func BenchmarkAttack(b *testing.B) {
	benchInspect(b, &Request{Method: "GET", URI: "/items?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--", Header: browserHeader()})
}

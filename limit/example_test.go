package limit_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/limit"
)

func ExampleLimiter_Middleware() {
	var cfg limit.Config
	err := config.Decode("bulwark.yaml", []byte(`
perIP: {rate: 50/s, burst: 100}
routes:
  - name: login
    methods: [POST]
    paths: [/login]
    rate: 5/m
    burst: 2
`), &cfg)
	if err != nil {
		panic(err)
	}
	l, err := limit.New(cfg, limit.Options{
		OnLimit: func(r *http.Request, d limit.Decision) {
			fmt.Printf("rate-limited by %s, key %v\n", d.Limit, d.Key)
		},
	})
	if err != nil {
		panic(err)
	}
	defer l.Close()
	h := l.Middleware()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for range 3 {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = "192.0.2.7:50000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Printf("%d Retry-After=%q\n", w.Code, w.Header().Get("Retry-After"))
	}
	// Output:
	// 200 Retry-After=""
	// 200 Retry-After=""
	// rate-limited by route:login, key 192.0.2.7/32
	// 429 Retry-After="12"
}

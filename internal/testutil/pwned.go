package testutil

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A PwnedRange speaks Have I Been Pwned's Pwned Passwords range API
// (GET /range/PREFIX, lines SUFFIX:COUNT, padding lines with count 0 when
// asked with Add-Padding: true) for the breached passwords it is given.
type PwnedRange struct {
	*httptest.Server
	mu sync.Mutex
	n  int
}

// Hits counts the range requests answered.
func (p *PwnedRange) Hits() int { p.mu.Lock(); defer p.mu.Unlock(); return p.n }

// StartPwnedRange starts the server, stopped when the test ends.
func StartPwnedRange(t testing.TB, breached ...string) *PwnedRange {
	p := &PwnedRange{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.n++
		p.mu.Unlock()
		prefix := strings.TrimPrefix(r.URL.Path, "/range/")
		for _, pw := range breached {
			sum := sha1.Sum([]byte(pw))
			h := strings.ToUpper(hex.EncodeToString(sum[:]))
			if h[:5] == prefix {
				fmt.Fprintf(w, "%s:52256179\r\n", h[5:])
			}
		}
		if r.Header.Get("Add-Padding") == "true" {
			for i := range 3 {
				fmt.Fprintf(w, "%035X:0\r\n", i+7)
			}
		}
	}))
	t.Cleanup(p.Close)
	return p
}

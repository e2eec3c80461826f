package accounts

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rangeServer speaks the Pwned Passwords range API's real format: upper
// case 35-hex suffixes, ":COUNT", CRLF line ends, and with Add-Padding
// padding lines whose count is 0.
type rangeServer struct {
	*httptest.Server
	hits     atomic.Int64
	mu       sync.Mutex
	paths    []string
	padding  []string // Add-Padding header values seen
	breached map[string]int
}

func newRangeServer(t *testing.T, passwords map[string]int) *rangeServer {
	s := &rangeServer{breached: map[string]int{}}
	for p, n := range passwords {
		sum := sha1.Sum([]byte(p))
		s.breached[strings.ToUpper(hex.EncodeToString(sum[:]))] = n
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.padding = append(s.padding, r.Header.Get("Add-Padding"))
		s.mu.Unlock()
		prefix, ok := strings.CutPrefix(r.URL.Path, "/range/")
		if !ok || len(prefix) != 5 {
			http.Error(w, "The hash prefix was not in a valid format", 400)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		var b bytes.Buffer
		for h, n := range s.breached {
			if h[:5] == prefix {
				fmt.Fprintf(&b, "%s:%d\r\n", h[5:], n)
			}
		}
		fmt.Fprintf(&b, "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n")
		if r.Header.Get("Add-Padding") == "true" {
			for i := range 5 {
				fmt.Fprintf(&b, "%035X:0\r\n", i+1)
			}
		}
		w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\r\n")))
	}))
	t.Cleanup(s.Close)
	return s
}

func TestRangeClient(t *testing.T) {
	srv := newRangeServer(t, map[string]int{"password": 10434004})
	clock := newClock()
	c := newRangeClient(Config{Breach: Breach{BaseURL: srv.URL}}.WithDefaults().Breach, srv.Client(), clock.Now)
	for _, tc := range []struct {
		pw   string
		want int
	}{{"password", 10434004}, {"password", 10434004}, {"correct horse battery staple 2026!", 0}} {
		n, err := c.Count(context.Background(), sha1.Sum([]byte(tc.pw)))
		if err != nil || n != tc.want {
			t.Errorf("Count(sha1(%q)) = %d, %v; want %d", tc.pw, n, err, tc.want)
		}
	}
	if srv.hits.Load() != 2 {
		t.Errorf("range requests = %d, want 2 (the second answer cached)", srv.hits.Load())
	}
	for i, p := range srv.paths {
		if len(p) != len("/range/")+5 || srv.padding[i] != "true" {
			t.Errorf("request %d: path %q, Add-Padding %q; want only a 5-hex prefix and padding", i, p, srv.padding[i])
		}
	}
	// The padding lines' suffixes are not breached.
	counts, err := parseRange(strings.NewReader("0000000000000000000000000000000000A:0\r\n0018A45C4D1DEF81644B54AB7F969B88D65:3"))
	if err != nil || len(counts) != 1 {
		t.Errorf("parseRange = %v, %v; want the padding line left out", counts, err)
	}
	clock.Add(25 * time.Hour)
	c.Count(context.Background(), sha1.Sum([]byte("password")))
	if srv.hits.Load() != 3 {
		t.Errorf("range requests after the TTL = %d, want 3", srv.hits.Load())
	}
}

func TestRangeClientFailsOpenOnTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	cfg := Config{Preset: "express-example", Breach: Breach{Mode: "online", BaseURL: srv.URL, Timeout: 50 * time.Millisecond}}
	w, rec := newTestWatch(t, cfg, newClock())
	h := w.Middleware()(&fakeApp{})
	if rr := formLogin(t, h, "192.0.2.1", "alice", "password"); rr.Code != http.StatusFound {
		t.Errorf("login with the range API hanging = %d, want 302 (fail open)", rr.Code)
	}
	if rec.count("breached-password") != 0 {
		t.Errorf("events %v", rec.actions())
	}
}

func TestBreachedPasswordAtLogin(t *testing.T) {
	for _, tc := range []struct {
		action     string
		wantStatus int
		wantMail   bool
	}{{"event", http.StatusFound, false}, {"notify", http.StatusFound, true}, {"refuse", http.StatusForbidden, false}} {
		t.Run(tc.action, func(t *testing.T) {
			srv := newRangeServer(t, map[string]int{"password": 10434004})
			cfg := Config{Preset: "express-example", Breach: Breach{Mode: "online", BaseURL: srv.URL, Action: tc.action}}
			w, rec := newTestWatch(t, cfg, newClock())
			w.learnEmail(context.Background(), "alice", "alice@example.com")
			h := w.Middleware()(&fakeApp{})
			if rr := formLogin(t, h, "192.0.2.1", "alice", "wrong"); rr.Code != 401 || srv.hits.Load() != 0 {
				t.Fatalf("failed login: %d, %d range requests; want 401 and no check", rr.Code, srv.hits.Load())
			}
			rr := formLogin(t, h, "192.0.2.1", "alice", "password")
			if rr.Code != tc.wantStatus {
				t.Fatalf("login with a breached password = %d, want %d", rr.Code, tc.wantStatus)
			}
			if rec.count("breached-password") != 1 {
				t.Errorf("events %v, want one breached-password", rec.actions())
			}
			w.Close()
			if got := len(rec.mails) == 1; got != tc.wantMail {
				t.Errorf("mails %+v, want mail: %v", rec.mails, tc.wantMail)
			}
			if tc.action == "refuse" {
				if sc := rr.Header().Get("Set-Cookie"); sc != "" {
					t.Errorf("refused login still sets %q", sc)
				}
			}
		})
	}
}

func TestBreachFile(t *testing.T) {
	var lines []string
	for _, p := range []string{"password", "123456", "qwerty", "letmein"} {
		sum := sha1.Sum([]byte(p))
		lines = append(lines, strings.ToUpper(hex.EncodeToString(sum[:]))+":42")
	}
	slices.Sort(lines)
	in := strings.Join(append(lines, lines[len(lines)-1]), "\n") // a duplicate
	path := filepath.Join(t.TempDir(), "breach.bin")
	f, _ := os.Create(path)
	n, err := ImportBreaches(context.Background(), strings.NewReader(in), f)
	f.Close()
	if err != nil || n != 4 {
		t.Fatalf("ImportBreaches = %d, %v; want 4", n, err)
	}
	bf, err := OpenBreachFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer bf.Close()
	for _, tc := range []struct {
		pw   string
		want int
	}{{"password", 1}, {"123456", 1}, {"letmein", 1}, {"qwerty", 1}, {"not in the list", 0}, {"", 0}} {
		if got, err := bf.Count(context.Background(), sha1.Sum([]byte(tc.pw))); got != tc.want || err != nil {
			t.Errorf("Count(%q) = %d, %v; want %d", tc.pw, got, err, tc.want)
		}
	}
	if _, err := ImportBreaches(context.Background(), strings.NewReader(lines[2]+"\n"+lines[0]), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "sort") {
		t.Errorf("unsorted input: err = %v, want a hint to sort", err)
	}
	if _, err := ImportBreaches(context.Background(), strings.NewReader("password\n"), &bytes.Buffer{}); err == nil {
		t.Error("a plain password line was accepted")
	}
}

func BenchmarkRangeCacheHit(b *testing.B) {
	c := newRangeClient(Config{}.WithDefaults().Breach, nil, time.Now)
	sum := sha1.Sum([]byte("password"))
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	c.store(h[:5], map[string]int{h[5:]: 3})
	b.ReportAllocs()
	for b.Loop() {
		c.Count(context.Background(), sum)
	}
}

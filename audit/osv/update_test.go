package osv

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// zipServer serves one all.zip per ecosystem with an ETag, answering
// If-None-Match with 304, and records the conditional headers it got.
type zipServer struct {
	mu     sync.Mutex
	zip    []byte
	etag   string
	gets   int
	cond   []string // If-None-Match of each request
	served int      // 200 answers
}

func (s *zipServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path != "/npm/all.zip" {
		http.NotFound(w, r)
		return
	}
	s.gets++
	s.cond = append(s.cond, r.Header.Get("If-None-Match"))
	if r.Header.Get("If-None-Match") == s.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.served++
	w.Header().Set("ETag", s.etag)
	w.Header().Set("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
	w.Write(s.zip)
}

func TestUpdateConditional(t *testing.T) {
	ctx := context.Background()
	zipPath := writeZip(t, t.TempDir(), testdataFiles(t))
	data, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	srv := &zipServer{zip: data, etag: `"v1"`}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	db := openTemp(t)
	opt := UpdateOptions{BaseURL: ts.URL, Client: &http.Client{Timeout: 10 * time.Second},
		Clock: func() time.Time { return time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC) }}

	res, err := db.Update(ctx, []string{"npm"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].NotModified || res[0].Stats.Added != 4 || res[0].Bytes != int64(len(data)) {
		t.Errorf("first update = %+v, want 4 added from %d bytes", res[0], len(data))
	}
	res, err = db.Update(ctx, []string{"npm"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].NotModified || res[0].Stats.Total() != 0 {
		t.Errorf("second update = %+v, want 304 and nothing imported", res[0])
	}
	if srv.served != 1 || srv.cond[0] != "" || srv.cond[1] != `"v1"` {
		t.Errorf("server saw If-None-Match %q and served %d zips; want \"\", \"v1\" and 1", srv.cond, srv.served)
	}
	info, err := db.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Sources) != 1 || info.Sources[0].ETag != `"v1"` || info.Sources[0].Fetched != "2024-05-01T00:00:00Z" {
		t.Errorf("sources = %+v", info.Sources)
	}

	// A bad zip imports nothing and keeps the old validators.
	srv.zip, srv.etag = []byte("not a zip"), `"v2"`
	if _, err := db.Update(ctx, []string{"npm"}, opt); err == nil || !strings.Contains(err.Error(), "npm/all.zip") {
		t.Errorf("bad zip: err = %v, want one naming npm/all.zip", err)
	}
	info, _ = db.Info(ctx)
	if info.Sources[0].ETag != `"v1"` || info.Entries != 4 {
		t.Errorf("after a failed update: %+v", info)
	}

	// Unknown ecosystem: the 404 is explained.
	if _, err := db.Update(ctx, []string{"Nope"}, opt); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: err = %v", err)
	}
}

func TestUpdateSizeBound(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 4096))
	}))
	defer ts.Close()
	db := openTemp(t)
	_, err := db.Update(context.Background(), []string{"npm"}, UpdateOptions{BaseURL: ts.URL, Client: ts.Client(), MaxSize: 1024})
	if err == nil || !strings.Contains(err.Error(), "1024") {
		t.Errorf("err = %v, want the size bound", err)
	}
}

// failTransport fails the test on any request.
type failTransport struct{ t *testing.T }

func (f failTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("offline mode made a request: %s %s", r.Method, r.URL)
	return nil, errors.New("network used in offline mode")
}

func TestUpdateOfflineMakesNoRequest(t *testing.T) {
	db := openTemp(t)
	opt := UpdateOptions{Offline: true, Client: &http.Client{Transport: failTransport{t}}}
	_, err := db.Update(context.Background(), []string{"npm", "Go", "PyPI"}, opt)
	if !errors.Is(err, ErrOffline) {
		t.Errorf("err = %v, want ErrOffline", err)
	}
}

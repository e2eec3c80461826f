package inspect

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

const loginAttack = `{"username":"admin","password":{"$ne":null}}`

// encode applies the codings to b, the first first.
func encode(t testing.TB, b []byte, codings ...string) []byte {
	t.Helper()
	for _, c := range codings {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch strings.ToLower(c) {
		case "gzip", "x-gzip":
			w = gzip.NewWriter(&buf)
		case "deflate":
			w = zlib.NewWriter(&buf)
		case "raw-deflate":
			w, _ = flate.NewWriter(&buf, flate.BestCompression)
		case "br":
			w = brotli.NewWriter(&buf)
		default:
			t.Fatalf("no encoder for %q", c)
		}
		w.Write(b)
		w.Close()
		b = buf.Bytes()
	}
	return b
}

func TestDecodeCodings(t *testing.T) {
	plain := []byte(loginAttack)
	bomb := encode(t, make([]byte, 4<<20), "gzip")
	for _, c := range []struct {
		name   string
		header []string // Content-Encoding lines
		body   []byte
		want   *rule // refusal
	}{
		{"none", nil, plain, nil},
		{"identity", []string{"identity"}, plain, nil},
		{"gzip", []string{"gzip"}, encode(t, plain, "gzip"), nil},
		{"x-gzip", []string{"x-gzip"}, encode(t, plain, "gzip"), nil},
		{"upper case", []string{"GZIP"}, encode(t, plain, "gzip"), nil},
		{"deflate (zlib)", []string{"deflate"}, encode(t, plain, "deflate"), nil},
		{"deflate (raw)", []string{"Deflate"}, encode(t, plain, "raw-deflate"), nil},
		{"br", []string{"br"}, encode(t, plain, "br"), nil},
		{"stacked", []string{"gzip, br"}, encode(t, plain, "gzip", "br"), nil},
		{"stacked lines", []string{"deflate", " gzip ,identity"}, encode(t, plain, "deflate", "gzip"), nil},
		{"two gzip members", []string{"gzip"}, append(encode(t, plain[:10], "gzip"), encode(t, plain[10:], "gzip")...), nil},
		{"unknown", []string{"zstd"}, plain, ruleCoding},
		{"unknown stacked", []string{"gzip, compress"}, encode(t, plain, "gzip"), ruleCoding},
		{"too many", []string{"gzip,gzip,gzip,gzip,gzip"}, encode(t, plain, "gzip", "gzip", "gzip", "gzip", "gzip"), ruleCoding},
		{"corrupt", []string{"gzip"}, plain, ruleBadCoding},
		{"truncated", []string{"br"}, encode(t, plain, "br")[:10], ruleBadCoding},
		{"bomb", []string{"gzip"}, bomb, ruleBomb},
		{"bomb stacked", []string{"gzip, gzip"}, encode(t, bomb, "gzip"), ruleBomb},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{"Content-Encoding": c.header}
			got, refused := decodeCodings(contentCodings(h), c.body, DefaultMaxBody)
			if refused != c.want {
				t.Fatalf("decodeCodings refused with %v, want %v", refused, c.want)
			}
			if c.want == nil && !bytes.Equal(got, plain) {
				t.Errorf("decodeCodings = %q, want %q", got, plain)
			}
		})
	}
}

// TestDecodeCodingsRatio: a body inflating past maxRatio is refused even
// under maxBody, once it is past ratioFloor.
func TestDecodeCodingsRatio(t *testing.T) {
	small := encode(t, bytes.Repeat([]byte("a"), ratioFloor), "gzip")
	if _, refused := decodeCodings([]string{"gzip"}, small, DefaultMaxBody); refused != nil {
		t.Errorf("%d bytes inflating to the floor: refused with %v", len(small), refused)
	}
	big := encode(t, bytes.Repeat([]byte("a"), 512<<10), "gzip")
	if _, refused := decodeCodings([]string{"gzip"}, big, DefaultMaxBody); refused != ruleBomb {
		t.Errorf("%d bytes inflating to 512KiB: refused with %v, want %v", len(big), refused, ruleBomb)
	}
}

// TestEncodedAttacks: the NoSQL login bypass is blocked in every coding
// Express inflates, and a benign encoded body reaches the app as sent.
func TestEncodedAttacks(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var seen []byte
	h := e.Middleware(MiddlewareOptions{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ = io.ReadAll(r.Body)
	}))
	post := func(ce string, body []byte) int {
		req := httptest.NewRequest("POST", "/api/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", ce)
		rec := httptest.NewRecorder()
		seen = nil
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, cs := range [][]string{{"gzip"}, {"deflate"}, {"br"}, {"GZIP"}, {"gzip", "br"}, {"raw-deflate"}} {
		ce := strings.Join(cs, ", ")
		if cs[0] == "raw-deflate" {
			ce = "deflate"
		}
		if code := post(ce, encode(t, []byte(loginAttack), cs...)); code != http.StatusForbidden || seen != nil {
			t.Errorf("%v attack: %d (app saw %q), want 403", cs, code, seen)
		}
		benign := encode(t, []byte(`{"username":"alice","password":"s3cret"}`), cs...)
		if code := post(ce, benign); code != http.StatusOK || !bytes.Equal(seen, benign) {
			t.Errorf("%v benign: %d, app saw %q, want 200 and the bytes as sent", cs, code, seen)
		}
	}
	if code := post("zstd", []byte(loginAttack)); code != http.StatusUnsupportedMediaType {
		t.Errorf("unknown coding: %d, want 415", code)
	}
	if code := post("gzip", []byte(loginAttack)); code != http.StatusBadRequest {
		t.Errorf("corrupt gzip: %d, want 400", code)
	}
	if code := post("gzip", encode(t, make([]byte, 8<<20), "gzip")); code != http.StatusRequestEntityTooLarge {
		t.Errorf("gzip bomb: %d, want 413", code)
	}
}

func FuzzCoding(f *testing.F) {
	f.Add("gzip", encode(f, []byte(loginAttack), "gzip"))
	f.Add("deflate", encode(f, []byte(loginAttack), "deflate"))
	f.Add("br", encode(f, []byte(loginAttack), "br"))
	f.Add("gzip, br", encode(f, []byte(loginAttack), "gzip", "br"))
	f.Fuzz(func(t *testing.T, ce string, b []byte) {
		const maxLen = 256 << 10
		got, refused := decodeCodings(contentCodings(http.Header{"Content-Encoding": {ce}}), b, maxLen)
		if refused == nil && len(got) > max(maxLen, len(b)) {
			t.Fatalf("decoded %d bytes to %d, over the limit", len(b), len(got))
		}
		if refused != nil && got != nil {
			t.Fatalf("refused with %v and returned %d bytes", refused, len(got))
		}
		v := fuzzEngine.Inspect(&Request{Method: "POST", URI: "/p", Body: b,
			Header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {ce}}})
		checkVerdict(t, v)
	})
}

package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/andybalholm/brotli"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

const nosqlLogin = `{"username":"admin","password":{"$ne":null}}`

// TestBodyDecodedAsTheAppDecodesIt puts the real binary in front of the
// real example Express app and sends it bodies in content codings and
// charsets Express decodes: attacks in them are refused before the app,
// what cannot be decoded is refused with 415 or 413 and never bans, and a
// photo upload larger than the inspection limit reaches the app intact.
func TestBodyDecodedAsTheAppDecodesIt(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app and gateway; runs in CI")
	}
	app := testutil.StartExpressApp(t).URL()
	dir := t.TempDir()
	pub := testutil.FreeAddr(t)
	cfg := writeGatewayConfig(t, dir, pub, app, "", "")
	startGateway(t, cfg, pub)
	events := filepath.Join(dir, "events.jsonl")

	attack := []byte(nosqlLogin)
	t.Run("control: the gzipped attack logs into the app as admin", func(t *testing.T) {
		code, body, _ := send(t, app+"/api/login", "198.51.100.1", http.Header{
			"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, encodeBody(t, attack, "gzip"))
		if code != http.StatusOK || !strings.Contains(body, `"username":"admin"`) {
			t.Fatalf("straight to the app: %d %s, want 200 as admin", code, body)
		}
	})

	ip := 10
	nextIP := func() string { ip++; return fmt.Sprintf("198.51.100.%d", ip) }
	for _, c := range []struct {
		coding string   // Content-Encoding
		encode []string // applied in order
	}{
		{"gzip", []string{"gzip"}}, {"deflate", []string{"deflate"}}, {"br", []string{"br"}},
		{"GZIP", []string{"gzip"}}, {"deflate", []string{"raw-deflate"}}, {"gzip, br", []string{"gzip", "br"}},
	} {
		t.Run("attack in "+c.coding+" "+strings.Join(c.encode, "+"), func(t *testing.T) {
			code, body, h := send(t, "http://"+pub+"/api/login", nextIP(), http.Header{
				"Content-Type": {"application/json"}, "Content-Encoding": {c.coding}}, encodeBody(t, attack, c.encode...))
			if code != http.StatusForbidden || !strings.Contains(body, "this request was blocked") || h.Get("Set-Cookie") != "" {
				t.Errorf("%d %q (Set-Cookie %q), want the gateway's 403", code, body, h.Get("Set-Cookie"))
			}
		})
	}

	t.Run("an unknown coding is refused with 415", func(t *testing.T) {
		code, body, _ := send(t, "http://"+pub+"/api/login", nextIP(), http.Header{
			"Content-Type": {"application/json"}, "Content-Encoding": {"zstd"}}, attack)
		if code != http.StatusUnsupportedMediaType {
			t.Errorf("%d %q, want 415", code, body)
		}
	})

	for _, c := range []struct{ charset, encoding string }{
		{"utf-7", "utf-7"}, {"utf-16", "utf-16le"}, {"UTF-16BE", "utf-16be"}, {"utf-32le", "utf-32le"},
	} {
		t.Run("attack in "+c.charset, func(t *testing.T) {
			body := encodeText(t, c.encoding, nosqlLogin)
			direct, _, _ := send(t, app+"/api/login", "198.51.100.2", http.Header{"Content-Type": {"application/json; charset=" + c.charset}}, body)
			code, resp, _ := send(t, "http://"+pub+"/api/login", nextIP(), http.Header{"Content-Type": {"application/json; charset=" + c.charset}}, body)
			if direct != http.StatusOK || code != http.StatusForbidden {
				t.Errorf("straight to the app %d (want 200: it decodes %s), through the gateway %d %q (want 403)", direct, c.charset, code, resp)
			}
		})
	}
	t.Run("a benign UTF-16 login works", func(t *testing.T) {
		body := encodeText(t, "utf-16le", `{"username":"alice","password":"`+alicePass+`"}`)
		code, resp, _ := send(t, "http://"+pub+"/api/login", nextIP(), http.Header{"Content-Type": {"application/json; charset=utf-16"}}, body)
		if code != http.StatusOK || !strings.Contains(resp, `"ok":true`) {
			t.Errorf("%d %q, want 200 logged in as alice", code, resp)
		}
	})
	t.Run("a charset the gateway does not decode is refused with 415", func(t *testing.T) {
		code, _, _ := send(t, "http://"+pub+"/api/login", nextIP(), http.Header{"Content-Type": {"application/json; charset=utf-7-imap"}}, attack)
		if code != http.StatusUnsupportedMediaType {
			t.Errorf("%d, want 415", code)
		}
	})

	t.Run("a 1.7 MB photo upload reaches the app intact", func(t *testing.T) {
		photo := photoJPEG(t, 1600, 1200)
		body, ct := uploadBody(t, "IMG_0001.jpg", "image/jpeg", photo)
		code, resp, _ := send(t, "http://"+pub+"/api/upload", nextIP(), http.Header{"Content-Type": {ct}}, body)
		var got struct {
			Size   int
			SHA256 string
		}
		json.Unmarshal([]byte(resp), &got)
		sum := sha256.Sum256(body)
		if code != http.StatusOK || got.Size != len(body) || got.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%d %q, want 200 with size %d and the body's SHA-256", code, resp, len(body))
		}
	})
	t.Run("a GIF carrying PHP is refused", func(t *testing.T) {
		var b bytes.Buffer
		gif.Encode(&b, noise(3, 64, 64), nil)
		g := b.Bytes()
		shell := append(append(append([]byte(nil), g[:6]...), "<?php system($_GET[c]); ?>"...), g[6:]...)
		body, ct := uploadBody(t, "cat.gif", "image/gif", shell)
		if code, resp, _ := send(t, "http://"+pub+"/api/upload", nextIP(), http.Header{"Content-Type": {ct}}, body); code != http.StatusForbidden {
			t.Errorf("%d %q, want 403", code, resp)
		}
	})

	t.Run("zip bombs get 413 and no ban; encoded attacks do ban", func(t *testing.T) {
		bomb := encodeBody(t, make([]byte, 64<<20), "gzip")
		bomber, attacker := "198.51.100.200", "198.51.100.201"
		for range 6 {
			if code, _, _ := send(t, "http://"+pub+"/api/login", bomber, http.Header{
				"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, bomb); code != http.StatusRequestEntityTooLarge {
				t.Fatalf("a %d byte gzip bomb: %d, want 413", len(bomb), code)
			}
		}
		// The control: the same number of encoded attacks is banned; once
		// it is, the bombs' events, published first, have been counted.
		for range 6 {
			send(t, "http://"+pub+"/api/login", attacker, http.Header{
				"Content-Type": {"application/json"}, "Content-Encoding": {"br"}}, encodeBody(t, attack, "br"))
		}
		testutil.Eventually(t, "the encoded attacker's ban", func() bool { _, ok := banOf(t, cfg, attacker); return ok })
		if b, ok := banOf(t, cfg, bomber); ok {
			t.Errorf("the bomber is banned: %+v", b)
		}
		if got := getAs(t, pub, bomber, "/"); got != http.StatusOK {
			t.Errorf("GET / as the bomber: %d, want 200", got)
		}
		if n := countEvents(t, events, "body-too-large", bomber); n != 6 {
			t.Errorf("%d body-too-large events for the bomber, want 6", n)
		}
		if n := countEvents(t, events, "attack-blocked", bomber); n != 0 {
			t.Errorf("%d attack-blocked events for the bomber, want 0", n)
		}
	})
}

// send POSTs body to u as the client ip behind the trusted proxy, and
// returns the status, the response body and header.
func send(t *testing.T, u, ip string, h http.Header, body []byte) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("User-Agent", browserUA)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// encodeBody applies the content codings to b, the first first.
func encodeBody(t *testing.T, b []byte, codings ...string) []byte {
	t.Helper()
	for _, c := range codings {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch c {
		case "gzip":
			w = gzip.NewWriter(&buf)
		case "deflate":
			w = zlib.NewWriter(&buf)
		case "raw-deflate":
			w, _ = flate.NewWriter(&buf, flate.DefaultCompression)
		case "br":
			w = brotli.NewWriter(&buf)
		}
		w.Write(b)
		w.Close()
		b = buf.Bytes()
	}
	return b
}

// encodeText encodes s in a UTF; for UTF-7, every byte but letters and
// digits is in base64, as an evader would write it.
func encodeText(t *testing.T, encoding, s string) []byte {
	t.Helper()
	var b []byte
	switch encoding {
	case "utf-16le", "utf-16be":
		for _, u := range utf16.Encode([]rune(s)) {
			if encoding == "utf-16le" {
				b = binary.LittleEndian.AppendUint16(b, u)
			} else {
				b = binary.BigEndian.AppendUint16(b, u)
			}
		}
	case "utf-32le":
		for _, r := range s {
			b = binary.LittleEndian.AppendUint32(b, uint32(r))
		}
	case "utf-7":
		for _, r := range []byte(s) {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				b = append(b, r)
				continue
			}
			b = fmt.Appendf(b, "+%s-", base64.RawStdEncoding.EncodeToString([]byte{0, r}))
		}
	default:
		t.Fatalf("no encoder for %s", encoding)
	}
	return b
}

// noise is a photo-like image: gradients with noise.
func noise(seed uint64, w, h int) image.Image {
	r := rand.New(rand.NewPCG(seed, seed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x + r.IntN(64)), uint8(y + r.IntN(64)), uint8(r.IntN(256)), 255})
		}
	}
	return img
}

func photoJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, noise(7, w, h), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	if b.Len() < 1500<<10 {
		t.Fatalf("the photo is %d bytes, want at least 1.5 MB", b.Len())
	}
	return b.Bytes()
}

// uploadBody is a multipart/form-data body with a title and one file.
func uploadBody(t *testing.T, filename, ctype string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("title", "Holiday, day 2")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", ctype)
	w, _ := mw.CreatePart(h)
	w.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

package inspect

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noisyImage returns a w×h photo-like image: gradients with noise, which
// compresses as badly as a photo.
func noisyImage(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x + r.IntN(64)), uint8(y + r.IntN(64)), uint8(r.IntN(256)), 255})
		}
	}
	return img
}

func encodeImage(t testing.TB, format string, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A formPart is one part of a multipart body.
type formPart struct {
	name, filename, ctype string
	data                  []byte
}

func multipartBody(t testing.TB, parts ...formPart) (body []byte, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := fmt.Sprintf(`form-data; name=%q`, p.name)
		if p.filename != "" {
			cd += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", cd)
		if p.ctype != "" {
			h.Set("Content-Type", p.ctype)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func inspectUpload(e *Engine, body []byte, ct string) Verdict {
	return e.Inspect(&Request{Method: "POST", URI: "/api/upload", Header: http.Header{"Content-Type": {ct}}, Body: body})
}

// TestUploadRealImages: real PNG, JPEG and GIF files pass, whatever their
// bytes happen to hold.
func TestUploadRealImages(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(12) {
		img := noisyImage(seed, 300, 200)
		for _, f := range []struct{ format, name, ct string }{
			{"png", "a.png", "image/png"}, {"jpeg", "photo.jpg", "image/jpeg"}, {"gif", "anim.gif", "image/gif"},
			{"png", "misnamed.jpg", "image/jpeg"}, // a PNG saved as .jpg is no attack
		} {
			data := encodeImage(t, f.format, img)
			body, ct := multipartBody(t, formPart{"title", "", "", []byte("Holiday, day 2")}, formPart{"file", f.name, f.ct, data})
			if v := inspectUpload(e, body, ct); v.Action != Allow {
				t.Errorf("seed %d: %s of %d bytes: %v %+v, want allow", seed, f.name, len(data), v.Action, v.Findings)
			}
		}
	}
}

// TestUploadCode: code in an image, or text under an image's name, is
// blocked.
func TestUploadCode(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	gifData := encodeImage(t, "gif", noisyImage(1, 64, 64))
	jpegData := encodeImage(t, "jpeg", noisyImage(2, 300, 200))
	php := []byte("<?php system($_GET[c]); ?>")
	withComment := func(img []byte, at int, text []byte) []byte {
		return append(append(append([]byte(nil), img[:at]...), text...), img[at:]...)
	}
	for _, c := range []struct {
		name string
		part formPart
		rule string
	}{
		{"php after the GIF header", formPart{"file", "x.gif", "image/gif", withComment(gifData, 6, php)}, "bw-php-001"},
		{"php in the middle of a JPEG", formPart{"file", "x.jpg", "image/jpeg", withComment(jpegData, len(jpegData)/2, php)}, "bw-php-001"},
		{"script in a JPEG", formPart{"file", "x.jpg", "", withComment(jpegData, 100, []byte("<SCRIPT>alert(document.domain)</SCRIPT>"))}, "bw-xss-002"},
		{"jsp in a PNG", formPart{"f", "x.png", "image/png", withComment(encodeImage(t, "png", noisyImage(3, 50, 50)), 40, []byte(`<%= Runtime.getRuntime().exec(request.getParameter("c")) %>`))}, ""},
		{"text named .jpg", formPart{"file", "photo.jpg", "application/octet-stream", []byte("just some text, no image")}, ruleUploadMismatch.id},
		{"text typed image/png", formPart{"file", "photo", "image/png", []byte("GIF89 almost")}, ruleUploadMismatch.id},
	} {
		t.Run(c.name, func(t *testing.T) {
			body, ct := multipartBody(t, c.part)
			v := inspectUpload(e, body, ct)
			if v.Action != Block {
				t.Fatalf("%v %+v, want block", v.Action, v.Findings)
			}
			if c.rule == "" {
				return
			}
			for _, f := range v.Findings {
				if f.RuleID == c.rule {
					return
				}
			}
			t.Errorf("findings %+v, want one of %s", v.Findings, c.rule)
		})
	}
}

// TestLargeUpload: a multipart upload over maxBody passes intact when it is
// clean, spooled and not held in memory; code in it is still found; a
// large body that is no upload gets 413, which is not an attack.
func TestLargeUpload(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e, err := New(Config{MaxBody: 256 << 10, MaxUpload: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var reported []Verdict
	var seen [sha256.Size]byte
	var reached bool
	h := e.Middleware(MiddlewareOptions{OnVerdict: func(_ *http.Request, v Verdict) { reported = append(reported, v) }})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		hash := sha256.New()
		io.Copy(hash, r.Body)
		copy(seen[:], hash.Sum(nil))
		if es, _ := os.ReadDir(tmp); len(es) != 0 && filepath.Ext(es[0].Name()) != "" {
			t.Errorf("spool visible in %s: %v", tmp, es)
		}
	}))
	post := func(body []byte, ct string) int {
		reported, reached, seen = nil, false, [sha256.Size]byte{}
		req := httptest.NewRequest("POST", "/api/upload", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	photo := encodeImage(t, "jpeg", noisyImage(7, 1600, 1200))
	if len(photo) < 1<<20 {
		t.Fatalf("the photo is %d bytes, want over 1MiB", len(photo))
	}
	body, ct := multipartBody(t, formPart{"title", "", "", []byte("Holiday")}, formPart{"file", "IMG_0001.JPG", "image/jpeg", photo})
	if code := post(body, ct); code != http.StatusOK || seen != sha256.Sum256(body) || len(reported) != 0 {
		t.Errorf("a %d byte photo upload: %d, reached %v, intact %v, reported %+v; want 200, intact, nothing reported",
			len(body), code, reached, seen == sha256.Sum256(body), reported)
	}
	for _, c := range []struct {
		name  string
		parts []formPart
	}{
		{"php at the end of the photo", []formPart{{"file", "a.jpg", "image/jpeg", append(append([]byte(nil), photo...), "<?php system($_GET[c]); ?>"...)}}},
		{"sqli in a field after the photo", []formPart{{"file", "a.jpg", "image/jpeg", photo}, {"q", "", "", []byte("1' UNION SELECT password FROM users--")}}},
	} {
		body, ct := multipartBody(t, c.parts...)
		if code := post(body, ct); code != http.StatusForbidden || reached {
			t.Errorf("%s: %d, reached the app %v; want 403", c.name, code, reached)
		}
	}
	// Too large: no upload, or over maxUpload. A refusal, not an attack.
	text, textCT := multipartBody(t, formPart{"a", "", "", bytes.Repeat([]byte("y"), 300<<10)})
	for _, c := range []struct {
		name     string
		body, ct string
	}{
		{"a large JSON body", `{"a":"` + strings.Repeat("x", 300<<10) + `"}`, "application/json"},
		{"an upload over maxUpload", string(bytes.Repeat(body, 6)), ct},
		{"text fields over maxBody", string(text), textCT},
	} {
		code := post([]byte(c.body), c.ct)
		if code != http.StatusRequestEntityTooLarge || reached {
			t.Errorf("%s: %d, want 413", c.name, code)
		}
		if len(reported) != 1 || Refused(reported[0]) != http.StatusRequestEntityTooLarge || reported[0].Action == Block {
			t.Errorf("%s: reported %+v, want one refusal (413) that does not block", c.name, reported)
		}
	}
	if es, _ := os.ReadDir(tmp); len(es) != 0 {
		t.Errorf("spools left in %s: %v", tmp, es)
	}
}

func FuzzUpload(f *testing.F) {
	f.Add([]byte("GIF89a<?php system($_GET[c]); ?>\x00\x01"), "image/gif", "a.gif")
	f.Add([]byte("\xff\xd8\xff\xe0<script>alert(1)</script>"), "image/jpeg", "a.jpg")
	f.Fuzz(func(t *testing.T, data []byte, ct, filename string) {
		runs := codeRuns(data)
		if len(runs) > maxRuns+1 {
			t.Fatalf("%d runs", len(runs))
		}
		for _, r := range runs {
			if len(r) < minRun || len(r) > maxRun || !codeMarker([]byte(r)) {
				t.Fatalf("bad run %q", r)
			}
		}
		var take []byte
		if err := digestFile(bytes.NewReader(data), func(b []byte) error { take = append(take, b...); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(take) > uploadHead+(maxRuns+1)*(maxRun+1) {
			t.Fatalf("digest of %d bytes is %d", len(data), len(take))
		}
		body, mct := multipartBody(t, formPart{"f", filename, ct, data})
		fuzzBody(t, mct, body)
	})
}

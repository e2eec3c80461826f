package inspect

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// encodeCharset encodes s (ASCII, or any Unicode for the UTFs) in charset.
func encodeCharset(t testing.TB, charset, s string) []byte {
	t.Helper()
	units := utf16.Encode([]rune(s))
	var b []byte
	switch charset {
	case "utf-8", "latin1", "iso-8859-1", "windows-1252", "us-ascii":
		return []byte(s)
	case "utf-16le", "utf-16":
		for _, u := range units {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
	case "utf-16be":
		for _, u := range units {
			b = binary.BigEndian.AppendUint16(b, u)
		}
	case "utf-32le", "utf-32":
		for _, r := range s {
			b = binary.LittleEndian.AppendUint32(b, uint32(r))
		}
	case "utf-32be":
		for _, r := range s {
			b = binary.BigEndian.AppendUint32(b, uint32(r))
		}
	case "utf-7":
		// Everything but letters and digits in base64, as an evader would.
		for _, r := range s {
			if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				b = append(b, byte(r))
				continue
			}
			var u []byte
			for _, x := range utf16.Encode([]rune{r}) {
				u = binary.BigEndian.AppendUint16(u, x)
			}
			b = append(b, '+')
			b = append(b, base64.RawStdEncoding.EncodeToString(u)...)
			b = append(b, '-')
		}
	default:
		t.Fatalf("no encoder for %q", charset)
	}
	return b
}

// TestCharsetAttacks: each attack, encoded in each charset an app decodes,
// is blocked; with a BOM too.
func TestCharsetAttacks(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	attacks := []struct{ ct, body string }{
		{"application/json", loginAttack},
		{"application/x-www-form-urlencoded", "q=<script>alert(document.cookie)</script>"},
		{"text/plain", "1' UNION SELECT password FROM users--"},
	}
	for _, cs := range []string{"utf-8", "utf-16le", "utf-16be", "utf-16", "utf-32le", "utf-32be", "utf-32",
		"utf-7", "latin1", "iso-8859-1", "windows-1252", "us-ascii"} {
		for _, a := range attacks {
			body := encodeCharset(t, cs, a.body)
			v := e.Inspect(&Request{Method: "POST", URI: "/p", Body: body,
				Header: http.Header{"Content-Type": {a.ct + "; charset=" + strings.ToUpper(cs)}}})
			if v.Action != Block {
				t.Errorf("%s %s: %v %+v, want block", cs, a.ct, v.Action, v.Findings)
			}
			benign := encodeCharset(t, cs, `{"name":"Zoë","text":"a+b=c"}`)
			if cs == "us-ascii" || cs == "latin1" || cs == "iso-8859-1" || cs == "windows-1252" {
				benign = encodeCharset(t, cs, `{"name":"Zoe","text":"a+b=c"}`)
			}
			v = e.Inspect(&Request{Method: "POST", URI: "/p", Body: benign,
				Header: http.Header{"Content-Type": {"application/json; charset=" + cs}}})
			if v.Action != Allow {
				t.Errorf("%s benign: %v %+v, want allow", cs, v.Action, v.Findings)
			}
		}
	}
	for _, bom := range []struct {
		cs  string
		bom []byte
	}{{"utf-16le", []byte{0xff, 0xfe}}, {"utf-16be", []byte{0xfe, 0xff}}, {"utf-32le", []byte{0xff, 0xfe, 0, 0}},
		{"utf-32be", []byte{0, 0, 0xfe, 0xff}}, {"utf-8", []byte{0xef, 0xbb, 0xbf}}} {
		body := append(bom.bom, encodeCharset(t, bom.cs, loginAttack)...)
		v := e.Inspect(&Request{Method: "POST", URI: "/p", Body: body, Header: http.Header{"Content-Type": {"application/json"}}})
		if v.Action != Block {
			t.Errorf("%s BOM, no charset: %v %+v, want block", bom.cs, v.Action, v.Findings)
		}
	}
	// JSON in a UTF with no BOM and no charset: RFC 4627's zero bytes.
	for _, cs := range []string{"utf-16le", "utf-16be", "utf-32le", "utf-32be"} {
		v := e.Inspect(&Request{Method: "POST", URI: "/p", Body: encodeCharset(t, cs, loginAttack),
			Header: http.Header{"Content-Type": {"application/json"}}})
		if v.Action != Block {
			t.Errorf("%s without BOM or charset: %v, want block", cs, v.Action)
		}
	}
}

// TestCharsetRefused: a charset the engine does not decode is refused with
// 415, a duplicate charset parameter does not hide one, and a refusal is
// no attack.
func TestCharsetRefused(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var reported []Verdict
	h := e.Middleware(MiddlewareOptions{OnVerdict: func(_ *http.Request, v Verdict) { reported = append(reported, v) }})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, c := range []struct {
		ct   string
		want int
	}{
		{"application/json; charset=shift_jis", 415},
		{"application/json; charset=utf-7-imap", 415},
		{"application/json; charset=cesu-8", 415},
		{"application/json; charset=utf-8; charset=utf-7", 403},
		{"application/json; charset=\"utf-7\"", 403},
		{"application/json; charset=UTF-1-6LE", 200}, // iconv-lite reads it as utf16le: benign in it
		{"text/plain; charset=utf-8:1252", 200},
	} {
		reported = nil
		body := `{"a":"b"}`
		if c.want == 403 {
			body = string(encodeCharset(t, "utf-7", loginAttack))
		} else if strings.Contains(c.ct, "1-6") {
			body = string(encodeCharset(t, "utf-16le", body))
		}
		req := httptest.NewRequest("POST", "/api/login", strings.NewReader(body))
		req.Header.Set("Content-Type", c.ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.ct, rec.Code, c.want)
		}
		if c.want == 415 && (len(reported) != 1 || Refused(reported[0]) != 415 || reported[0].Action == Block || reported[0].Score != 0) {
			t.Errorf("%s: reported %+v, want one refusal of 415 scoring 0", c.ct, reported)
		}
	}
}

// TestDecodeUTF7 checks the decoder against iconv-lite's output.
func TestDecodeUTF7(t *testing.T) {
	for in, want := range map[string]string{
		"+ADw-script+AD4-a+-b+ADwAPg": "<script>a+b<>",
		"+ACQ-ne":                     "$ne",
		"a+!b":                        "a!b",
		"+":                           "",
		"Hi Mom -+Jjo--!":             "Hi Mom -\u263a-!",
		"\xe9":                        "\uFFFD",
		"+2D3cAA-":                    "\U0001f400",
	} {
		if got := string(decodeUTF7([]byte(in))); got != want {
			t.Errorf("decodeUTF7(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCharset(f *testing.F) {
	f.Add("utf-7", []byte("+ADw-script+AD4-"))
	f.Add("utf-16", []byte("\xff\xfe<\x00a\x00"))
	f.Add("utf-32", []byte("\x00\x00\x00<"))
	f.Add("", []byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, charset string, b []byte) {
		got, ok := decodeCharset(charset, b, true)
		if !ok {
			return
		}
		if len(got) > 3*len(b) {
			t.Fatalf("decodeCharset(%q) grew %d bytes to %d", charset, len(b), len(got))
		}
		if charset != "" && !utf8.Valid(got) && !bytes.Equal(got, b) {
			t.Fatalf("decodeCharset(%q, %q) = %q, not UTF-8", charset, b, got)
		}
		fuzzBody(t, "application/json; charset="+charset, b)
	})
}

package corpus

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// CRSFamilies are the rule families [LoadCRS] reads by default: the CRS
// request rules that detect attacks on the application (scanners, LFI,
// RFI, RCE, PHP, generic, XSS, SQLi, Java), as opposed to protocol checks.
var CRSFamilies = []string{"913", "930", "931", "932", "933", "934", "941", "942", "944"}

// LoadCRS reads the go-ftw YAML regression tests under
// dir/crs-regression/REQUEST-<family>-*/ for each of families (nil means
// [CRSFamilies]) and returns their attack cases, Group the family.
//
// A stage becomes a case when its output expects a detection: expect_ids,
// an old-style log_contains naming a rule id, a match_regex on the match
// log, or status 403. Stages that only expect some rules not to fire
// (no_expect_ids) are left out: they are not benign traffic, merely not
// that rule's. Every such stage is its own case, since stages are
// separate requests that CRS flags each on its own; the ID is
// "<rule>-<test>" and, for tests of several stages or uris, gets
// "/stage<n>" or "/uri<n>".
//
// Requests are built as go-ftw sends them: the uri exactly as written (not
// re-encoded), method GET and uri "/" when absent, encoded_request decoded
// from base64 and parsed as a raw request. Unless autocomplete_headers is
// false it also completes the request as go-ftw does: Content-Type
// application/x-www-form-urlencoded when there is data and none is given,
// unencoded form data URL-encoded pair by pair, Connection: close, and a
// Content-Length. Multipart bodies have their bare LFs turned to CRLF. A
// body is always given a Content-Length when it has neither that nor
// Transfer-Encoding. Data holding a go-ftw template ({{ … }}) is an error:
// templates are not evaluated.
func LoadCRS(dir string, families []string) ([]Case, error) {
	if len(families) == 0 {
		families = CRSFamilies
	}
	root := filepath.Join(dir, "crs-regression")
	var cases []Case
	for _, fam := range families {
		dirs, err := filepath.Glob(filepath.Join(root, "REQUEST-"+fam+"-*"))
		if err != nil || len(dirs) == 0 {
			return nil, fmt.Errorf("loading CRS family %q: no folder %s; a family is the three digits of a REQUEST-<family>-* folder there, e.g. 942",
				fam, filepath.Join(root, "REQUEST-"+fam+"-*"))
		}
		for _, d := range dirs {
			files, err := filepath.Glob(filepath.Join(d, "*.yaml"))
			if err != nil {
				return nil, fmt.Errorf("loading CRS family %s: %w", fam, err)
			}
			sort.Strings(files)
			for _, f := range files {
				cs, err := loadFTWFile(f, fam)
				if err != nil {
					return nil, err
				}
				cases = append(cases, cs...)
			}
		}
	}
	return cases, nil
}

// loadFTWFile returns the attack cases of one go-ftw YAML file. Errors
// name the file and, past decoding, the test.
func loadFTWFile(path, family string) ([]Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading CRS tests: %w", err)
	}
	var f ftwFile
	if err := yaml.Unmarshal(b, &f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rule := f.RuleID
	if rule == 0 {
		// Older files have no rule_id; their name is the rule's.
		n, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(path), ".yaml"), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%s: no rule_id, and the file is not named for a rule (like 942100.yaml)", path)
		}
		rule = uint(n)
	}
	var cases []Case
	for i, t := range f.Tests {
		tid := t.TestID
		if tid == 0 {
			tid = uint(i + 1) // go-ftw numbers tests by position when test_id is absent
		}
		id := fmt.Sprintf("%d-%d", rule, tid)
		for si, st := range t.Stages {
			in, out := st.Input, st.Output
			if st.Stage != nil {
				in, out = st.Stage.Input, st.Stage.Output
			}
			if !out.expectsDetection() {
				continue
			}
			sid := id
			if len(t.Stages) > 1 {
				sid = fmt.Sprintf("%s/stage%d", id, si+1)
			}
			cs, err := ftwCases(in, sid, family)
			if err != nil {
				return nil, fmt.Errorf("%s: test %s: %w", path, sid, err)
			}
			cases = append(cases, cs...)
		}
	}
	return cases, nil
}

// ftwCases builds the request(s) of one stage: one, or one per uris entry.
func ftwCases(in ftwInput, id, family string) ([]Case, error) {
	base := Case{Corpus: CRS, Group: family, ID: id, Attack: true}
	if in.EncodedRequest != "" || in.RawRequest != "" {
		raw := []byte(in.RawRequest) // old ftw: the request as text
		if in.EncodedRequest != "" {
			var err error
			if raw, err = base64.StdEncoding.DecodeString(in.EncodedRequest); err != nil {
				return nil, fmt.Errorf("encoded_request: %w", err)
			}
		}
		r, err := parseRaw(raw)
		if err != nil {
			return nil, fmt.Errorf("encoded_request: %w", err)
		}
		base.Method, base.Path, base.Header, base.Body = r.Method, r.URI, r.Header, r.Body
		frameBody(&base)
		return []Case{base}, nil
	}

	base.Method = http.MethodGet
	if in.Method != nil {
		base.Method = *in.Method
	}
	uris := []string{"/"}
	switch {
	case len(in.URIs) > 0:
		uris = in.URIs
	case in.URI != nil:
		uris = []string{*in.URI}
	}
	body, err := ftwBody(in)
	if err != nil {
		return nil, err
	}
	autocomplete := (in.AutocompleteHeaders == nil || *in.AutocompleteHeaders) &&
		(in.StopMagic == nil || !*in.StopMagic)

	var cases []Case
	for i, u := range uris {
		c := base
		c.Path = u
		if len(uris) > 1 {
			c.ID = fmt.Sprintf("%s/uri%d", id, i+1)
		}
		c.Header = http.Header{}
		for k, v := range in.Headers {
			c.Header.Add(k, v)
		}
		c.Body = completeFTW(c.Header, c.Method, body, autocomplete)
		frameBody(&c)
		cases = append(cases, c)
	}
	return cases, nil
}

// ftwBody returns the stage's data or decoded encoded_data.
func ftwBody(in ftwInput) ([]byte, error) {
	switch {
	case in.Data != nil:
		s := string(*in.Data)
		if strings.Contains(s, "{{") {
			// go-ftw runs data through text/template with sprig; we do not.
			return nil, fmt.Errorf("data %.40q... is a go-ftw template, which this loader does not evaluate; expand it in the test or teach ftwBody", s)
		}
		return []byte(s), nil
	case in.EncodedData != nil:
		b, err := base64.StdEncoding.DecodeString(*in.EncodedData)
		if err != nil {
			return nil, fmt.Errorf("encoded_data: %w", err)
		}
		return b, nil
	}
	return nil, nil
}

// completeFTW adds what go-ftw adds to a request before sending it
// (ftwhttp.BuildRequest) and returns the body as sent.
func completeFTW(h http.Header, method string, data []byte, autocomplete bool) []byte {
	if len(data) > 0 && autocomplete {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		data = ftwEncodeForm(h.Get("Content-Type"), data)
	}
	if strings.HasPrefix(h.Get("Content-Type"), "multipart/form-data;") {
		data = crlf(data)
	}
	if autocomplete {
		if h.Get("Connection") == "" {
			h.Set("Connection", "close")
		}
		switch method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			if h.Get("Content-Length") == "" {
				h.Set("Content-Length", strconv.Itoa(len(data)))
			}
		}
	}
	if len(data) == 0 {
		return nil
	}
	return data
}

// crlf turns bare LFs into CRLFs. go-ftw turns every LF into CRLF; the
// two differ only on data that has CRLFs already, where go-ftw would send
// CR CR LF.
func crlf(data []byte) []byte {
	var b bytes.Buffer
	for i, c := range data {
		if c == '\n' && (i == 0 || data[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(c)
	}
	return b.Bytes()
}

// ftwEncodeForm URL-encodes form data that is not encoded yet, key and
// value of each pair on their own, as go-ftw does (encodeDataParameters):
// data that unescaping would change is taken as already encoded.
func ftwEncodeForm(contentType string, data []byte) []byte {
	if contentType != "application/x-www-form-urlencoded" {
		return data
	}
	if u, err := url.QueryUnescape(string(data)); err != nil || u != string(data) {
		return data
	}
	// Like go-ftw, each token is written with a '&' after it, the last '&'
	// dropped, and a trailing '&' of the data lost.
	var b strings.Builder
	for rest := string(data); rest != ""; {
		tok, after, _ := strings.Cut(rest, "&")
		rest = after
		if k, v, ok := strings.Cut(tok, "="); ok {
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		} else {
			b.WriteString(url.QueryEscape(tok))
		}
		b.WriteByte('&')
	}
	return []byte(strings.TrimSuffix(b.String(), "&"))
}

// frameBody gives a body a Content-Length when nothing frames it.
func frameBody(c *Case) {
	if len(c.Body) > 0 && c.Header.Get("Content-Length") == "" && c.Header.Get("Transfer-Encoding") == "" {
		c.Header.Set("Content-Length", strconv.Itoa(len(c.Body)))
	}
}

package accounts

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/url"
	"strconv"
	"strings"
)

// A body is a parsed request or response body whose fields can be looked
// up by form field name, JSON member name or JSON pointer. Bodies come from
// clients and upstreams alike and are untrusted; a body that does not
// parse has no fields.
type body struct {
	form url.Values
	json any
}

// parseBody parses b as a form or JSON body, as its content type says.
func parseBody(contentType string, b []byte) body {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		v, err := url.ParseQuery(string(b))
		if err != nil {
			return body{}
		}
		return body{form: v}
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var v any
		if d.Decode(&v) != nil {
			return body{}
		}
		return body{json: v}
	}
	return body{}
}

// get returns the string at spec: a form field or JSON member name, or a
// JSON pointer. Values other than strings and numbers give "".
func (b body) get(spec string) string {
	if spec == "" {
		return ""
	}
	if b.form != nil {
		name := strings.TrimPrefix(spec, "/")
		if strings.Contains(name, "/") {
			return ""
		}
		return b.form.Get(name)
	}
	if b.json == nil {
		return ""
	}
	if !strings.HasPrefix(spec, "/") {
		spec = "/" + escapePointer(spec)
	}
	switch v := lookup(b.json, spec).(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// truthy reports whether the JSON pointer p holds a value other than
// false, null, 0 or "".
func (b body) truthy(p string) bool {
	switch v := lookup(b.json, p).(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case json.Number:
		f, err := v.Float64()
		return err == nil && f != 0
	}
	return true
}

// Replacers are built once: one made per call builds its tables each time.
var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func escapePointer(s string) string { return pointerEscaper.Replace(s) }

// lookup resolves the JSON pointer p (RFC 6901) in v; nil if absent.
func lookup(v any, p string) any {
	if p == "" {
		return v
	}
	if !strings.HasPrefix(p, "/") {
		return nil
	}
	for _, tok := range strings.Split(p[1:], "/") {
		tok = pointerUnescaper.Replace(tok)
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

package update

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// setRange rewrites the range of dependency name in package.json data
// (dependencies, devDependencies, optionalDependencies) to accept to:
// "^to", "~to" if the range was a tilde range, or exactly "to" if it was
// an exact version. Everything else in the file keeps its bytes.
func setRange(data []byte, name, to string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("package.json: not a JSON object")
	}
	type span struct {
		start, end int
		repl       string
	}
	var spans []span
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("package.json: %w", err)
		}
		k, _ := key.(string)
		if k != "dependencies" && k != "devDependencies" && k != "optionalDependencies" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("package.json: %w", err)
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return nil, fmt.Errorf("package.json: %s is not an object", k)
		}
		for dec.More() {
			dk, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("package.json: %w", err)
			}
			before := int(dec.InputOffset())
			v, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("package.json: %w", err)
			}
			old, isString := v.(string)
			if dk != name || !isString {
				continue
			}
			end := int(dec.InputOffset())
			// The value's opening quote is the first one after the colon.
			colon := before + bytes.IndexByte(data[before:end], ':')
			start := colon + 1 + bytes.IndexByte(data[colon+1:end], '"')
			spans = append(spans, span{start, end, strconv.Quote(newRange(old, to))})
		}
		if _, err := dec.Token(); err != nil {
			return nil, fmt.Errorf("package.json: %w", err)
		}
	}
	if len(spans) == 0 {
		return nil, fmt.Errorf("package.json: no dependency %q", name)
	}
	out := bytes.Clone(data)
	for i := len(spans) - 1; i >= 0; i-- {
		sp := spans[i]
		out = append(out[:sp.start:sp.start], append([]byte(sp.repl), out[sp.end:]...)...)
	}
	return out, nil
}

// newRange returns the range that replaces old to take version to.
func newRange(old, to string) string {
	old = strings.TrimSpace(old)
	switch {
	case old == "" || old[0] >= '0' && old[0] <= '9' || old[0] == '=':
		return to
	case old[0] == '~':
		return "~" + to
	}
	return "^" + to
}

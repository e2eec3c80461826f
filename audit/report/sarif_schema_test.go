package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSARIFSchema validates SARIF output against the SARIF 2.1.0 JSON
// schema (testdata/sarif-schema-2.1.0.json: the 2.1.0-rtm.5 schema as
// published in the npm package @microsoft/jest-sarif 1.0.0-beta.0, the
// same text OASIS publishes as sarif-schema-2.1.0.json) with
// schemaValidator, a JSON Schema draft-04 validator of the keywords that
// schema uses. An unsupported keyword fails the test rather than being
// skipped.
func TestSARIFSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	v := &schemaValidator{root: schema}

	for name, r := range map[string]*Report{"sample": sample(), "empty": New("/app", nil)} {
		var b bytes.Buffer
		if err := SARIF(&b, r, "v1.0.0"); err != nil {
			t.Fatal(err)
		}
		doc := decodeNumbers(t, b.Bytes())
		if errs := v.validate(schema, doc, "$"); len(errs) > 0 {
			t.Errorf("%s: SARIF output is not valid 2.1.0:\n%s", name, strings.Join(errs, "\n"))
		}
	}

	// The validator itself must reject what the schema forbids.
	bad := map[string]string{
		"no version":                 `{"runs":[]}`,
		"wrong version":              `{"version":"2.0.0","runs":[]}`,
		"unknown property":           `{"version":"2.1.0","runs":[],"extra":1}`,
		"line zero":                  `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]}]}`,
		"message without text or id": `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{}}]}]}`,
		"bad level":                  `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"level":"fatal","message":{"text":"m"}}]}]}`,
	}
	for name, doc := range bad {
		if errs := v.validate(schema, decodeNumbers(t, []byte(doc)), "$"); len(errs) == 0 {
			t.Errorf("%s: the validator accepted %s", name, doc)
		}
	}
}

func decodeNumbers(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// schemaValidator checks a JSON value against a draft-04 schema.
type schemaValidator struct{ root map[string]any }

// annotations are keywords that do not constrain.
var annotations = []string{"description", "default", "title", "$schema", "id", "definitions"}

func (v *schemaValidator) validate(s map[string]any, x any, at string) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/definitions/")
		def, found := v.root["definitions"].(map[string]any)[name].(map[string]any)
		if !ok || !found {
			fail("unsupported $ref %q", ref)
			return errs
		}
		return v.validate(def, x, at)
	}
	for k, kv := range s {
		switch k {
		case "type":
			if !typeMatches(kv, x) {
				fail("type %v, got %T", kv, x)
			}
		case "enum":
			if !slices.ContainsFunc(kv.([]any), func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(x) }) {
				fail("%v not in %v", x, kv)
			}
		case "properties", "additionalProperties", "required":
			obj, ok := x.(map[string]any)
			if !ok {
				continue
			}
			switch k {
			case "required":
				for _, r := range kv.([]any) {
					if _, ok := obj[r.(string)]; !ok {
						fail("missing required property %q", r)
					}
				}
			case "properties":
				for name, ps := range kv.(map[string]any) {
					if val, ok := obj[name]; ok {
						errs = append(errs, v.validate(ps.(map[string]any), val, at+"."+name)...)
					}
				}
			case "additionalProperties":
				props, _ := s["properties"].(map[string]any)
				for name, val := range obj {
					if _, declared := props[name]; declared {
						continue
					}
					switch ap := kv.(type) {
					case bool:
						if !ap {
							fail("property %q not allowed", name)
						}
					case map[string]any:
						errs = append(errs, v.validate(ap, val, at+"."+name)...)
					}
				}
			}
		case "items", "minItems", "uniqueItems":
			arr, ok := x.([]any)
			if !ok {
				continue
			}
			switch k {
			case "items":
				for i, e := range arr {
					errs = append(errs, v.validate(kv.(map[string]any), e, fmt.Sprintf("%s[%d]", at, i))...)
				}
			case "minItems":
				if n, _ := kv.(float64); len(arr) < int(n) {
					fail("fewer than %v items", n)
				}
			case "uniqueItems":
				seen := map[string]bool{}
				for _, e := range arr {
					b, _ := json.Marshal(e)
					if kv.(bool) && seen[string(b)] {
						fail("duplicate item %s", b)
					}
					seen[string(b)] = true
				}
			}
		case "minimum", "maximum":
			n, ok := x.(json.Number)
			if !ok {
				continue
			}
			got, _ := new(big.Float).SetString(n.String())
			limit := big.NewFloat(kv.(float64))
			if c := got.Cmp(limit); (k == "minimum" && c < 0) || (k == "maximum" && c > 0) {
				fail("%s is beyond %s %v", n, k, kv)
			}
		case "pattern":
			if str, ok := x.(string); ok && !regexp.MustCompile(kv.(string)).MatchString(str) {
				fail("%q does not match %s", str, kv)
			}
		case "format":
			if str, ok := x.(string); ok {
				if err := checkFormat(kv.(string), str); err != nil {
					fail("%v", err)
				}
			}
		case "anyOf", "oneOf":
			matched := 0
			for _, sub := range kv.([]any) {
				if len(v.validate(sub.(map[string]any), x, at)) == 0 {
					matched++
				}
			}
			if matched == 0 || (k == "oneOf" && matched > 1) {
				fail("%s: %d of the alternatives match", k, matched)
			}
		default:
			if !slices.Contains(annotations, k) {
				fail("the test's validator does not support keyword %q: extend it", k)
			}
		}
	}
	return errs
}

func typeMatches(t any, x any) bool {
	if ts, ok := t.([]any); ok {
		return slices.ContainsFunc(ts, func(t any) bool { return typeMatches(t, x) })
	}
	switch t {
	case "object":
		_, ok := x.(map[string]any)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "null":
		return x == nil
	case "number":
		_, ok := x.(json.Number)
		return ok
	case "integer":
		n, ok := x.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	}
	return false
}

func checkFormat(format, s string) error {
	switch format {
	case "uri":
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			return fmt.Errorf("%q is not an absolute URI", s)
		}
	case "uri-reference":
		if _, err := url.Parse(s); err != nil {
			return fmt.Errorf("%q is not a URI reference: %v", s, err)
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Errorf("%q is not a date-time", s)
		}
	default:
		return fmt.Errorf("unsupported format %q", format)
	}
	return nil
}

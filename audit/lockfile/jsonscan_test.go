package lockfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// walkJSON lists, as text, what members and elements yield for the
// objects and arrays of data, two levels deep, with the byte scanner
// (fast) or encoding/json's decoder.
func walkJSON(data []byte, fast bool) []string {
	d := newJSONDoc("x.json", data)
	d.valid = fast
	var out []string
	var visit func(val []byte, off, depth int)
	visit = func(val []byte, off, depth int) {
		if depth > 2 || len(val) == 0 {
			return
		}
		switch val[0] {
		case '{':
			err := d.members(off, "x", func(k string, v []byte, o int) error {
				out = append(out, fmt.Sprintf("%d %q=%s@%d", depth, k, v, o))
				visit(v, o, depth+1)
				return nil
			})
			out = append(out, fmt.Sprint(err))
		case '[':
			err := d.elements(off, "x", func(v []byte, o int) error {
				out = append(out, fmt.Sprintf("%d %s@%d", depth, v, o))
				visit(v, o, depth+1)
				return nil
			})
			out = append(out, fmt.Sprint(err))
		}
	}
	start := valueStart(data)
	if start < len(data) {
		visit(data[start:], start, 0)
	}
	return out
}

func checkJSONScan(t *testing.T, data []byte) {
	if !json.Valid(data) {
		return
	}
	if fast, slow := walkJSON(data, true), walkJSON(data, false); !reflect.DeepEqual(fast, slow) {
		t.Fatalf("the byte scanner and encoding/json walk %q differently:\nfast %q\nslow %q", data, fast, slow)
	}
}

// TestJSONScanSamples walks the JSON samples both ways.
func TestJSONScanSamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/samples/*/*.json")
	more, _ := filepath.Glob("testdata/samples/*/*.lock")
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkJSONScan(t, data)
	}
}

// FuzzJSONScan holds the byte scanner to encoding/json's decoder on
// valid JSON: the same members and elements at the same offsets.
func FuzzJSONScan(f *testing.F) {
	for _, s := range []string{`{"a": 1, "b": [1, "x", {"c": null}], "d\u0041": "e\"f"}`, ` [ {} , [ ] , true, -1.5e3 ] `, `{"packages": [{"name": "a/b", "version": "1"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkJSONScan(t, data) })
}

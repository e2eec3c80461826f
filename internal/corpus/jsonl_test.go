package corpus

import (
	"strings"
	"testing"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id":"a","group":"g","method":"POST","path":"/x","headers":{"content-type":"application/json"},"body":"{}"}

{"id":"b","method":"GET","path":"/y?q=1","headers":{}}
`
	cases, err := readJSONL(strings.NewReader(in), "t.jsonl", Modern, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("got %d cases, want 2", len(cases))
	}
	a := cases[0]
	if a.ID != "a" || a.Group != "g" || a.Header.Get("Content-Type") != "application/json" || a.Header.Get("Content-Length") != "2" || string(a.Body) != "{}" {
		t.Errorf("case a = %+v", a)
	}
	if cases[1].Body != nil || cases[1].Path != "/y?q=1" {
		t.Errorf("case b = %+v", cases[1])
	}
}

func TestReadJSONLErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"a","method":"GET","path":"/","extra":1}`:                                       `t.jsonl:1: json: unknown field "extra"`,
		`{"id":"a","method":"GET","path":"/"}` + "\n" + `{"id":"a","method":"GET","path":"/"}`: `t.jsonl:2: id "a" already used on line 1`,
		`{"id":"a","method":"GET","path":"x"}`:                                                 `t.jsonl:1: a: path "x" does not start with /`,
		`{"method":"GET","path":"/"}`:                                                          "t.jsonl:1: no id",
		`{"id":"a","path":"/"}`:                                                                "t.jsonl:1: a: no method",
		`{"id":`:                                                                               "t.jsonl:1:",
	} {
		if _, err := readJSONL(strings.NewReader(in), "t.jsonl", Modern, false); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("readJSONL(%s) = %v, want an error containing %q", in, err, want)
		}
	}
}

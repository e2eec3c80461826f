package version

import "strings"

// gemKey is a Gem::Version's canonical segments: digit strings and
// words, with trailing zeros dropped from the release part and from the
// prerelease part.
type gemKey []string

// parseGem accepts every string, more leniently than
// Gem::Version.correct? ("1beta" is ordered as 1.beta); characters other
// than ASCII letters and digits separate segments.
func parseGem(s string) key {
	s = strings.ReplaceAll(strings.TrimSpace(s), "-", ".pre.")
	var segs []string
	for i := 0; i < len(s); {
		j := i + 1
		switch c := s[i]; {
		case isDigit(c):
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			segs = append(segs, strings.TrimLeft(s[i:j], "0"))
		case isLetter(c):
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			segs = append(segs, s[i:j])
		default:
			i++
			continue
		}
		i = j
	}
	// canonical_segments: split at the first word, drop trailing zeros
	// from both halves.
	split := len(segs)
	for i, seg := range segs {
		if !isNumSeg(seg) {
			split = i
			break
		}
	}
	canon := append(gemKey{}, dropZeros(segs[:split])...)
	return append(canon, dropZeros(segs[split:])...)
}

// isNumSeg reports whether a segment is a number; numbers are stored
// without leading zeros, so zero is "".
func isNumSeg(s string) bool { return s == "" || isDigit(s[0]) }

func dropZeros(segs []string) []string {
	for len(segs) > 0 && segs[len(segs)-1] == "" {
		segs = segs[:len(segs)-1]
	}
	return segs
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// cmp is Gem::Version#<=>: segment by segment, missing ones counting as
// 0; a word sorts before a number; numbers by value, words bytewise.
func (v gemKey) cmp(o key) int {
	w := o.(gemKey)
	for i := 0; i < max(len(v), len(w)); i++ {
		a, b := "", ""
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		an, bn := isNumSeg(a), isNumSeg(b)
		var c int
		switch {
		case an && bn:
			c = cmpDigits(a, b)
		case bn:
			c = -1
		case an:
			c = 1
		default:
			c = strings.Compare(a, b)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (v gemKey) major() string {
	var rel []string
	for _, s := range v {
		if !isNumSeg(s) {
			break
		}
		rel = append(rel, s)
	}
	return majorOf(rel)
}

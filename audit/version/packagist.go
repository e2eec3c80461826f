package version

import "strings"

// packagistKey is a version canonicalised as PHP's version_compare does:
// components separated by ".", digits and other characters in separate
// components.
type packagistKey []string

// parsePackagist drops a leading "v" (Composer does), turns "-", "_" and
// "+" into ".", puts a "." between digits and non-digits and collapses
// repeated dots. Other characters stay, so "#" can stand for "any number"
// as in version_compare's own special forms.
func parsePackagist(s string) key {
	s = strings.TrimSpace(s)
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		s = s[1:]
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '_' || c == '+' {
			c = '.'
		}
		if len(b) > 0 {
			last := b[len(b)-1]
			if c == '.' && last == '.' {
				continue
			}
			if c != '.' && last != '.' && isDigit(c) != isDigit(last) {
				b = append(b, '.')
			}
		}
		b = append(b, c)
	}
	return packagistKey(strings.Split(string(b), "."))
}

// specialWeight orders the named components of PHP's version_compare by
// prefix: dev < alpha = a < beta = b < RC = rc < # (any number) < pl = p.
// Other words weigh as "dev".
func specialWeight(s string) int {
	if strings.HasPrefix(s, "RC") {
		return 3
	}
	for i, p := range [...]string{"dev", "a", "b", "rc", "#", "p"} {
		if strings.HasPrefix(s, p) {
			return i
		}
	}
	return 0
}

func (v packagistKey) cmp(o key) int { return cmpPHP(v, o.(packagistKey)) }

// cmpPHP compares component lists as php_version_compare does: numbers
// by value; words by special weight; a number against a word as "#"; when
// one list runs out, a following number makes the longer one greater,
// and a following word is weighed against "#".
func cmpPHP(a, b []string) int {
	for i := 0; i < min(len(a), len(b)); i++ {
		x, y := a[i], b[i]
		xn, yn := allDigits(x), allDigits(y)
		var c int
		switch {
		case xn && yn:
			c = cmpDigits(x, y)
		case xn:
			c = sign(specialWeight("#") - specialWeight(y))
		case yn:
			c = sign(specialWeight(x) - specialWeight("#"))
		default:
			c = sign(specialWeight(x) - specialWeight(y))
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case len(a) > len(b):
		if allDigits(a[len(b)]) {
			return 1
		}
		return cmpPHP(a[len(b):], []string{"#"})
	case len(a) < len(b):
		if allDigits(b[len(a)]) {
			return -1
		}
		return cmpPHP([]string{"#"}, b[len(a):])
	}
	return 0
}

func (v packagistKey) major() string {
	var rel []string
	for _, s := range v {
		if !allDigits(s) {
			break
		}
		rel = append(rel, s)
	}
	return majorOf(rel)
}

package version

import "strings"

// cmpDigits orders two strings of ASCII digits by numeric value, for
// numbers of any length.
func cmpDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// sign maps an int to -1, 0 or +1.
func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// majorOf returns the compatibility key of a list of numeric release
// components: the first, or the first two when the first is zero.
func majorOf(release []string) string {
	first := "0"
	if len(release) > 0 {
		first = strings.TrimLeft(release[0], "0")
	}
	if first != "" {
		return first
	}
	second := "0"
	if len(release) > 1 {
		if s := strings.TrimLeft(release[1], "0"); s != "" {
			second = s
		}
	}
	return "0." + second
}

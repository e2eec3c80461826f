package event

import "unicode/utf8"

// Truncate returns s cut to at most n bytes without splitting a UTF-8
// character, for fields that hold what a client sent (a User-Agent, a
// user name): an event stays valid UTF-8 however long the input.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

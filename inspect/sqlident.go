package inspect

import "strings"

// hyphenedCall reports whether libinjection's fingerprint fp of v reads a
// hyphenated name with an empty call as a subtraction then a function:
// "sibling-count() CSS function", searched for in documentation, is
// fingerprinted nof() (a name, an operator, a function, its brackets).
// CSS functions and HTML and Node.js names join words with hyphens; as
// SQL the value would subtract an empty call from a column, which runs
// nothing, breaks out of no quote and takes no argument. An injection that
// subtracts a call ("1-sleep(5)", "id-if(1,sleep(5),0)") has a digit
// before the hyphen or an argument in the brackets, and is still judged.
func hyphenedCall(v, fp string) bool {
	if !strings.HasPrefix(fp, "nof()") || strings.ContainsAny(v, "'\"`;#=") {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(':
			if i+1 >= len(v) || v[i+1] != ')' {
				return false // a call with arguments
			}
		case '-':
			if i == 0 || i+1 >= len(v) || !isLetter(v[i-1]) || !isLetter(v[i+1]) {
				return false // a minus, not a hyphen inside a name
			}
		}
	}
	return true
}

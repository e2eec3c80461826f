package routes

import "strings"

// Parameter names of the templates. A segment is a parameter on sight when
// it is an identifier by its shape; {slug} is a position where many
// distinct values occur; {*} stands for the rest of a path deeper than
// [maxDepth].
const (
	paramID    = "{id}"    // a decimal number
	paramUUID  = "{uuid}"  // 8-4-4-4-12 hex digits
	paramHex   = "{hex}"   // 8 or more hex digits, at least one of them a digit and one a letter (a hash, a MongoDB ObjectId)
	paramToken = "{token}" // 16 or more base64 or base64url characters with upper and lower case and digits
	paramDate  = "{date}"  // YYYY-MM-DD
	paramEmail = "{email}" // local@domain.tld
	paramSlug  = "{slug}"
	paramRest  = "{*}"
)

// paramOf is the parameter a segment is on sight, or "" for a segment that
// may be static.
func paramOf(seg string) string {
	switch {
	case seg == "":
		return ""
	case isDigits(seg) && len(seg) <= 20:
		return paramID
	case isUUID(seg):
		return paramUUID
	case isDate(seg):
		return paramDate
	case isHexID(seg):
		return paramHex
	case isEmail(seg):
		return paramEmail
	case isToken(seg):
		return paramToken
	}
	return ""
}

// isParam reports whether a template segment is a parameter.
func isParam(seg string) bool {
	return len(seg) >= 2 && seg[0] == '{' && seg[len(seg)-1] == '}'
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHexDigit(s[i]) {
				return false
			}
		}
	}
	return true
}

func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && isDigits(s[:4]) && isDigits(s[5:7]) && isDigits(s[8:])
}

func isHexID(s string) bool {
	if len(s) < 8 {
		return false
	}
	digit, letter := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case isHexDigit(c):
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}

func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || strings.Count(s, "@") != 1 {
		return false
	}
	dot := strings.LastIndexByte(s[at:], '.')
	return dot > 1 && dot < len(s[at:])-1
}

func isToken(s string) bool {
	if len(s) < 16 {
		return false
	}
	upper, lower, digit := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			upper++
		case 'a' <= c && c <= 'z':
			lower++
		case '0' <= c && c <= '9':
			digit++
		case c == '-' || c == '_' || c == '+' || c == '/' || c == '=' || c == '.':
		default:
			return false
		}
	}
	return upper > 0 && lower > 0 && digit > 0
}

// slugShaped reports whether a segment reads like the slug of a resource
// (hello-world-3, my_first_post): words joined by '-' or '_', lower case.
// Such values at one position are a parameter after a few of them.
func slugShaped(s string) bool {
	if len(s) < 6 {
		return false
	}
	joins := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' || c == '_':
			joins++
		default:
			return false
		}
	}
	return joins > 0
}

// split cuts a path into its segments: "/a/b/" is ["a", "b"], "/" none.
// Express matches a path with and without its trailing slash alike. A path
// deeper than maxSegments keeps the rest in its last segment: nothing
// deeper is matched or learned, and a path of thousands of slashes costs no
// more than that.
func split(path string) []string {
	path = strings.Trim(path, "/")
	if path == "" {
		return nil
	}
	return strings.SplitN(path, "/", maxSegments+1)
}

// maxSegments bounds the segments a path is cut into (see [split]); the
// declared matcher refuses deeper paths, the learned tree folds them into
// {*} past [maxDepth].
const maxSegments = 4 * maxDepth

// join makes a template of segments.
func join(segs []string) string {
	return "/" + strings.Join(segs, "/")
}

package inspect

import "strings"

// sameSides finds a comparison whose two sides are the same literal, the
// shape of a tautology that needs no OR before it: 1=1, '1'='1, 42<=>42,
// 42 like 42, and for LIKE and GLOB in a value that holds a quote, the
// same column on both sides (' and password glob password). RE2 has no
// back-references, so this is code.
func sameSides(v string) (string, bool) {
	quoted := strings.ContainsAny(v, `'"`)
	for i := 0; i < len(v); i++ {
		var opStart, opEnd int
		ident := false
		switch c := v[i]; {
		case c == '=':
			opStart, opEnd = i, i+1
			if i > 0 && v[i-1] == '<' && i+1 < len(v) && v[i+1] == '>' {
				opStart, opEnd = i-1, i+2
			} else if i > 0 && strings.IndexByte("<>!:=", v[i-1]) >= 0 {
				continue
			} else if i+1 < len(v) && v[i+1] == '=' {
				opEnd = i + 2
			}
		case c == ' ' && quoted || c == ' ' && i+1 < len(v) && v[i+1] == 'l':
			w := v[i+1:]
			n := 0
			switch {
			case strings.HasPrefix(w, "like "):
				n = 4
			case strings.HasPrefix(w, "glob "), strings.HasPrefix(w, "ilike "):
				n = strings.IndexByte(w, ' ')
			default:
				continue
			}
			opStart, opEnd, ident = i, i+1+n, quoted
		default:
			continue
		}
		l, lok := leftOperand(v[:opStart])
		r, rok := rightOperand(v[opEnd:])
		if !lok || !rok || l == "" || l != r {
			continue
		}
		if isDigits(l) || ident || lok && l[0] == '\'' {
			return strings.TrimSpace(v[max(0, opStart-len(l)-2):min(len(v), opEnd+len(r)+2)]), true
		}
	}
	return "", false
}

// leftOperand returns the literal or name that ends v (spaces and a
// closing quote aside) and whether it starts at a boundary. A quoted
// literal is returned with its opening quote.
func leftOperand(v string) (string, bool) {
	v = strings.TrimRight(v, " ")
	if v == "" {
		return "", false
	}
	if q := v[len(v)-1]; q == '\'' || q == '"' {
		j := strings.LastIndexByte(v[:len(v)-1], q)
		if j < 0 || strings.IndexByte(v[j+1:len(v)-1], ' ') >= 0 {
			return "", false
		}
		return "'" + v[j+1:len(v)-1], true
	}
	j := len(v)
	for j > 0 && isNameByte(v[j-1]) {
		j--
	}
	if j == len(v) {
		return "", false
	}
	return v[j:], j == 0 || strings.IndexByte(" (,'\"`", v[j-1]) >= 0
}

// rightOperand returns the literal or name that starts v, in the form of
// leftOperand; a quoted literal may run to the end of v unclosed (the
// application's own quote closes it).
func rightOperand(v string) (string, bool) {
	v = strings.TrimLeft(v, " ")
	if v == "" {
		return "", false
	}
	if q := v[0]; q == '\'' || q == '"' {
		j := strings.IndexByte(v[1:], q)
		if j < 0 {
			j = len(v) - 1
		}
		if strings.IndexByte(v[1:1+j], ' ') >= 0 {
			return "", false
		}
		return "'" + v[1:1+j], true
	}
	j := 0
	for j < len(v) && isNameByte(v[j]) {
		j++
	}
	return v[:j], j == len(v) || strings.IndexByte(" );-#,'\"`", v[j]) >= 0
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.'
}

func isDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return v != ""
}

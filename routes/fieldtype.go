package routes

import (
	"strings"
)

// A FieldType is what a field of a route holds, learned from its values.
type FieldType string

// The field types, from the narrowest. A field's type is the narrowest
// that covers nearly all its values (see [covers]).
const (
	TypeBoolean  FieldType = "boolean"  // true, false, yes, no, on, off
	TypeInteger  FieldType = "integer"  // -12, 42
	TypeDecimal  FieldType = "decimal"  // 3.14, -1e5
	TypeUUID     FieldType = "uuid"     // 8-4-4-4-12 hex
	TypeHex      FieldType = "hex"      // 8+ hex digits (a hash, an ObjectId)
	TypeDate     FieldType = "date"     // 2026-11-30, 2026-11-30T10:00:00Z
	TypeEmail    FieldType = "email"    // ada@example.com
	TypeURL      FieldType = "url"      // https://example.com/x
	TypeJWT      FieldType = "jwt"      // eyJ….….…
	TypeBase64   FieldType = "base64"   // 16+ base64 characters, or a data: URL
	TypeSlug     FieldType = "slug"     // hello-world, lamp
	TypeToken    FieldType = "token"    // an opaque id: letters, digits, - _ .
	TypeText     FieldType = "text"     // free text: words, punctuation, newlines
	TypeRichText FieldType = "richtext" // HTML or Markdown: tags, fences, links
	// TypePassword is decided by the field's name, never by its values,
	// which are never looked at beyond that.
	TypePassword FieldType = "password"
)

// Strict reports whether values of t have a fixed shape: a value off it is
// evidence (a numeric id receiving "1 or true").
func (t FieldType) Strict() bool {
	switch t {
	case TypeBoolean, TypeInteger, TypeDecimal, TypeUUID, TypeHex, TypeDate, TypeEmail, TypeJWT, TypeSlug, TypeToken:
		return true
	}
	return false
}

// Free reports whether t is free text, judged as what it is: prose with
// quoted code is content, not an attack.
func (t FieldType) Free() bool { return t == TypeText || t == TypeRichText }

// covers reports whether a value of type narrow is also a value of wide:
// integer ⊑ decimal, uuid and hex ⊑ token, every type ⊑ text ⊑ richtext.
func covers(wide, narrow FieldType) bool {
	if wide == narrow || wide == TypeRichText || (wide == TypeText && narrow != TypeRichText) {
		return true
	}
	switch wide {
	case TypeDecimal:
		return narrow == TypeInteger
	case TypeToken:
		return narrow == TypeUUID || narrow == TypeHex || narrow == TypeInteger || narrow == TypeSlug
	case TypeSlug:
		return false
	}
	return false
}

// fieldTypes are the candidate learned types, narrowest first.
var fieldTypes = []FieldType{
	TypeBoolean, TypeInteger, TypeDecimal, TypeUUID, TypeHex, TypeDate, TypeEmail, TypeURL,
	TypeJWT, TypeBase64, TypeSlug, TypeToken, TypeText, TypeRichText,
}

// IsPasswordName reports whether a field's name (the last part of
// "form:new_password" or "json:$.user.password") names a password: apps
// hash such fields and never interpret them.
func IsPasswordName(where string) bool {
	name := where
	if i := strings.LastIndexAny(name, ".:[$"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToLower(strings.Trim(name, "]'\""))
	for _, w := range []string{"password", "passwd", "passphrase"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	switch name {
	case "pwd", "pass", "pin", "secret":
		return true
	}
	return strings.HasSuffix(name, "_pwd") || strings.HasSuffix(name, "_pass") || strings.HasSuffix(name, "_secret")
}

// TypeOf returns the narrowest type of one value.
func TypeOf(v string) FieldType {
	switch {
	case v == "":
		return ""
	case isBoolean(v):
		return TypeBoolean
	case isInteger(v):
		return TypeInteger
	case isDecimal(v):
		return TypeDecimal
	case isUUID(v):
		return TypeUUID
	case isDateTime(v):
		return TypeDate
	case isHexID(v) || (len(v) >= 8 && isHexOnly(v)):
		return TypeHex
	case isEmail(v) && !strings.ContainsAny(v, " \t\r\n<>\"'"):
		return TypeEmail
	case isURL(v):
		return TypeURL
	case isJWT(v):
		return TypeJWT
	case isBase64(v):
		return TypeBase64
	case isSlugValue(v):
		return TypeSlug
	case isTokenValue(v):
		return TypeToken
	case isRich(v):
		return TypeRichText
	}
	return TypeText
}

// Fits reports whether v is a value of type t.
func Fits(t FieldType, v string) bool {
	if v == "" || t == "" || t == TypePassword {
		return true
	}
	return covers(t, TypeOf(v))
}

func isBoolean(v string) bool {
	if len(v) > 5 {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off":
		return true
	}
	return false
}

func isInteger(v string) bool {
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	return len(v) <= 19 && isDigits(v)
}

func isDecimal(v string) bool {
	if len(v) > 48 {
		return false
	}
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(v), "e")
	if hasExp {
		if exp != "" && (exp[0] == '-' || exp[0] == '+') {
			exp = exp[1:]
		}
		if !isDigits(exp) || len(exp) > 4 {
			return false
		}
	}
	whole, frac, dot := strings.Cut(mant, ".")
	if len(mant) > 40 || (whole == "" && frac == "") {
		return false
	}
	return (whole == "" || isDigits(whole)) && (!dot || frac == "" || isDigits(frac)) && (dot || hasExp)
}

func isHexOnly(v string) bool {
	for i := 0; i < len(v); i++ {
		if !isHexDigit(v[i]) {
			return false
		}
	}
	return true
}

// isDateTime accepts an ISO 8601 date, optionally with a time and zone.
func isDateTime(v string) bool {
	if len(v) < 10 || !isDate(v[:10]) {
		return false
	}
	rest := v[10:]
	if rest == "" {
		return true
	}
	if rest[0] != 'T' && rest[0] != ' ' {
		return false
	}
	for i := 1; i < len(rest); i++ {
		c := rest[i]
		if !('0' <= c && c <= '9' || c == ':' || c == '.' || c == 'Z' || c == '+' || c == '-') {
			return false
		}
	}
	return len(rest) <= 30
}

func isURL(v string) bool {
	l := strings.ToLower(v)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return false
	}
	return len(v) <= 2048 && !strings.ContainsAny(v, " \t\r\n<>\"'`")
}

func isJWT(v string) bool {
	if !strings.HasPrefix(v, "eyJ") || strings.Count(v, ".") != 2 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '=') {
			return false
		}
	}
	return true
}

func isBase64(v string) bool {
	if strings.HasPrefix(v, "data:") {
		return strings.Contains(v[:min(len(v), 100)], ";base64,")
	}
	if len(v) < 16 {
		return false
	}
	upper, lower, digit := false, false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'A' <= c && c <= 'Z':
			upper = true
		case 'a' <= c && c <= 'z':
			lower = true
		case '0' <= c && c <= '9':
			digit = true
		case c == '+' || c == '/' || c == '=' || c == '-' || c == '_':
		default:
			return false
		}
	}
	return upper && lower && digit
}

// isSlugValue: lower-case words of letters and digits joined by - or _.
func isSlugValue(v string) bool {
	if len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return v[0] != '-' && v[len(v)-1] != '-'
}

func isTokenValue(v string) bool {
	if len(v) > 256 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isRich: markup or Markdown structure — a tag, a code fence, a link, a
// heading — looked for in the first 64 KiB.
func isRich(v string) bool {
	v = v[:min(len(v), 64<<10)]
	for i := 0; i+1 < len(v); i++ {
		if v[i] == '<' && (v[i+1] == '/' || v[i+1] == '!' || 'a' <= v[i+1]|0x20 && v[i+1]|0x20 <= 'z') {
			return true
		}
	}
	return strings.Contains(v, "```") || strings.Contains(v, "](") || strings.HasPrefix(v, "# ") || strings.Contains(v, "\n#")
}

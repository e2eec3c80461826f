package inspect

import (
	"context"
	"strings"

	"github.com/bulwark-sec/bulwark/routes"
)

// Injection is the class of a value off its field's learned type that
// carries the symbols an injection needs: a numeric id receiving "1 or
// true" is an attack with no keyword at all.
const Injection Class = "injection"

var (
	ruleOffType = newRule("bw-field-001", Injection, DefaultThreshold,
		"value off its field's learned type (a number, an id, a date…) with the symbols of an injection")
	ruleOffTypePlain = newRule("bw-field-002", Injection, 1,
		"value off its field's learned type, without injection symbols")
)

// A field kind's values are profiled when it is a parameter of the app
// (not a header, a path or a file name).
func profiled(k kind) bool {
	switch k {
	case kindQuery, kindForm, kindJSON, kindMultipart, kindXML, kindCookie:
		return true
	}
	return false
}

// byType judges in by its field's learned type (Request.Types) and shows
// it to Request.Seen. It reports whether in is judged: a password field is
// only looked at for operator injection, since apps hash passwords and
// never read them as code; a body field learned as free text (text or
// rich text) gets the free-text judgement whatever the shape of the value
// (see learnedText).
func (s *scan) byType(in *input) bool {
	if in.key || in.text || in.base64 || !profiled(in.kind) {
		return false
	}
	where := in.where(s)
	if s.req.Seen != nil {
		s.req.Seen(where, in.raw)
	}
	t, ok := s.req.Types[where]
	switch {
	case !ok:
		return false
	case t == routes.TypePassword:
		s.nosqlValue(in)
		s.protoValue(in)
		return true
	case t.Free():
		return s.learnedText(in)
	case t.Strict() && !routes.Fits(t, in.raw):
		if strings.ContainsAny(in.low, injectionSymbols) {
			s.report(ruleOffType, in, in.dec)
		} else {
			s.report(ruleOffTypePlain, in, in.dec)
		}
	}
	return false
}

// learnedText judges in, a value of a field learned as free text, as free
// text, and reports whether it did. Learning is what tells a short title
// ("`<meta>` HTML metadata element") or an article that is mostly markup
// and code from a value that happens to hold words: the field's values
// from many clients were text. The judgement still needs the evidence of
// an injection into the app's own interpreter in the prose (see
// freetext.go): markup that runs outside quoted code is stored XSS and
// blocks. Only body fields are judged so: a query parameter is reflected
// and read as it comes (a search), and keeps the judgement of a value.
func (s *scan) learnedText(in *input) bool {
	if !textKind(in.kind) || in.raw == "" {
		return false
	}
	return s.judgeText(in, true)
}

// injectionSymbols are what SQL, shell, script and template injections
// cannot do without: quotes, brackets, separators, operators, spaces
// between words (in the decoded value).
const injectionSymbols = "'\"`()[]{};|&<>=$\\ \t\r\n*,%#+"

type fieldsKey struct{}

type fieldsValue struct {
	types map[string]routes.FieldType
	seen  func(where, value string)
}

// WithFields returns ctx carrying, for [Engine.Middleware], the learned
// types of the fields of the request's route and a function shown each
// parameter value (see [Request.Types] and [Request.Seen]).
func WithFields(ctx context.Context, types map[string]routes.FieldType, seen func(where, value string)) context.Context {
	return context.WithValue(ctx, fieldsKey{}, fieldsValue{types, seen})
}

func fieldsFrom(ctx context.Context) (map[string]routes.FieldType, func(where, value string)) {
	f, _ := ctx.Value(fieldsKey{}).(fieldsValue)
	return f.types, f.seen
}

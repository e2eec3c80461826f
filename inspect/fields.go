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
// rich text) is judged as free text if it reads as prose, and otherwise as
// a value with its quoted Markdown code removed (see learnedText).
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

// learnedText judges in, a value of a field learned as free text. It
// reports whether in was judged as free text: when its prose reads as
// such (six words, half its bytes; see readsAsProse), however short the
// value. Otherwise in is left to the
// judgement of a value, but with its quoted Markdown code removed: the
// field's values from many clients were Markdown, which renders code
// spans and blocks escaped, so "`<meta>` HTML metadata element", a title
// too short to read as prose, is judged as " HTML metadata element". A
// payload with no code around it ("| whoami", "<img src=x onerror=…>") is
// judged as any value is: the free-text rules need evidence in prose, and
// a short payload has no prose around it. Only body fields are judged so:
// a query parameter is reflected and read as it comes (a search), and
// keeps the judgement of a value.
func (s *scan) learnedText(in *input) bool {
	if !textKind(in.kind) || in.raw == "" {
		return false
	}
	if in.has(cSpace|cNewline) && s.judgeText(in) {
		return true
	}
	if !containsByte(in.raw, '`') && !containsByte(in.raw, '~') && !strings.Contains(in.raw, "    ") && !containsByte(in.raw, '\t') {
		return false // no code to remove
	}
	if !s.spend(len(in.raw)) {
		return true
	}
	code := s.proseView(in.raw, false)
	if code == in.raw {
		return false
	}
	in.raw = code
	in.dec = s.decode(code)
	in.low = s.lower(in.dec)
	in.cls = classes(in.low)
	in.hints = s.scanHints(in.low)
	return false
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

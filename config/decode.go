package config

import (
	"encoding"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// A Validator checks a decoded struct. Errors made with [Field] (or any
// error with a Field() string method) are reported at that key.
type Validator interface {
	Validate() error
}

// A Decoder decodes configuration files. The zero value reads the process
// environment.
type Decoder struct {
	// LookupEnv resolves ${NAME} references. If nil, os.LookupEnv.
	LookupEnv func(name string) (string, bool)
}

// Decode decodes data, the YAML text of the file called name, into v, a
// pointer to a struct, using the process environment. See [Decoder.Decode].
func Decode(name string, data []byte, v any) error {
	return Decoder{}.Decode(name, data, v)
}

const (
	maxErrors = 20     // stop collecting after this many problems
	maxNodes  = 100000 // bound on work, aliases included
)

// Decode decodes data, the YAML text of the file called name, into v, a
// pointer to a struct. It replaces *v only when the whole file is valid;
// otherwise *v is unchanged and the error is an [Errors].
func (d Decoder) Decode(name string, data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("config: Decode needs a non-nil pointer to a struct, got %T", v)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Errors{syntaxError(name, err)}
	}
	st := &state{file: name, lookup: d.LookupEnv}
	if st.lookup == nil {
		st.lookup = os.LookupEnv
	}
	out := reflect.New(rv.Elem().Type()).Elem()
	if len(doc.Content) > 0 && !isNull(doc.Content[0]) {
		st.decode(doc.Content[0], out, "")
	} else {
		st.validate(nil, out, "")
	}
	if len(st.errs) > 0 {
		return st.errs.sorted()
	}
	rv.Elem().Set(out)
	return nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxError(file string, err error) *Error {
	msg := err.Error()
	e := &Error{File: file, Msg: msg, Hint: "fix the YAML syntax"}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
	}
	return e
}

type state struct {
	file   string
	lookup func(string) (string, bool)
	errs   Errors
	nodes  int
}

func (st *state) fail(n *yaml.Node, path, hint, format string, args ...any) {
	if len(st.errs) >= maxErrors {
		return
	}
	e := &Error{File: st.file, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil {
		e.Line = n.Line
	}
	for _, seen := range st.errs {
		if *seen == *e {
			return // a parent's Validate repeating a child's
		}
	}
	st.errs = append(st.errs, e)
}

var (
	durationType        = reflect.TypeFor[time.Duration]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	validatorType       = reflect.TypeFor[Validator]()
)

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func (st *state) decode(n *yaml.Node, v reflect.Value, path string) {
	if st.nodes++; st.nodes > maxNodes {
		if st.nodes == maxNodes+1 {
			st.fail(n, path, "the file is too large or uses too many aliases", "more than %d values", maxNodes)
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		st.decode(n.Alias, v, path)
		return
	}
	if isNull(n) {
		v.SetZero()
		return
	}
	t := v.Type()
	switch {
	case t == durationType:
		if s, ok := st.scalar(n, path, "a duration such as 10s or 365d"); ok {
			d, err := ParseDuration(s)
			if err != nil {
				st.fail(n, path, `use a number with a unit: "500ms", "10s", "5m", "1h", "365d"`, "%v", err)
				return
			}
			v.SetInt(int64(d))
		}
		return
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		if s, ok := st.scalar(n, path, "a single value"); ok {
			if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				st.fail(n, path, "", "%v", err)
			}
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		st.decode(n, v.Elem(), path)
	case reflect.Struct:
		st.decodeStruct(n, v, path)
	case reflect.Slice:
		st.decodeSlice(n, v, path)
	case reflect.Map:
		st.decodeMap(n, v, path)
	default:
		st.decodeBasic(n, v, path)
	}
}

// scalar returns the text of a scalar node with ${ENV} expanded.
func (st *state) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		st.fail(n, path, "", "expected %s, got %s", want, kindName(n))
		return "", false
	}
	s, err := expandEnv(n.Value, st.lookup)
	if err != nil {
		var ee *envError
		hint := ""
		if errors.As(err, &ee) {
			hint = "set it, or give a default: ${" + ee.name + ":-value}"
		}
		st.fail(n, path, hint, "%v", err)
		return "", false
	}
	return s, true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (st *state) decodeBasic(n *yaml.Node, v reflect.Value, path string) {
	k := v.Kind()
	want := map[reflect.Kind]string{reflect.String: "a string", reflect.Bool: "true or false", reflect.Float32: "a number", reflect.Float64: "a number"}[k]
	if want == "" {
		want = "a whole number"
	}
	s, ok := st.scalar(n, path, want)
	if !ok {
		return
	}
	var err error
	switch k {
	case reflect.String:
		if n.Tag == "!!bool" {
			st.fail(n, path, `quote it if you mean the text: "`+n.Value+`"`, "expected a string, got %q", s)
			return
		}
		v.SetString(s)
	case reflect.Bool:
		switch s {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			err = errors.New("not a boolean")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if i, err = strconv.ParseInt(s, 10, v.Type().Bits()); err == nil {
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		var u uint64
		if u, err = strconv.ParseUint(s, 10, v.Type().Bits()); err == nil {
			v.SetUint(u)
		}
	case reflect.Float32, reflect.Float64:
		var f float64
		if f, err = strconv.ParseFloat(s, v.Type().Bits()); err == nil {
			v.SetFloat(f)
		}
	default:
		panic("config: unsupported field type " + v.Type().String())
	}
	if err != nil {
		st.fail(n, path, "", "expected %s, got %q", want, s)
	}
}

func (st *state) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	items := n.Content
	if n.Kind != yaml.SequenceNode {
		items = []*yaml.Node{n} // a single value is a one-element list
	}
	out := reflect.MakeSlice(v.Type(), len(items), len(items))
	for i, item := range items {
		st.decode(item, out.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(out)
}

func (st *state) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		st.fail(n, path, "", "expected a mapping, got %s", kindName(n))
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		panic("config: map keys must be strings: " + v.Type().String())
	}
	out := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := reflect.New(v.Type().Key()).Elem()
		key.SetString(k.Value)
		if out.MapIndex(key).IsValid() {
			st.fail(k, join(path, k.Value), "remove one of them", "duplicate key")
			continue
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		st.decode(val, elem, join(path, k.Value))
		out.SetMapIndex(key, elem)
	}
	v.Set(out)
}

func (st *state) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	fields := fieldsOf(v.Type())
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!bool" && fields.has("disable"):
		if n.Value == "false" {
			v.FieldByIndex(fields.byName["disable"]).SetBool(true)
		}
	case n.Kind != yaml.MappingNode:
		hint := ""
		if fields.has("disable") {
			hint = "write false to turn it off"
		}
		st.fail(n, path, hint, "expected a mapping, got %s", kindName(n))
		return
	default:
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			kp := join(path, k.Value)
			switch idx, ok := fields.byName[k.Value]; {
			case k.Value == "<<":
				st.fail(k, kp, "repeat the keys instead", "merge keys are not supported")
			case seen[k.Value]:
				st.fail(k, kp, "remove one of them", "duplicate key")
			case !ok:
				st.fail(k, kp, fields.suggest(k.Value), "unknown key")
			default:
				seen[k.Value] = true
				st.decode(val, v.FieldByIndex(idx), kp)
			}
		}
	}
	st.validate(n, v, path)
}

// validate calls v's Validate method and reports its errors at their keys.
func (st *state) validate(n *yaml.Node, v reflect.Value, path string) {
	var val Validator
	switch {
	case v.CanAddr() && reflect.PointerTo(v.Type()).Implements(validatorType):
		val = v.Addr().Interface().(Validator)
	case v.Type().Implements(validatorType):
		val = v.Interface().(Validator)
	default:
		return
	}
	err := val.Validate()
	if err == nil {
		return
	}
	for _, e := range splitErrors(err) {
		field, msg, ok := fieldOf(e)
		if !ok {
			st.fail(n, path, "", "%s", msg)
			continue
		}
		st.fail(lookupNode(n, field), join(path, field), "", "%s", msg)
	}
}

// lookupNode finds the node for a relative key path such as "a.b[2].c"
// below n, or the deepest node on the way.
func lookupNode(n *yaml.Node, path string) *yaml.Node {
	for _, seg := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(seg, "[")
		n = child(n, key)
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			if err != nil || n == nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return n
}

// child returns the value of key in mapping n, or n itself if there is none.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return n
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return n
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

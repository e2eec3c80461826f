package config

import (
	"bytes"
	"encoding"
	"reflect"
	"sort"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// Encode writes v as YAML the way [Decode] reads it: durations as "10s",
// sizes as "1MiB", and every [Secret] as "[redacted]". Nil pointers, maps and
// slices are left out.
func Encode(v any) ([]byte, error) {
	n := encodeValue(reflect.ValueOf(v))
	if n == nil {
		return nil, nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	enc.Close()
	return b.Bytes(), nil
}

func scalarNode(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

func encodeValue(v reflect.Value) *yaml.Node {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	if t == durationType {
		return scalarNode("!!str", FormatDuration(time.Duration(v.Int())))
	}
	if t.Implements(textMarshalerType) && (t.Kind() != reflect.Pointer || !v.IsNil()) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return scalarNode("!!str", "<"+err.Error()+">")
		}
		return scalarNode("!!str", string(b))
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return encodeValue(v.Elem())
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode}
		f := fieldsOf(t)
		for _, name := range f.names {
			if c := encodeValue(v.FieldByIndex(f.byName[name])); c != nil {
				n.Content = append(n.Content, scalarNode("!!str", name), c)
			}
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		n := &yaml.Node{Kind: yaml.MappingNode}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			c := encodeValue(v.MapIndex(k))
			if c == nil {
				c = scalarNode("!!null", "null")
			}
			n.Content = append(n.Content, scalarNode("!!str", k.String()), c)
		}
		return n
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for i := range v.Len() {
			if c := encodeValue(v.Index(i)); c != nil {
				if c.Kind != yaml.ScalarNode {
					n.Style = 0
				}
				n.Content = append(n.Content, c)
			}
		}
		return n
	case reflect.String:
		return scalarNode("!!str", v.String())
	case reflect.Bool:
		return scalarNode("!!bool", strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalarNode("!!int", strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return scalarNode("!!int", strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		return scalarNode("!!float", strconv.FormatFloat(v.Float(), 'g', -1, 64))
	}
	return nil
}

package lockfile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// parseYAML decodes a YAML lockfile into its top mapping node, or nil for
// an empty document: by [fastYAML] when the file keeps to the shape
// lockfile writers emit, else by yaml.v3. Syntax errors keep yaml.v3's line.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	if root, ok := fastYAML(data); ok {
		return root, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ParseError{File: file, Line: yamlErrLine(err), Msg: fmt.Sprintf("invalid YAML: %s: fix or regenerate the lockfile", yamlErrMsg(err)), Err: err}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errorf(file, root.Line, "want a mapping at the top, got %s: is this a lockfile of this format?", kindName(root))
	}
	return root, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+):?\s*`)

func yamlErrLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func yamlErrMsg(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return yamlLineRE.ReplaceAllString(te.Errors[0], "")
	}
	return yamlLineRE.ReplaceAllString(err.Error(), "")
}

// mapValue returns the value of key in mapping node n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the scalar %q", clip(n.Value))
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

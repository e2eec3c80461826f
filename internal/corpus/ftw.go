package corpus

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The go-ftw test format (github.com/coreruleset/ftw-tests-schema), as far
// as the CRS regression tests use it. Unknown fields are ignored: the
// format grows fields for the test runner that do not change the request.

type ftwFile struct {
	RuleID uint      `yaml:"rule_id"`
	Tests  []ftwTest `yaml:"tests"`
}

type ftwTest struct {
	TestID    uint       `yaml:"test_id"`
	TestTitle string     `yaml:"test_title"` // the old format's name for a test
	Stages    []ftwStage `yaml:"stages"`
}

// ftwStage accepts both layouts: stages: [{input, output}] and the old
// stages: [{stage: {input, output}}].
type ftwStage struct {
	Input  ftwInput  `yaml:"input"`
	Output ftwOutput `yaml:"output"`
	Stage  *struct {
		Input  ftwInput  `yaml:"input"`
		Output ftwOutput `yaml:"output"`
	} `yaml:"stage"`
}

type ftwInput struct {
	Method              *string           `yaml:"method"`
	URI                 *string           `yaml:"uri"`
	URIs                []string          `yaml:"uris"`
	Headers             map[string]string `yaml:"headers"`
	Data                *ftwData          `yaml:"data"`
	EncodedData         *string           `yaml:"encoded_data"`
	EncodedRequest      string            `yaml:"encoded_request"`
	RawRequest          string            `yaml:"raw_request"`
	AutocompleteHeaders *bool             `yaml:"autocomplete_headers"`
	StopMagic           *bool             `yaml:"stop_magic"`
}

type ftwOutput struct {
	Status        intList `yaml:"status"`
	LogContains   string  `yaml:"log_contains"`
	NoLogContains string  `yaml:"no_log_contains"`
	Log           struct {
		ExpectIDs   []uint `yaml:"expect_ids"`
		NoExpectIDs []uint `yaml:"no_expect_ids"`
		MatchRegex  string `yaml:"match_regex"`
	} `yaml:"log"`
}

// ftwData is the data field: a string, or (older tests) a list of lines,
// which the Python ftw joined with CRLF.
type ftwData string

func (d *ftwData) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*d = ftwData(n.Value)
		return nil
	case yaml.SequenceNode:
		var lines []string
		if err := n.Decode(&lines); err != nil {
			return err
		}
		*d = ftwData(strings.Join(lines, "\r\n"))
		return nil
	}
	return fmt.Errorf("line %d: data must be a string or a list of strings", n.Line)
}

// intList is a status: one code or (older tests) a list of acceptable ones.
type intList []int

func (l *intList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		v, err := strconv.Atoi(n.Value)
		if err != nil {
			return fmt.Errorf("line %d: status %q is not a number", n.Line, n.Value)
		}
		*l = intList{v}
		return nil
	case yaml.SequenceNode:
		var vs []int
		if err := n.Decode(&vs); err != nil {
			return err
		}
		*l = vs
		return nil
	}
	return fmt.Errorf("line %d: status must be a number or a list of numbers", n.Line)
}

// logID matches a rule id in an old-style log_contains: id "942100".
var logID = regexp.MustCompile(`id[ :"']+\d{6}`)

// expectsDetection reports whether the output expects the WAF to flag the
// request (attack), expects it not to (negative), or neither. Only the
// first kind makes a case: a test that expects some rule not to fire says
// nothing about whether the request is benign.
func (o ftwOutput) expectsDetection() bool {
	switch {
	case len(o.Log.ExpectIDs) > 0:
		return true
	case len(o.Log.NoExpectIDs) > 0 || o.NoLogContains != "":
		return false
	case o.LogContains != "":
		return logID.MatchString(o.LogContains)
	case o.Log.MatchRegex != "":
		// "Matched Data: ... found within ARGS:x": a rule matched.
		return true
	}
	return slices.Contains(o.Status, 403)
}

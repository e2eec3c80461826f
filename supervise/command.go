package supervise

import (
	"errors"
	"os"
	"strings"
)

// oneLine reports whether command is one string with spaces that is not a
// program's path: a command line, split by [SplitCommand] as --run is.
func oneLine(command []string) bool {
	if len(command) != 1 || !strings.ContainsAny(command[0], " \t") {
		return false
	}
	_, err := os.Stat(command[0])
	return err != nil
}

// SplitCommand splits a command line as a shell would for simple cases
// (run.command or guard --run given as one string):
// words separated by spaces, with single or double quotes grouping words
// and a backslash escaping the next character outside single quotes. No
// variables, globs or pipes: it is an argv, not a script.
func SplitCommand(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case quote == '"':
			if c == '"' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unterminated quote in " + s)
	}
	if inWord {
		args = append(args, cur.String())
	}
	if len(args) == 0 {
		return nil, errors.New("empty command")
	}
	return args, nil
}

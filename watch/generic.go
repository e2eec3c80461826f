package watch

import (
	"fmt"
	"regexp"

	"github.com/bulwark-sec/bulwark/config"
)

// A Generic parser reads lines with regular expressions (RE2: linear time,
// whatever the line) that name the groups "ip" and, optionally, "user".
type Generic struct {
	failure, success *regexp.Regexp
}

var _ Parser = (*Generic)(nil)

// NewGeneric compiles the patterns. Failure is required; success may be
// empty. Each must have a group named "ip"; "user" is optional.
func NewGeneric(failure, success string) (*Generic, error) {
	g := &Generic{}
	var err error
	if g.failure, err = compileLogPattern(failure); err != nil {
		return nil, config.Field("failure", err)
	}
	if success != "" {
		if g.success, err = compileLogPattern(success); err != nil {
			return nil, config.Field("success", err)
		}
	}
	return g, nil
}

func compileLogPattern(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, fmt.Errorf(`empty: give a regular expression with a group (?P<ip>…), e.g. "auth failed for (?P<user>\S+) from (?P<ip>\S+)"`)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("not a regular expression (Go RE2 syntax): %w", err)
	}
	if re.SubexpIndex("ip") < 0 {
		return nil, fmt.Errorf(`%q has no group named ip: write (?P<ip>\S+) where the address is`, p)
	}
	return re, nil
}

func (g *Generic) Parse(line string) (Attempt, bool) {
	if a, ok := match(g.failure, line); ok {
		a.Action = ActionFailure
		return a, true
	}
	if g.success == nil {
		return Attempt{}, false
	}
	a, ok := match(g.success, line)
	a.Action = ActionSuccess
	return a, ok
}

func match(re *regexp.Regexp, line string) (Attempt, bool) {
	m := re.FindStringSubmatch(line)
	if m == nil {
		return Attempt{}, false
	}
	ip, ok := parseIP(m[re.SubexpIndex("ip")])
	if !ok {
		return Attempt{}, false
	}
	a := Attempt{IP: ip, Reason: "pattern"}
	if i := re.SubexpIndex("user"); i >= 0 {
		a.User = m[i]
	}
	return a, true
}

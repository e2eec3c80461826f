package main

import (
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
)

var (
	ruleID    = regexp.MustCompile(`\bid:'?(\d{6})`)
	ruleLevel = regexp.MustCompile(`paranoia-level/(\d)`)
)

// ruleLevels maps the id of each CRS request rule to its paranoia level,
// as tagged in the rule files that coraza-coreruleset embeds. Rules
// without a level (initialisation, markers) are left out, and so are the
// rules of regression tests newer than those files.
func ruleLevels() (map[int]int, error) {
	files, err := fs.Glob(coreruleset.FS, "@owasp_crs/REQUEST-*.conf")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("reading CRS rule levels: no @owasp_crs/REQUEST-*.conf in coraza-coreruleset (%v)", err)
	}
	levels := map[int]int{}
	for _, f := range files {
		b, err := fs.ReadFile(coreruleset.FS, f)
		if err != nil {
			return nil, fmt.Errorf("reading CRS rule levels: %w", err)
		}
		for _, d := range directives(string(b)) {
			id, lvl := ruleID.FindStringSubmatch(d), ruleLevel.FindStringSubmatch(d)
			if id == nil || lvl == nil {
				continue
			}
			n, _ := strconv.Atoi(id[1]) // six digits
			levels[n], _ = strconv.Atoi(lvl[1])
		}
	}
	return levels, nil
}

// directives splits a ModSecurity configuration into its directives,
// joining lines continued with a backslash; comments are dropped.
func directives(conf string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(conf, "\n") {
		t := strings.TrimSpace(line)
		if cur.Len() == 0 && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		if cont, ok := strings.CutSuffix(t, "\\"); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(t)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// caseRule returns the rule id a CRS case ID ("942100-3") tests.
func caseRule(id string) int {
	r, _, _ := strings.Cut(id, "-")
	n, _ := strconv.Atoi(r)
	return n
}

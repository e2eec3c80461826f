package inspect

import (
	"strings"
	"testing"
	"time"
)

func hasRule(v Verdict, id string) bool {
	for _, f := range v.Findings {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestSQLNum checks SQL injected where a number or a column name goes
// without quotes: each shape of the class, and sentences and values that
// hold the same words.
func TestSQLNum(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{
		"1 and password between 0x61 and 0x6d", // BETWEEN on hex bounds (blind extraction)
		"1 or is_admin=1",                      // a column compared
		"1 xor 1",                              // XOR
		"1 || 1", "1 && 1=1",                   // symbol operators
		"0 or 1 limit 1",        // LIMIT after a condition
		"1 limit 1,1",           // LIMIT alone
		"1 order by (select 1)", // ORDER BY subquery
		"name order by (select case when 1=1 then 1 else 2 end)", // after a column name
		"1,(select 1 from dual where 1=1)",                       // another ORDER BY column
		"IIF(8383=8384,1,1/0)", "1,IIF(8383=8383,1,1/0)",         // sqlmap's MSSQL probes
		"1 or true", "1 and false", "1 or null is null", // boolean literals
		"1 and id is not null",           // IS NOT NULL
		"1 and 1 in (1,2)",               // IN list
		"1 and password like 'a%'",       // LIKE with a literal
		"1 rlike 1", "1 between 0 and 2", // a comparison in place of the number
		"1 and length(password)>5", // a function compared
		"1 having 1=1",             // HAVING
		"-1 or 2>1", "1) or (1=1",  // negative number; closing parenthesis
		"1/**/or/**/1=1", "1 or 1=1-- -", "1 or 1=1#", "1 or 1=1;", // comments and a stacked end
		"1 procedure analyse()",   // PROCEDURE ANALYSE
		"1 into outfile '/tmp/x'", // INTO OUTFILE
		"id or 1=1",               // a name, then a comparison with a literal
	} {
		got := inspectValue(t, e, v)
		if got.Action != Block || !hasRule(got, ruleSQLiNum.id) {
			t.Errorf("Inspect(q=%q) = %v %+v, want block by %s", v, got.Action, got.Findings, ruleSQLiNum.id)
		}
	}
	for _, v := range []string{
		"pick 1 or 2 items and order by date", "1 or 2", "1 and 2", "2 or more", "1.2 or later", "0 or 1",
		"true or false", "cats and dogs", "a and b = c", "1 or 2 like this", "1 and 2 is fine",
		"bitwise and assignment (&=)", "logical or assignment (||=)", "10 and up", "3 and 4 of them",
		"1 order by date", "select a plan", "2024", "if(a1=1,b1,c1)", "1 and is_admin", "7*7=49", "2+2=4",
	} {
		if got := inspectValue(t, e, v); hasRule(got, ruleSQLiNum.id) {
			t.Errorf("Inspect(q=%q) = %v %+v, want no %s", v, got.Action, got.Findings, ruleSQLiNum.id)
		}
	}
}

// TestSQLNumLinear checks that reading a tail takes time linear in the
// value, on the bytes its parser looks at.
func TestSQLNumLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	for _, unit := range []string{"1 or ", "1 or 1=1 and ", "(", "1 or (", "=", " = ", "/*", "1 order by 1,", "'", "0x1 ", "iif("} {
		at := func(n int) time.Duration {
			v := strings.Repeat(unit, n/len(unit))
			best := time.Duration(1 << 62)
			for range 7 { // the quietest of 7: the machine is shared
				start := time.Now()
				sqlNumTail(v)
				hasComparison(v)
				best = min(best, time.Since(start))
			}
			return best
		}
		small, big := at(64<<10), at(128<<10)
		if big > small*5/2+time.Millisecond {
			t.Errorf("%q: 64 KiB in %v, 128 KiB in %v: not linear", unit, small, big)
		}
	}
}

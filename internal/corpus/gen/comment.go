package main

var postTitles = []string{
	"Why we dropped our ORM (and what we use instead)", "Select, filter, repeat: building a faceted search",
	"Union busting? No — union *joining*: notes from our first year", "Where did the time go? A year of side projects",
	"From zero to production in a weekend", "Alerting that doesn't wake you up for nothing",
	"Scripts I run every morning", "It's not you, it's your cache", "O'Brien's guide to sourdough",
	"Delete more code", "Update: we're hiring!", "The exec summary nobody reads", "Tables, chairs & other furniture we built",
}

// markdownComments are blog and forum comments in Markdown: emphasis,
// links, lists, quotes and inline code, in ordinary prose.
var markdownComments = []string{
	"Great post! I had to **update** my config from the old format — see [the docs](https://example.com/docs#select-fields) for the new keys.",
	"> Drop the table? No, drop the *assumption*.\n\nLove this line. Printing it out for the office.",
	"Thanks for writing this up. A few things that worked for us:\n\n1. Start small\n2. Measure first\n3. Don't optimise what you can delete",
	"I'm not sure I agree with point 3; in my experience it's the *union* of both approaches that works best.",
	"Where's part 2? 😄 Seriously though, this was really helpful.",
	"Small typo: \"it's\" should be \"its\" in the second paragraph. Otherwise 👍",
	"We tried the same thing at my last job and it went... less well. Glad it worked out for you!",
	"For anyone wondering, the `--dry-run` flag is your friend here.",
	"+1 to everything in the *Alerts* section. We page on symptoms, not causes, and sleep much better for it.",
	"Select your battles, as my old manager used to say. This post is a great example of that.",
	"Could you share the slides from the talk? The link at the bottom (\"slides here\") seems broken.",
	"This is the best explanation of `async`/`await` I've read. Bookmarked!",
	"Question: does this still apply if you're on Postgres 16? I remember something changed around indexes.",
	"Agree 100%. Also: write the README *before* the code.",
	"~~First~~ Second! Great read, as always.",
	"My 2 cents: the real win is deleting the code you don't need. Less code → fewer bugs.",
	"What a thoughtful piece. My dad (a retired union rep) would've loved it.",
	"Ha, the bit about the exec summary nobody reads is painfully true.",
	"Could you add a section on testing? E.g. how do you test the *from*/*to* date filters?",
	"Just drop a comment here if you want the template; happy to share.",
	"Re: \"where do I start?\" — start with the smallest thing that could possibly work.",
	"Typo in the title? \"Tables, chairs & other furniture\" — was \"& co.\" intended?",
	"Lovely photos! Which lens did you use for the one of the harbour at dawn?",
	"### Update\n\nIt works now, thanks! The trick was to restart the service *after* editing the file.",
	"I've read this three times & I still learn something each time. Thank you.",
	"- pros: fast, cheap\n- cons: no support for Windows (yet)\n\nStill worth it IMO.",
	"The recipe worked perfectly: 500 g flour, 350 ml water, 10 g salt, 100 g starter. Crumb was 👌",
	"Not to be that person, but \"alot\" is two words. Great post otherwise!",
	"For those asking: the font is *Inter*, the colours are from the Nord palette.",
	"Is there an RSS feed? I'd like to follow along without signing up for yet another newsletter.",
}

// codeComments are comments with code in them: snippets of Python, SQL,
// JavaScript, Go, shell and HTML in fenced blocks, as developers post them
// on a blog, a forum or an issue tracker. They are benign, and an engine
// that flags them has a reason to; they form their own group so their
// rate can be read apart.
var codeComments = []string{
	"Nice! In Python it's even shorter:\n\n```python\nfor user in users:\n    if user.active:\n        print(user.name)\n```",
	"The query I ended up with:\n\n```sql\nSELECT name, email FROM users WHERE created_at > now() - interval '7 days' ORDER BY name;\n```",
	"You can also do it with a `UNION ALL`:\n\n```sql\nSELECT id FROM orders WHERE status = 'paid'\nUNION ALL\nSELECT id FROM refunds;\n```",
	"In JS:\n\n```js\nconst total = items.reduce((sum, i) => sum + i.price * i.qty, 0);\nconsole.log(`Total: ${total}`);\n```",
	"Go version, for reference:\n\n```go\nfor _, u := range users {\n\tif u.Active {\n\t\tfmt.Println(u.Name)\n\t}\n}\n```",
	"To find big files: `du -sh * | sort -h | tail -n 5`",
	"If you're on a Mac: `brew install jq && jq '.items[] | .name' data.json`",
	"Careful, `rm -rf node_modules && npm ci` fixed it for me, but it takes a while.",
	"The fix was a missing `key` prop:\n\n```jsx\n{items.map(item => <Item key={item.id} {...item} />)}\n```",
	"HTML for the button, if anyone needs it:\n\n```html\n<button type=\"submit\" class=\"btn btn-primary\">Save</button>\n```",
	"We use this migration to drop the old column:\n\n```sql\nALTER TABLE users DROP COLUMN legacy_id;\n```",
	"`git log --oneline --since=\"2 weeks ago\" | wc -l` → 142 commits. Busy fortnight!",
	"With pandas: `df.groupby('country')['revenue'].sum().sort_values(ascending=False)`",
	"Here's my Dockerfile:\n\n```dockerfile\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"server.js\"]\n```",
	"Try `SELECT count(*) FROM events WHERE type = 'signup';` — that's what the dashboard runs.",
	"In Rust it's `let names: Vec<_> = users.iter().filter(|u| u.active).map(|u| &u.name).collect();`",
	"PowerShell equivalent: `Get-ChildItem -Recurse | Where-Object { $_.Length -gt 1MB }`",
	"Regex that worked for me: `^\\d{3}-\\d{4}$` (US-style local numbers).",
	"Cron line: `0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1`",
	"My `.env` for local dev is just `PORT=3000` and `DATABASE_URL=postgres://localhost/dev`.",
}

// comment makes n posts of comments, forum replies and issue notes in
// Markdown, as JSON bodies and as form posts.
func comment(n int) []request { return comments("comment", 5, markdownComments, n) }

// code makes n comments with code snippets.
func code(n int) []request { return comments("code", 6, codeComments, n) }

func comments(group string, seed uint64, texts []string, n int) []request {
	g := newGen(group, seed)
	for len(g.reqs) < n {
		text := pick(g, texts)
		switch k := g.intn(10); {
		case k < 5:
			g.add("POST", "/api/v1/posts/"+g.slug()+"/comments", g.api("application/json"),
				jsonBody(obj{"body", text, "parentId", pick(g, []any{nil, g.id()}), "format", "markdown"}))
		case k < 7:
			h := g.browser(origin + "/blog/" + g.slug())
			h["Content-Type"] = "application/x-www-form-urlencoded"
			h["Origin"] = origin
			p := pick(g, people)
			g.add("POST", "/blog/"+g.slug()+"/comments", h, form("_csrf", g.b64url(43), "author", p.full(), "email", p.email(), "comment", text))
		case k < 9:
			g.add("POST", "/api/v1/issues/"+g.digits(3)+"/notes", g.api("application/json"), jsonBody(obj{"note", text, "internal", g.chance(0.3)}))
		default:
			g.add("PATCH", "/api/v1/comments/"+g.id(), g.api("application/json"), jsonBody(obj{"body", text, "edited", true}))
		}
	}
	return g.reqs[:n]
}

// slug returns the URL slug of a post title.
func (g *gen) slug() string { return slugify(pick(g, postTitles)) }

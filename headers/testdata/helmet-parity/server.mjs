// Serves Helmet under Express for headers.TestHelmetParity.
//
// Usage: node server.mjs CASES.json
//
// CASES.json is a JSON array of Helmet option objects. Case i is mounted as
// helmet(options[i]) on GET /case/i, in front of a handler that sends "ok" as
// text/plain. Because JSON cannot hold a Symbol, the string
// "$dangerouslyDisableDefaultSrc" as a directive value stands for
// helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc.
//
// Output, one JSON object per line on stdout: {"case": i} for each mounted
// case or {"case": i, "error": message} when helmet() threw, then
// {"port": N} once the server listens on 127.0.0.1.
import {readFileSync} from "node:fs"
import express from "express"
import helmet from "helmet"

const SYMBOL_PLACEHOLDER = "$dangerouslyDisableDefaultSrc"

function revive(options) {
	const directives = options?.contentSecurityPolicy?.directives
	if (directives && typeof directives === "object") {
		for (const [name, value] of Object.entries(directives)) {
			if (value === SYMBOL_PLACEHOLDER) {
				directives[name] = helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc
			}
		}
	}
	return options
}

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"))
const app = express()
const ok = (_req, res) => res.type("text/plain").send("ok")

cases.forEach((options, i) => {
	let middleware
	try {
		middleware = helmet(revive(options))
	} catch (err) {
		console.log(JSON.stringify({case: i, error: String(err?.message ?? err)}))
		return
	}
	app.get(`/case/${i}`, middleware, ok)
	console.log(JSON.stringify({case: i}))
})

const server = app.listen(0, "127.0.0.1", () => {
	console.log(JSON.stringify({port: server.address().port}))
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))

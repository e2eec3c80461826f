package routes

import "bytes"

// LeakPeek is how much of a response to an attack [Leak] reads.
const LeakPeek = 16 << 10

// leakMarks are texts that databases and runtimes put in their error
// messages and that an app shows only by mistake. Plain substrings: one
// pass each over at most LeakPeek bytes.
var leakMarks = []struct{ kind, mark string }{
	{"SQL error", "SQLITE_ERROR"},
	{"SQL error", "SqliteError"},
	{"SQL error", "sqlite3.OperationalError"},
	{"SQL error", ": syntax error"}, // SQLite: near "x": syntax error
	{"SQL error", "unrecognized token:"},
	{"SQL error", "no such column:"},
	{"SQL error", "no such table:"},
	{"SQL error", "SQLSTATE["},
	{"SQL error", "You have an error in your SQL syntax"},
	{"SQL error", "ER_PARSE_ERROR"},
	{"SQL error", "ER_BAD_FIELD_ERROR"},
	{"SQL error", "syntax error at or near"},
	{"SQL error", "unterminated quoted string"},
	{"SQL error", "Unclosed quotation mark"},
	{"SQL error", "Microsoft OLE DB Provider"},
	{"SQL error", "ORA-00933"},
	{"SQL error", "ORA-01756"},
	{"SQL error", "SequelizeDatabaseError"},
	{"SQL error", "QueryFailedError"},
	{"SQL error", "PrismaClientKnownRequestError"},
	{"database error", "MongoServerError"},
	{"database error", "CastError: Cast to ObjectId"},
	{"stack trace", "Traceback (most recent call last)"},
	{"stack trace", "\n    at Layer.handle"},
	{"stack trace", "\n    at Object.<anonymous>"},
	{"stack trace", "(node:internal/"},
	{"stack trace", "Exception in thread \""},
	{"stack trace", "Stack trace:\n#0 "},
	{"stack trace", "Fatal error: Uncaught"},
}

// Leak names the database error or stack trace the start of body shows,
// or "".
func Leak(body []byte) string {
	if len(body) > LeakPeek {
		body = body[:LeakPeek]
	}
	for _, l := range leakMarks {
		if bytes.Contains(body, []byte(l.mark)) {
			return l.kind
		}
	}
	return ""
}

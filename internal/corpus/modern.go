package corpus

import (
	"bytes"
	_ "embed"
)

//go:generate go run ./gen

// modernFile is the modern benign corpus, written by the generator in
// ./gen (see testdata/modern/NOTE.md).
//
//go:embed testdata/modern/requests.jsonl
var modernFile []byte

// ModernFile is the name of the modern corpus in errors and IDs.
const ModernFile = "testdata/modern/requests.jsonl"

// LoadModern returns the modern benign corpus, built into the package:
// REST and GraphQL APIs, logins with punctuation-rich passwords, searches
// and comments in ordinary English that use SQL and HTML words, OAuth
// callbacks, JWTs, downloads, pagination, tracking parameters and more.
// Group is the kind of traffic ("rest", "graphql", "login", "search",
// "comment", "code", …); testdata/modern/NOTE.md says what each holds.
func LoadModern() ([]Case, error) {
	return readJSONL(bytes.NewReader(modernFile), ModernFile, Modern, false)
}

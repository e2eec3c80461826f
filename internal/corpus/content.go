package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Content names the corpus of real documentation posted as an app
// receives it.
const Content = "content"

// LoadContent loads benign/content/requests.jsonl of the shared corpus in
// dir: 18,232 requests carrying MDN, Node.js and Express documentation as
// a blog, wiki or Q&A app receives it (articles, comments, searches; code
// quoted in prose). Group is the request's shape (its cls: "article-json",
// "comment-form", …). Every case is benign.
func LoadContent(dir string) ([]Case, error) {
	name := filepath.Join(dir, "benign", "content", "requests.jsonl")
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("loading the content corpus: %w", err)
	}
	// The file's lines carry cls and source besides the request; readJSONL
	// refuses fields it does not know, so cls becomes the group here and
	// source is dropped.
	var norm bytes.Buffer
	for n, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(line, &m); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n+1, err)
		}
		m["group"] = m["cls"]
		delete(m, "cls")
		delete(m, "source")
		b, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n+1, err)
		}
		norm.Write(b)
		norm.WriteByte('\n')
	}
	return readJSONL(&norm, name, Content, false)
}

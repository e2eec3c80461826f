package replay

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect"
)

// jsonRequest is one line of the JSONL format.
type jsonRequest struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// parseJSONL reads one line of the JSONL format.
func parseJSONL(line []byte) (Record, error) {
	var jr jsonRequest
	if err := json.Unmarshal(line, &jr); err != nil {
		col := 1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			col = int(max(se.Offset, 1))
		case errors.As(err, &te):
			col = int(max(te.Offset, 1))
		}
		return Record{}, errAt(col, "not a JSON request object: %v", err)
	}
	if jr.Method == "" || !strings.HasPrefix(jr.Path, "/") {
		return Record{}, errAt(1, `a request needs "method" and a "path" starting with /`)
	}
	h := make(http.Header, len(jr.Headers))
	for k, v := range jr.Headers {
		h.Add(k, v)
	}
	return Record{ID: jr.ID, Request: inspect.Request{Method: jr.Method, URI: jr.Path, Header: h, Body: []byte(jr.Body)}}, nil
}

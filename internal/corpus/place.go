package corpus

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Placements of a parameter value, the suffixes of the case IDs that
// [placeValue] makes.
const (
	InQuery = "query" // GET with the value in the query string
	InForm  = "form"  // POST application/x-www-form-urlencoded
	InJSON  = "json"  // POST application/json, the value a string member
)

// browserHeaders returns the headers an ordinary browser sends, so that
// engines see a well-formed request and flag the payload, not its absence.
func browserHeaders() http.Header {
	return http.Header{
		"Host":            {"localhost"},
		"User-Agent":      {"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
		"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		"Accept-Language": {"en-US,en;q=0.5"},
		"Accept-Encoding": {"gzip, deflate"},
	}
}

// placeValue returns three cases carrying value as the parameter param:
// in the query string of a GET to path, URL-encoded; as a field of a POST
// form to path; and as a string member of a POST JSON object to path.
// The cases' IDs are id+"/query", id+"/form" and id+"/json".
//
// JSON cannot carry invalid UTF-8: such bytes become U+FFFD there, as any
// JSON encoder in a browser or client library would make them.
func placeValue(corpus, group, id string, attack bool, path, param, value string) []Case {
	enc := url.QueryEscape(value)
	form := []byte(param + "=" + enc)
	js := jsonObject(param, value)

	query := Case{Corpus: corpus, Group: group, ID: id + "/" + InQuery, Attack: attack,
		Method: http.MethodGet, Path: path + "?" + param + "=" + enc, Header: browserHeaders()}
	post := Case{Corpus: corpus, Group: group, ID: id + "/" + InForm, Attack: attack,
		Method: http.MethodPost, Path: path, Header: browserHeaders(), Body: form}
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.Header.Set("Content-Length", strconv.Itoa(len(form)))
	jsonCase := Case{Corpus: corpus, Group: group, ID: id + "/" + InJSON, Attack: attack,
		Method: http.MethodPost, Path: path, Header: browserHeaders(), Body: js}
	jsonCase.Header.Set("Accept", "application/json")
	jsonCase.Header.Set("Content-Type", "application/json")
	jsonCase.Header.Set("Content-Length", strconv.Itoa(len(js)))
	return []Case{query, post, jsonCase}
}

// jsonObject returns {"param":"value"} as JSON.stringify writes it: without
// escaping <, > and & as \u003c and friends, as encoding/json does by default.
func jsonObject(param, value string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]string{param: value}) // a map of strings always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

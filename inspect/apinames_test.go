package inspect

import (
	"net/http"
	"net/url"
	"testing"
)

// An API named with an empty call is a word of documentation: a
// description made of such names reads as prose, and is judged as free
// text. Calls with arguments and markup that runs still block.
func TestAPINamesAreWords(t *testing.T) {
	e := newTestEngine(t)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for _, c := range []struct {
		description string
		block       bool
	}{
		{"Use fs.rmdir() or fs.rmdirSync() or fsPromises.rmdir() to remove a folder.", false},
		{"Use fs.rename() ou fs.renameSync() ou fsPromises.rename() para renomear uma pasta.", false},
		{"The Date() constructor creates Date objects.", false},
		{"Use fs.rmdir() or fs.rmdirSync() to remove it: require('child_process').exec('rm -rf /')", true},
		{"Use fs.rmdir() or fs.rmdirSync() or fsPromises.rmdir() <script>alert(1)</script>", true},
		{"Use fs.rmdir() or fs.rmdirSync() then process.mainModule.require('child_process').execSync('id') now", true},
		{"Use fs.rmdir() or fs.rmdirSync() or fsPromises.rmdir() to remove a folder' or 1=1 -- ", true},
	} {
		r := &Request{Method: "POST", URI: "/posts", Header: form, Body: []byte(url.Values{"description": {c.description}}.Encode())}
		if v := e.Inspect(r); (v.Action == Block) != c.block {
			t.Errorf("description %q: %v, want blocked=%v", c.description, v, c.block)
		}
	}
}

package replay_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect/replay"
)

// Read an nginx access log, one request a line; a line that is not
// combined log format is an error naming its line and column.
func Example() {
	log := `203.0.113.5 - - [10/Oct/2026:13:55:36 +0000] "GET /search?q=1%27%20or%201=1 HTTP/1.1" 200 12 "-" "sqlmap/1.7.2#stable"
192.0.2.10 - - [10/Oct/2026:13:55:41 +0000] "" 400 0 "-" "-"
GET /
`
	r, err := replay.NewReader(strings.NewReader(log), replay.AccessLog)
	if err != nil {
		panic(err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		if rec.NoRequest {
			fmt.Printf("line %d: a connection that sent no request\n", rec.Line)
			continue
		}
		fmt.Printf("line %d: %s %s (%s)\n", rec.Line, rec.Request.Method, rec.Request.URI, rec.Request.Header.Get("User-Agent"))
	}
	// Output:
	// line 1: GET /search?q=1%27%20or%201=1 (sqlmap/1.7.2#stable)
	// line 2: a connection that sent no request
	// error: 3:1: not combined log format: no [time]
}

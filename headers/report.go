package headers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
)

// A Report is one CSP violation reported by a browser, from either the CSP
// level 2 format (application/csp-report) or the Reporting API
// (application/reports+json). Every field comes from the browser unchecked:
// treat it as attacker-controlled. Strings are cut to 1 KiB, and the query
// and fragment of URLs are removed, since they may carry secrets.
type Report struct {
	DocumentURI        string `json:"documentURI,omitempty"`        // the page whose policy was violated
	Referrer           string `json:"referrer,omitempty"`           // the page's referrer
	ViolatedDirective  string `json:"violatedDirective,omitempty"`  // as sent; the effective directive in the Reporting API
	EffectiveDirective string `json:"effectiveDirective,omitempty"` // the directive that blocked, e.g. script-src-elem
	BlockedURI         string `json:"blockedURI,omitempty"`         // a URL, or inline, eval, data...
	SourceFile         string `json:"sourceFile,omitempty"`         // the script that caused it, if known
	Line               int    `json:"line,omitempty"`               // in SourceFile; 0 if unknown
	Column             int    `json:"column,omitempty"`             // in SourceFile; 0 if unknown
	StatusCode         int    `json:"statusCode,omitempty"`         // of the page's response
	Disposition        string `json:"disposition,omitempty"`        // enforce or report
	Sample             string `json:"sample,omitempty"`             // first characters of the blocked code, with 'report-sample'
}

// maxReportBody bounds a report request's body.
const maxReportBody = 64 << 10

// maxReportField bounds each string of a [Report], in bytes.
const maxReportField = 1024

// ReportHandler returns a handler for the CSP violation reports browsers
// POST to contentSecurityPolicy.reportPath. It calls onReport, in the
// request's goroutine, for each report (a Reporting API request may carry
// several; its reports of other types are skipped), then answers 204 No
// Content. A body over 64 KiB gets 413, one that is not a report 400, a
// method other than POST 405 and another content type 415; onReport is then
// not called. A nil onReport discards the reports.
func ReportHandler(onReport func(ctx context.Context, r Report)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "csp report: method must be POST", http.StatusMethodNotAllowed)
			return
		}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if !reportTypes[mt] {
			http.Error(w, "csp report: content type must be application/csp-report or application/reports+json", http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReportBody))
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				http.Error(w, "csp report: body larger than 64 KiB", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "csp report: reading body failed", http.StatusBadRequest)
			return
		}
		reports, err := parseReports(mt, body)
		if err != nil {
			http.Error(w, "csp report: "+err.Error(), http.StatusBadRequest)
			return
		}
		if onReport != nil {
			for _, rep := range reports {
				onReport(r.Context(), rep)
			}
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

var reportTypes = map[string]bool{
	"application/csp-report":   true,
	"application/reports+json": true,
	"application/json":         true, // sent by some older browsers and polyfills
}

// cspReport is the CSP level 2 report format.
type cspReport struct {
	Body *struct {
		DocumentURI        string  `json:"document-uri"`
		Referrer           string  `json:"referrer"`
		ViolatedDirective  string  `json:"violated-directive"`
		EffectiveDirective string  `json:"effective-directive"`
		BlockedURI         string  `json:"blocked-uri"`
		SourceFile         string  `json:"source-file"`
		Line               float64 `json:"line-number"`
		Column             float64 `json:"column-number"`
		StatusCode         float64 `json:"status-code"`
		Disposition        string  `json:"disposition"`
		Sample             string  `json:"script-sample"`
	} `json:"csp-report"`
}

// apiReport is one report of the Reporting API format.
type apiReport struct {
	Type string `json:"type"`
	Body *struct {
		DocumentURL        string  `json:"documentURL"`
		Referrer           string  `json:"referrer"`
		EffectiveDirective string  `json:"effectiveDirective"`
		BlockedURL         string  `json:"blockedURL"`
		SourceFile         string  `json:"sourceFile"`
		Line               float64 `json:"lineNumber"`
		Column             float64 `json:"columnNumber"`
		StatusCode         float64 `json:"statusCode"`
		Disposition        string  `json:"disposition"`
		Sample             string  `json:"sample"`
	} `json:"body"`
}

// parseReports decodes a report body of media type mt. For
// application/json, the shape decides: an object is a CSP level 2 report,
// an array Reporting API reports.
func parseReports(mt string, body []byte) ([]Report, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if mt == "application/json" && len(trimmed) > 0 && trimmed[0] == '[' {
		mt = "application/reports+json"
	}
	if mt == "application/reports+json" {
		var in []apiReport
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, fmt.Errorf("not a Reporting API JSON array: %v", jsonProblem(err))
		}
		var out []Report
		for i, r := range in {
			if r.Type != "csp-violation" {
				continue
			}
			b := r.Body
			if b == nil {
				return nil, fmt.Errorf("report %d: csp-violation without a body object", i)
			}
			out = append(out, clean(Report{
				DocumentURI: b.DocumentURL, Referrer: b.Referrer,
				ViolatedDirective: b.EffectiveDirective, EffectiveDirective: b.EffectiveDirective,
				BlockedURI: b.BlockedURL, SourceFile: b.SourceFile,
				Line: toInt(b.Line), Column: toInt(b.Column), StatusCode: toInt(b.StatusCode),
				Disposition: b.Disposition, Sample: b.Sample,
			}))
		}
		return out, nil
	}
	var in cspReport
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("not a CSP report JSON object: %v", jsonProblem(err))
	}
	b := in.Body
	if b == nil {
		return nil, errors.New(`no "csp-report" object`)
	}
	return []Report{clean(Report{
		DocumentURI: b.DocumentURI, Referrer: b.Referrer,
		ViolatedDirective: b.ViolatedDirective, EffectiveDirective: b.EffectiveDirective,
		BlockedURI: b.BlockedURI, SourceFile: b.SourceFile,
		Line: toInt(b.Line), Column: toInt(b.Column), StatusCode: toInt(b.StatusCode),
		Disposition: b.Disposition, Sample: b.Sample,
	})}, nil
}

// jsonProblem describes a decoding error without quoting the input.
func jsonProblem(err error) string {
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return fmt.Sprintf("%s has the wrong type (%s)", e.Field, e.Value)
	}
	return "invalid JSON"
}

func toInt(f float64) int {
	if f >= 0 && f < 1<<31 {
		return int(f)
	}
	return 0
}

// clean cuts r's strings and removes queries and fragments from its URLs.
func clean(r Report) Report {
	for _, u := range []*string{&r.DocumentURI, &r.Referrer, &r.BlockedURI, &r.SourceFile} {
		if i := strings.IndexAny(*u, "?#"); i >= 0 {
			*u = (*u)[:i]
		}
	}
	for _, s := range []*string{&r.DocumentURI, &r.Referrer, &r.ViolatedDirective, &r.EffectiveDirective,
		&r.BlockedURI, &r.SourceFile, &r.Disposition, &r.Sample} {
		*s = event.Truncate(*s, maxReportField)
	}
	return r
}

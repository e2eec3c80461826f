package headers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const (
	cspLevel2Report = `{"csp-report":{"document-uri":"https://app.example/login?token=s3cret#top","referrer":"",` +
		`"violated-directive":"script-src-elem","effective-directive":"script-src-elem",` +
		`"original-policy":"default-src 'self'","disposition":"enforce","blocked-uri":"https://evil.example/x.js",` +
		`"line-number":12,"column-number":3,"source-file":"https://app.example/app.js","status-code":200,"script-sample":""}}`
	reportingAPIReport = `[{"type":"deprecation","age":1,"url":"https://app.example/","body":{}},` +
		`{"type":"csp-violation","age":10,"url":"https://app.example/","user_agent":"Mozilla/5.0",` +
		`"body":{"documentURL":"https://app.example/","referrer":"https://search.example/?q=me","blockedURL":"inline",` +
		`"effectiveDirective":"style-src-attr","originalPolicy":"default-src 'self'","sourceFile":"https://app.example/",` +
		`"sample":"color: red","disposition":"report","statusCode":200,"lineNumber":1,"columnNumber":7}}]`
)

func TestReportHandler(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		status      int
		want        []Report
		message     string
	}{
		{"csp level 2", "POST", "application/csp-report", cspLevel2Report, 204, []Report{{
			DocumentURI: "https://app.example/login", ViolatedDirective: "script-src-elem", EffectiveDirective: "script-src-elem",
			BlockedURI: "https://evil.example/x.js", SourceFile: "https://app.example/app.js", Line: 12, Column: 3,
			StatusCode: 200, Disposition: "enforce",
		}}, ""},
		{"reporting api", "POST", "application/reports+json", reportingAPIReport, 204, []Report{{
			DocumentURI: "https://app.example/", Referrer: "https://search.example/", ViolatedDirective: "style-src-attr",
			EffectiveDirective: "style-src-attr", BlockedURI: "inline", SourceFile: "https://app.example/", Line: 1, Column: 7,
			StatusCode: 200, Disposition: "report", Sample: "color: red",
		}}, ""},
		{"json object", "POST", "application/json; charset=utf-8", `{"csp-report":{"blocked-uri":"eval"}}`, 204, []Report{{BlockedURI: "eval"}}, ""},
		{"json array", "POST", "application/json", ` [{"type":"csp-violation","body":{"blockedURL":"eval"}}]`, 204,
			[]Report{{BlockedURI: "eval"}}, ""},
		{"no csp reports in the batch", "POST", "application/reports+json", `[{"type":"intervention","body":{}}]`, 204, nil, ""},
		{"long strings cut", "POST", "application/csp-report", `{"csp-report":{"script-sample":"` + strings.Repeat("é", 600) + `"}}`, 204,
			[]Report{{Sample: strings.Repeat("é", 512)}}, ""},
		{"negative line", "POST", "application/csp-report", `{"csp-report":{"line-number":-4}}`, 204, []Report{{}}, ""},
		{"malformed json", "POST", "application/csp-report", `{"csp-report":`, 400, nil, "csp report: not a CSP report JSON object: invalid JSON"},
		{"wrong shape", "POST", "application/csp-report", `{"csp-report":{"line-number":"twelve"}}`, 400, nil, "csp-report.line-number has the wrong type"},
		{"missing csp-report", "POST", "application/csp-report", `{"report":{}}`, 400, nil, `no "csp-report" object`},
		{"reporting api object", "POST", "application/reports+json", `{"type":"csp-violation"}`, 400, nil, "not a Reporting API JSON array"},
		{"reporting api without body", "POST", "application/reports+json", `[{"type":"csp-violation"}]`, 400, nil, "report 0: csp-violation without a body object"},
		{"too large", "POST", "application/csp-report", `{"csp-report":{"script-sample":"` + strings.Repeat("a", 70<<10) + `"}}`, 413, nil, "larger than 64 KiB"},
		{"get", "GET", "", "", 405, nil, "method must be POST"},
		{"form", "POST", "application/x-www-form-urlencoded", "a=b", 415, nil, "content type must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Report
			h := ReportHandler(func(ctx context.Context, r Report) { got = append(got, r) })
			req := httptest.NewRequest(tt.method, "/.bulwark/csp-report", strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tt.message) {
				t.Errorf("body = %q, want it to contain %q", rec.Body, tt.message)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
		})
	}
	// A nil callback discards.
	req := httptest.NewRequest("POST", "/", strings.NewReader(cspLevel2Report))
	req.Header.Set("Content-Type", "application/csp-report")
	rec := httptest.NewRecorder()
	ReportHandler(nil).ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Errorf("nil onReport: status = %d, want 204", rec.Code)
	}
}

func FuzzParseReport(f *testing.F) {
	f.Add("application/csp-report", []byte(cspLevel2Report))
	f.Add("application/reports+json", []byte(reportingAPIReport))
	f.Add("application/json", []byte(`[{"type":"csp-violation","body":null}]`))
	f.Fuzz(func(t *testing.T, mt string, body []byte) {
		reports, err := parseReports(mt, body)
		if err != nil {
			return
		}
		for _, r := range reports {
			for _, s := range []string{r.DocumentURI, r.Referrer, r.ViolatedDirective, r.EffectiveDirective,
				r.BlockedURI, r.SourceFile, r.Disposition, r.Sample} {
				if len(s) > maxReportField || !utf8.ValidString(s) {
					t.Errorf("field %q too long or not UTF-8", s)
				}
			}
			for _, u := range []string{r.DocumentURI, r.Referrer, r.BlockedURI, r.SourceFile} {
				if strings.ContainsAny(u, "?#") {
					t.Errorf("URL %q keeps its query or fragment", u)
				}
			}
			if r.Line < 0 || r.Column < 0 || r.StatusCode < 0 {
				t.Errorf("negative number in %+v", r)
			}
		}
	})
}

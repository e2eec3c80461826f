package main

import (
	"net/url"
	"strconv"
	"strings"
)

// fileNames are names of files users download and upload: spaces,
// parentheses, apostrophes, ampersands, accents and several dots.
var fileNames = []string{
	"Q3 Report (final).pdf", "Q3 Report (final) (1).pdf", "O'Brien CV 2024.docx", "résumé_Zoë.pdf", "Budget & Plan.xlsx",
	"invoice #1042.pdf", "photo_2024-05-01 12.30.15.jpg", "IMG_4821.HEIC", "Screenshot 2024-06-03 at 09.41.22.png",
	"meeting notes – 12 June.txt", "export.csv", "orders_2024-01-01_to_2024-03-31.csv", "contract v3 FINAL (signed).pdf",
	"Mum's 60th — photos.zip", "Select Committee evidence.pdf", "Union agreement 2025.pdf", "release-notes v2.1.0.md",
	"data.json", "logo@2x.png", "presentation.key", "Drop-off instructions.pdf", "Where to find us (map).png",
	"年度報告.pdf", "Ålesund trip.jpg", "Backup of Notes.txt",
}

// files makes n downloads and uploads: signed download links, exports
// with date ranges, pre-signed storage URLs, and multipart uploads of
// small text files and CSVs.
func files(n int) []request {
	g := newGen("files", 8)
	for len(g.reqs) < n {
		name := pick(g, fileNames)
		switch k := g.intn(10); {
		case k < 3:
			g.add("GET", withQuery("/files/"+g.uuid()+"/download", "filename", name, "disposition", pick(g, []string{"attachment", "inline"})),
				g.browser(origin+"/documents"), "")
		case k < 4:
			g.add("GET", "/download/"+url.PathEscape(name), g.browser(origin+"/documents"), "")
		case k < 6:
			date := strings.ReplaceAll(g.date(), "-", "")
			g.add("GET", withQuery("/uploads/"+g.uuid()+"/"+url.PathEscape(name),
				"X-Amz-Algorithm", "AWS4-HMAC-SHA256", "X-Amz-Credential", "AKIA"+g.alphabet(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")+"/"+date+"/eu-west-1/s3/aws4_request",
				"X-Amz-Date", date+"T120000Z", "X-Amz-Expires", "3600", "X-Amz-SignedHeaders", "host",
				"response-content-disposition", `attachment; filename="`+name+`"`, "X-Amz-Signature", g.hex(64)),
				g.browser(origin+"/documents"), "")
		case k < 7:
			g.add("GET", withQuery("/api/v1/reports/export", "format", pick(g, []string{"csv", "xlsx", "pdf"}), "from", g.date(), "to", g.date(),
				"columns", "date,customer,amount,vat", "timezone", pick(g, timezones)), g.api(""), "")
		default:
			g.upload(name)
		}
	}
	return g.reqs[:n]
}

// upload posts a small file as multipart/form-data, as a browser does.
func (g *gen) upload(name string) {
	boundary := "----WebKitFormBoundary" + g.token(16)
	part := pick(g, []struct{ body, ctype, ext string }{
		{"name,email,company\nAoife O'Brien,aoife.obrien@example.ie,\"Ben & Jerry's\"\nJosé García,jose.garcia@example.com,Acme Corp.\n", "text/csv", "csv"},
		{"Meeting notes — 12 June\n\n- Select a venue for the offsite\n- Drop the Friday stand-up?\n- Update the roadmap (Dana)\n", "text/plain", "txt"},
		{`{"version":2,"items":[{"sku":"ABC-1234","qty":3},{"sku":"XYZ-0001","qty":1}]}`, "application/json", "json"},
	})
	name = strings.TrimSuffix(name, "."+lastExt(name)) + "." + part.ext
	var b strings.Builder
	b.WriteString("--" + boundary + "\r\n")
	b.WriteString(`Content-Disposition: form-data; name="title"` + "\r\n\r\n")
	b.WriteString(strings.TrimSuffix(name, "."+part.ext) + "\r\n")
	b.WriteString("--" + boundary + "\r\n")
	b.WriteString(`Content-Disposition: form-data; name="file"; filename="` + name + `"` + "\r\n")
	b.WriteString("Content-Type: " + part.ctype + "\r\n\r\n")
	b.WriteString(part.body + "\r\n")
	b.WriteString("--" + boundary + "--\r\n")
	h := g.api("multipart/form-data; boundary=" + boundary)
	g.add("POST", "/api/v1/documents?folder="+strconv.Itoa(g.between(1, 40)), h, b.String())
}

func lastExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

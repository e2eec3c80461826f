package inspect

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

var (
	ruleXXE     = newRule("bw-xxe-001", XXE, 5, "XML external entity: <!ENTITY … SYSTEM/PUBLIC, parameter entities, XInclude")
	ruleXMLBomb = newRule("bw-xxe-002", XXE, 5, "XML entity expansion (billion laughs)")
)

var (
	reXXE = pat(anyOf(
		`<!entity\s+(?:%\s*)?[\w.:-]+\s+(?:system|public)\b`,     // <!ENTITY xxe SYSTEM "file:///etc/passwd">: external entity
		`<!doctype\s+[\w.:-]+\s+(?:system|public)\s+['"][a-z]+:`, // <!DOCTYPE r SYSTEM "http://…/x.dtd">: external DTD by URL
		`<!entity\s+%`, // <!ENTITY % p …>: parameter entity (out-of-band XXE)
		`<\w*:?include\b[^>]*\bxmlns(?::\w+)?\s*=\s*['"]http://www\.w3\.org/2001/xinclude`, // <include xmlns="http://www.w3.org/2001/XInclude" href=…>
		`\bxi:include\b`, // <xi:include href="file:///etc/passwd"/>: XInclude
		`<!doctype[^>]*\[\s*<!entity[^>]*(?:system|public)`,                         // <!DOCTYPE r [<!ENTITY x SYSTEM …]>: internal subset with an external entity
		`%[\w.-]+;\s*(?:\]|%)`,                                                      // %dtd;]> or %p;%q;: parameter entity reference in a DTD
		`<!entity[^>]*['"](?:file|php|expect|jar|gopher|ftp|https?|netdoc|data)://`, // <!ENTITY x "php://filter/…">: entity value naming a URL scheme
		`\bxmlns:xi\s*=`, // xmlns:xi="…": XInclude namespace declared
		`<xsl:(?:value-of|copy-of)\s+select\s*=\s*['"](?:document|system-property|unparsed-text)\s*\(`, // <xsl:value-of select="document('/etc/passwd')">: XSLT file read
	))
	reXMLBomb = pat(`<!entity\s+\w+\s+['"](?:\s*&\w+;\s*){4,}`)
)

// xml inspects an XML body: entity declarations for XXE, then attribute
// values and text, named by element path (xml:/root/a@probe). It reports
// false if the body is not XML.
func (s *scan) xml(body []byte) bool {
	low := s.lower(bytesView(body))
	if strings.Contains(low, "<!") || strings.Contains(low, "include") || strings.Contains(low, "xsl:") {
		in := input{kind: kindBody, raw: low, dec: low, low: low, hints: scanHints(low)}
		if !s.matchRule(ruleXXE, reXXE, &in, low) {
			s.matchRule(ruleXMLBomb, reXMLBomb, &in, low)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	// where is the element path, "/root/a", kept as one buffer that
	// inputs view (they are not kept past their inspection): joining the
	// names for each value cost the depth times the names' length.
	var where []byte
	var ends []int // len(where) before each open element
	parsed := false
	for !s.stopped {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return parsed
		}
		if err != nil {
			return parsed
		}
		parsed = true
		switch t := tok.(type) {
		case xml.StartElement:
			if len(ends) >= s.e.maxDepth {
				s.limit(ruleTooDeep, "body")
				return true
			}
			ends = append(ends, len(where))
			where = append(append(where, '/'), t.Name.Local...)
			for _, a := range t.Attr {
				if a.Value != "" && s.count() {
					n := len(where)
					where = append(append(where, '@'), a.Name.Local...)
					s.inspect(&s.in, kindXML, bytesView(where), a.Value, false)
					where = where[:n]
				}
			}
		case xml.EndElement:
			if len(ends) > 0 {
				where = where[:ends[len(ends)-1]]
				ends = ends[:len(ends)-1]
			}
		case xml.CharData:
			v := strings.TrimSpace(string(t))
			if v != "" && s.count() {
				name := "/"
				if len(where) > 0 {
					name = bytesView(where)
				}
				s.inspect(&s.in, kindXML, name, v, false)
			}
		case xml.Comment:
			// Comments are not data the application reads.
		case xml.Directive, xml.ProcInst:
		}
	}
	return true
}

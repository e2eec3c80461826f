package inspect

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
)

// maxPartHeader bounds the header of one part.
const maxPartHeader = 8 << 10

// multipart inspects a multipart/form-data body: field names and values
// (in the charset of their part), file names, file contents that are
// text, and uploads ([scan.upload]). It reports false if the body cannot
// be parsed.
func (s *scan) multipart(body []byte, boundary string) bool {
	if boundary == "" {
		return false
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	parsed := false
	for !s.stopped {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return parsed
		}
		parsed = true
		if !s.count() {
			return true
		}
		name := part.FormName()
		if name == "" {
			_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			name = params["name"]
		}
		if name != "" {
			s.inspect(&s.in, kindMultipart, name, name, true)
		}
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		filename, hasFile := params["filename"]
		if !hasFile {
			filename, hasFile = params["filename*"]
		}
		if hasFile && filename != "" {
			s.inspect(&s.in, kindFilename, name, filename, false)
		}
		data, err := io.ReadAll(io.LimitReader(part, int64(len(body))))
		if err != nil {
			return parsed
		}
		if len(data) == 0 {
			continue
		}
		ct, params, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if cs := params["charset"]; cs != "" && !hasFile {
			var ok bool
			if data, ok = decodeCharset(cs, data, false); !ok {
				s.limit(ruleCharset, "multipart:"+name)
				return true
			}
		}
		v := bytesView(data)
		binary := hasFile && !printable(v)
		if hasFile {
			s.upload(name, ct, filename, data, binary)
		}
		switch {
		case ct == "application/json" || strings.HasSuffix(ct, "+json"):
			if s.jsonPart(data) {
				continue
			}
		case ct == "application/xml" || ct == "text/xml" || strings.HasSuffix(ct, "+xml"):
			if s.xml(data) {
				continue
			}
		}
		if binary {
			continue // what is text in it was inspected by upload
		}
		s.value(kindMultipart, name, v)
	}
	return true
}

// jsonPart inspects a JSON part, keeping the body's JSON path state.
func (s *scan) jsonPart(b []byte) bool {
	saved := append([]byte(nil), s.jpath...)
	ok := s.json(b)
	s.jpath = append(s.jpath[:0], saved...)
	return ok
}

package inspect

import (
	"bytes"
	"path"
	"strings"
)

// Uploads. A file part that says it is an image or a PDF must start like
// one: a "photo.jpg" holding a PHP script is how web shells are smuggled
// past upload filters. And text hidden in a binary part (a GIF comment
// carrying <?php …) is inspected: an app that includes or serves the file
// runs it.

var ruleUploadMismatch = newRule("bw-upload-001", Protocol, 5, "upload whose content does not match its declared image or PDF type")

const (
	// minRun is the shortest printable run after a marker that is
	// inspected: a short one occurs by chance in compressed image data.
	minRun = 12
	// maxRun bounds a run inspected, and maxRuns the runs per part.
	maxRun  = 4 << 10
	maxRuns = 16
)

// binaryTypes are the declared types whose content is checked against
// [knownMagic], by media type and by file extension.
var binaryTypes = map[string]bool{
	"image/jpeg": true, "image/pjpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"image/bmp": true, "image/x-ms-bmp": true, "image/tiff": true, "image/x-icon": true,
	"image/vnd.microsoft.icon": true, "image/heic": true, "image/heif": true, "image/avif": true,
	"application/pdf": true,
	".jpg":            true, ".jpeg": true, ".jpe": true, ".jfif": true, ".png": true, ".gif": true, ".webp": true,
	".bmp": true, ".tif": true, ".tiff": true, ".ico": true, ".heic": true, ".heif": true, ".avif": true,
	".pdf": true,
}

// declaredBinary reports whether a part with media type ct and file name
// filename says it is an image or a PDF.
func declaredBinary(ct, filename string) bool {
	return binaryTypes[ct] || binaryTypes[strings.ToLower(path.Ext(strings.TrimSpace(filename)))]
}

// knownMagic reports whether b starts as an image or PDF file does. Any
// of them satisfies any declared type: a PNG saved as .jpg is common and
// harmless.
func knownMagic(b []byte) bool {
	switch {
	case hasPrefix(b, 0xff, 0xd8, 0xff), // JPEG
		hasPrefix(b, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'),
		hasPrefix(b, 'G', 'I', 'F', '8', '7', 'a'), hasPrefix(b, 'G', 'I', 'F', '8', '9', 'a'),
		hasPrefix(b, 'B', 'M'),
		hasPrefix(b, 'I', 'I', '*', 0), hasPrefix(b, 'M', 'M', 0, '*'), // TIFF
		hasPrefix(b, 0, 0, 1, 0), hasPrefix(b, 0, 0, 2, 0), // ICO, CUR
		len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP",
		len(b) >= 12 && string(b[4:8]) == "ftyp": // HEIC, HEIF, AVIF
		return true
	}
	return bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-"))
}

// upload inspects the content of a file part named name that has media type
// ct: its magic against its declared type, and, if it is binary, the text
// runs in it that start like code (text is inspected whole by the caller).
func (s *scan) upload(name, ct, filename string, data []byte, binary bool) {
	if declaredBinary(ct, filename) && !knownMagic(data) {
		in := input{kind: kindMultipart, name: name}
		s.report(ruleUploadMismatch, &in, string(data[:min(len(data), fragmentLen)]))
	}
	if !binary {
		return
	}
	for i, run := range codeRuns(data) {
		if i == maxRuns || s.stopped {
			return
		}
		s.value(kindMultipart, name, run)
	}
}

// codeRuns returns the printable runs of b that start with a marker of
// code a server or browser would run: <?php, <?=, <%, <script. Each is
// at least minRun bytes and at most maxRun; at most maxRuns+1 are returned.
func codeRuns(b []byte) []string {
	var runs []string
	for i := 0; i < len(b) && len(runs) <= maxRuns; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if !codeMarker(b[i:]) {
			i++
			continue
		}
		end := i
		for end < len(b) && end-i < maxRun && printableByte(b[end]) {
			end++
		}
		if end-i >= minRun {
			runs = append(runs, string(b[i:end]))
		}
		i = max(end, i+1)
	}
	return runs
}

// codeMarker reports whether b starts with a marker of code.
func codeMarker(b []byte) bool {
	if len(b) < 3 {
		return false
	}
	switch b[1] {
	case '?':
		return b[2] == '=' || len(b) >= 5 && strings.EqualFold(string(b[2:5]), "php")
	case '%':
		return strings.IndexByte("=@!# \t\r\n-", b[2]) >= 0
	case 's', 'S':
		return len(b) >= 7 && strings.EqualFold(string(b[1:7]), "script")
	}
	return false
}

func printableByte(c byte) bool { return c >= 0x20 && c < 0x7f || c == '\t' || c == '\r' || c == '\n' }

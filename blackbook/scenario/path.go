package scenario

import (
	"strings"
)

// matchPath reports whether path matches one of the patterns (see
// [Filter].Path), without regard to ASCII case.
func matchPath(patterns []string, path string) bool {
	if path == "" {
		return false
	}
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if containsFold(path, prefix) {
				return true
			}
		} else if hasSuffixFold(path, p) {
			return true
		}
	}
	return false
}

// hasSuffixFold is strings.HasSuffix without regard to case; a pattern
// starts with "/", so the match starts at a segment.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// staticExts are extensions of assets that pages load by the dozen: a page
// with broken links makes many distinct 404s for them without probing.
var staticExts = []string{
	".js", ".mjs", ".css", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".avif",
	".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp4", ".webm", ".mp3",
}

// isStatic reports whether path names a static asset by its extension.
func isStatic(path string) bool {
	last := path[strings.LastIndexByte(path, '/')+1:]
	dot := strings.LastIndexByte(last, '.')
	if dot < 0 {
		return false
	}
	ext := last[dot:]
	for _, x := range staticExts {
		if strings.EqualFold(ext, x) {
			return true
		}
	}
	return false
}

package audit

import "strings"

// MaliciousAdvice is what to do about a malicious package: its code ran
// (or could run) with the rights of whoever installed it.
const MaliciousAdvice = "malicious: remove it, rotate every secret the machine held"

// IsMalicious reports whether an advisory id names a malicious package:
// OSV's malicious-packages entries are MAL-YYYY-N.
func IsMalicious(id string) bool { return strings.HasPrefix(id, "MAL-") }

// Malicious reports whether the finding says the package is malware
// rather than vulnerable: one of its advisories or their aliases is a
// MAL- entry.
func (f Finding) Malicious() bool {
	for _, id := range f.IDs {
		if IsMalicious(id) {
			return true
		}
	}
	for _, id := range f.Aliases {
		if IsMalicious(id) {
			return true
		}
	}
	return false
}

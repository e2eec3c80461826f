package lockfile

import "encoding/json"

// A byte scanner over JSON already known to be well formed (json.Valid):
// it finds members and elements with their offsets without decoding
// them, several times faster than encoding/json's Decoder. Given invalid
// JSON it would still stop at the end of data, but [jsonDoc] never gives
// it any.

// scanMembers calls fn with each member of the object at data[off] ('{').
func scanMembers(data []byte, off int, fn func(key string, val []byte, valOff int) error) error {
	i := skipSpace(data, off+1)
	for i < len(data) && data[i] != '}' {
		kEnd := skipString(data, i)
		key := string(data[i+1 : kEnd-1])
		if needsDecoding(data[i+1 : kEnd-1]) {
			json.Unmarshal(data[i:kEnd], &key)
		}
		i = skipSpace(data, kEnd)
		i = skipSpace(data, i+1) // ':'
		end := skipValue(data, i)
		if err := fn(key, data[i:end], i); err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return nil
}

// scanElements calls fn with each element of the array at data[off] ('[').
func scanElements(data []byte, off int, fn func(val []byte, valOff int) error) error {
	i := skipSpace(data, off+1)
	for i < len(data) && data[i] != ']' {
		end := skipValue(data, i)
		if err := fn(data[i:end], i); err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset after the string starting at data[i] ('"').
func skipString(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// skipValue returns the offset after the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = skipString(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i
	for j < len(data) {
		switch data[j] {
		case ' ', '\t', '\r', '\n', ',', '}', ']':
			return j
		}
		j++
	}
	return j
}

// needsDecoding reports whether a key is other than its bytes: escapes,
// or non-ASCII (encoding/json replaces invalid UTF-8).
func needsDecoding(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c >= 0x80 {
			return true
		}
	}
	return false
}

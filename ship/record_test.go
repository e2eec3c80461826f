package ship

import (
	"bytes"
	"testing"
)

// FuzzScanRecords feeds arbitrary segment contents to the record reader:
// it must never panic, the valid prefix must be within the input, and
// rescanning that prefix must give the same records with no corruption.
func FuzzScanRecords(f *testing.F) {
	var good []byte
	for i := range 3 {
		good = appendRecord(good, payload(i))
	}
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add(good[:5])
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	bad := append([]byte(nil), good...)
	bad[12] ^= 1
	f.Add(bad)
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs [][]byte
		valid, n, _ := scanRecords(bytes.NewReader(data), func(p []byte, _ int64) { recs = append(recs, bytes.Clone(p)) })
		if valid < 0 || valid > int64(len(data)) || n != len(recs) {
			t.Fatalf("valid = %d of %d bytes, %d records (%d seen)", valid, len(data), n, len(recs))
		}
		var again [][]byte
		v2, _, err := scanRecords(bytes.NewReader(data[:valid]), func(p []byte, _ int64) { again = append(again, bytes.Clone(p)) })
		if err != nil || v2 != valid || len(again) != len(recs) {
			t.Fatalf("rescan of the valid prefix: %d bytes, %d records, %v; want %d, %d, nil", v2, len(again), err, valid, len(recs))
		}
		var re []byte
		for _, p := range recs {
			re = appendRecord(re, p)
		}
		if !bytes.Equal(re, data[:valid]) {
			t.Fatal("re-encoding the records does not give the valid prefix")
		}
	})
}

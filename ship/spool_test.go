package ship

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testSpoolOptions() spoolOptions {
	return spoolOptions{MaxBytes: 1 << 20, SegmentSize: 4 << 10, Interval: 5 * time.Millisecond, MaxPending: 100}
}

func mustOpen(t *testing.T, dir string, o spoolOptions) *spool {
	t.Helper()
	s, err := openSpool(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func payload(i int) []byte {
	return fmt.Appendf(nil, `{"n":%d,"pad":"%s"}`, i, bytes.Repeat([]byte("x"), i%50))
}

// drain reads n records, acknowledging each batch, within a bounded time.
func drain(t *testing.T, s *spool, n int) [][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got [][]byte
	for len(got) < n {
		batch, err := s.next(ctx, min(37, n-len(got)), 0)
		if err != nil {
			t.Fatalf("after %d of %d records: %v", len(got), n, err)
		}
		for _, e := range batch {
			got = append(got, bytes.Clone(e.data))
		}
		s.ack(batch)
	}
	return got
}

func TestSpoolInOrderAcrossSegmentsAndRestart(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testSpoolOptions())
	for i := range 500 {
		if _, err := s.append(payload(i)); err != nil {
			t.Fatal(err)
		}
	}
	got := drain(t, s, 200)
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, dir, testSpoolOptions())
	defer s.close()
	for i := 500; i < 600; i++ {
		s.append(payload(i))
	}
	got = append(got, drain(t, s, 400)...)
	for i, p := range got {
		if !bytes.Equal(p, payload(i)) {
			t.Fatalf("record %d = %s, want %s", i, p, payload(i))
		}
	}
	if b, n := s.backlog(); n != 0 {
		t.Errorf("backlog after draining = %d records, %d bytes; want 0", n, b)
	}
}

func TestSpoolRemovesAcknowledgedSegments(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testSpoolOptions())
	for i := range 1000 {
		s.append(payload(i))
	}
	drain(t, s, 1000)
	s.close()
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	if len(segs) > 1 {
		t.Errorf("%d segment files left after every record was acknowledged: %v", len(segs), segs)
	}
}

func TestSpoolTornTailRecovery(t *testing.T) {
	for _, cut := range []int{1, 3, headerLen, headerLen + 2} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			dir := t.TempDir()
			o := testSpoolOptions()
			o.SegmentSize = 1 << 20
			s := mustOpen(t, dir, o)
			for i := range 10 {
				s.append(payload(i))
			}
			s.close()
			segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
			if len(segs) != 1 {
				t.Fatalf("segments = %v, want one", segs)
			}
			st, _ := os.Stat(segs[0])
			// Cut the last record short, as a crash mid-write would.
			last := int64(headerLen + len(payload(9)))
			if err := os.Truncate(segs[0], st.Size()-last+int64(cut)); err != nil {
				t.Fatal(err)
			}
			s = mustOpen(t, dir, o)
			defer s.close()
			s.append(payload(10))
			got := drain(t, s, 10)
			for i, want := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 10} {
				if !bytes.Equal(got[i], payload(want)) {
					t.Errorf("record %d = %s, want %s", i, got[i], payload(want))
				}
			}
		})
	}
}

func TestSpoolCorruptByteInTail(t *testing.T) {
	dir := t.TempDir()
	o := testSpoolOptions()
	o.SegmentSize = 1 << 20
	s := mustOpen(t, dir, o)
	for i := range 5 {
		s.append(payload(i))
	}
	s.close()
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	b, _ := os.ReadFile(segs[0])
	b[len(b)-2] ^= 0xff // flip a byte of the last payload: its CRC fails
	os.WriteFile(segs[0], b, 0o600)
	s = mustOpen(t, dir, o)
	defer s.close()
	if got := drain(t, s, 4); !bytes.Equal(got[3], payload(3)) {
		t.Errorf("last kept record = %s, want %s", got[3], payload(3))
	}
	if _, n := s.backlog(); n != 0 {
		t.Errorf("backlog = %d records after the corrupt one was cut, want 0", n)
	}
}

func TestSpoolBudgetDropsOldestAndCounts(t *testing.T) {
	dir := t.TempDir()
	o := testSpoolOptions()
	o.MaxBytes, o.SegmentSize = 64<<10, 8<<10
	s := mustOpen(t, dir, o)
	defer s.close()
	const n = 5000
	dropped := 0
	for i := range n {
		d, err := s.append(payload(i))
		if err != nil {
			t.Fatal(err)
		}
		dropped += d.Budget
	}
	if dropped == 0 {
		t.Fatal("no record dropped beyond the budget")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got [][]byte
	for len(got) < n-dropped {
		batch, err := s.next(ctx, 100, 0)
		if err != nil {
			t.Fatalf("read %d of %d kept records: %v", len(got), n-dropped, err)
		}
		for _, e := range batch {
			got = append(got, bytes.Clone(e.data))
		}
		s.ack(batch)
	}
	// The kept ones are the newest, in order.
	for i, p := range got {
		if want := payload(dropped + i); !bytes.Equal(p, want) {
			t.Fatalf("kept record %d = %s, want %s", i, p, want)
		}
	}
	if s.total > o.MaxBytes {
		t.Errorf("spool holds %d bytes, budget %d", s.total, o.MaxBytes)
	}
}

func TestSpoolUnreadableStateStartsOver(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testSpoolOptions())
	for i := range 3 {
		s.append(payload(i))
	}
	s.close()
	os.WriteFile(filepath.Join(dir, stateFile), []byte("{garbage"), 0o600)
	s = mustOpen(t, dir, testSpoolOptions())
	defer s.close()
	if got := drain(t, s, 3); !bytes.Equal(got[0], payload(0)) {
		t.Errorf("first record = %s", got[0])
	}
}

func TestSpoolRefusesASecondOpener(t *testing.T) {
	dir := t.TempDir()
	s, err := openSpool(dir, testSpoolOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openSpool(dir, testSpoolOptions()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second open = %v, want refused as in use", err)
	}
	s.close()
	s2, err := openSpool(dir, testSpoolOptions())
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s2.close()
}

// TestSpoolBatchAcrossSegmentsKeepsPayloads: a batch that takes several
// reads (it spans segments, or waits for more records) keeps every payload
// intact. Each read used to reuse the buffer of the one before, so a webhook
// got {"events":[…]} with records overwritten by others.
func TestSpoolBatchAcrossSegmentsKeepsPayloads(t *testing.T) {
	s := mustOpen(t, t.TempDir(), testSpoolOptions())
	defer s.close()
	const n = 300 // about 12 KiB: three segments of 4 KiB
	for i := range n {
		if _, err := s.append(payload(i)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []entry
	for len(got) < n {
		batch, err := s.next(ctx, n-len(got), 200*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, batch...)
		if len(got) < n && len(batch) == n {
			break
		}
		if len(batch) > 0 && len(batch) < n && len(got) == len(batch) {
			// The first batch must have spanned the segments to test
			// anything; it may stop early only at its wait.
			t.Logf("first batch: %d records", len(batch))
		}
	}
	for i, e := range got {
		if !bytes.Equal(e.data, payload(i)) {
			t.Fatalf("record %d = %q, want %q", i, e.data, payload(i))
		}
	}
}

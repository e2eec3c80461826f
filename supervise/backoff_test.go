package supervise

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	zero, fifth := 0.0, 0.2
	b := Backoff{Initial: time.Second, Max: 30 * time.Second, Multiplier: 2, Jitter: &zero}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := b.delay(i+1, 0.9); got != w {
			t.Errorf("delay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := b.delay(5000, 0); got != 30*time.Second {
		t.Errorf("delay(5000) = %v, want the cap", got)
	}
	b.Jitter = &fifth
	for _, tt := range []struct {
		r    float64
		want time.Duration
	}{{0, 800 * time.Millisecond}, {0.5, time.Second}, {0.999999, 1199999800 * time.Nanosecond}} {
		if got := b.delay(1, tt.r); got.Round(time.Microsecond) != tt.want.Round(time.Microsecond) {
			t.Errorf("delay(1, r=%v) with jitter 0.2 = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func TestFailureWindow(t *testing.T) {
	w := failureWindow{window: time.Minute}
	t0 := time.Unix(1e9, 0)
	for i, tt := range []struct {
		at   time.Duration
		want int
	}{{0, 1}, {10 * time.Second, 2}, {50 * time.Second, 3}, {65 * time.Second, 3}, {200 * time.Second, 1}} {
		if got := w.add(t0.Add(tt.at)); got != tt.want {
			t.Errorf("add #%d at +%v = %d, want %d", i, tt.at, got, tt.want)
		}
	}
}

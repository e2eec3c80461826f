package event

import (
	"slices"
	"testing"
	"time"
)

// A lone event reaches a batch subscriber at once, alone: nothing waits
// for company.
func TestSubscribeBatchPassesALoneEventAtOnce(t *testing.T) {
	b := NewBus(nil)
	defer b.Close()
	got := make(chan int, 1)
	b.SubscribeBatch("x", 0, 8, func(es []Event) { got <- len(es) })
	b.Publish(Event{Action: "one"})
	select {
	case n := <-got:
		if n != 1 {
			t.Errorf("a lone event came in a batch of %d", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a lone event was not passed within 5s")
	}
}

// Events queued behind a busy subscriber come in batches of at most max,
// in order, none lost.
func TestSubscribeBatchDrainsTheQueue(t *testing.T) {
	b := NewBus(nil)
	entered, release := make(chan struct{}), make(chan struct{})
	var sizes []int
	var actions []string
	b.SubscribeBatch("x", 0, 4, func(es []Event) {
		if es[0].Action == "gate" {
			close(entered)
			<-release
		}
		sizes = append(sizes, len(es))
		for _, e := range es {
			actions = append(actions, e.Action)
		}
	})
	b.Publish(Event{Action: "gate"})
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the subscriber did not start within 5s")
	}
	var want []string
	for i := range 10 {
		a := string(rune('a' + i))
		want = append(want, a)
		b.Publish(Event{Action: a})
	}
	close(release)
	b.Close() // waits for the queue to drain
	if !slices.Equal(sizes, []int{1, 4, 4, 2}) {
		t.Errorf("batch sizes %v, want [1 4 4 2]: the gate alone, then the 10 queued events by 4", sizes)
	}
	if !slices.Equal(actions[1:], want) {
		t.Errorf("events %v, want %v in order", actions[1:], want)
	}
	if st := b.Stats(); st[0].Delivered != 11 {
		t.Errorf("delivered %d, want 11", st[0].Delivered)
	}
}

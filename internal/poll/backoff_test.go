package poll

import (
	"testing"
	"time"
)

func TestBackoffDoublesCapsAndJitters(t *testing.T) {
	now := time.Unix(0, 0)
	b := backoff{base: time.Second, max: 8 * time.Second}
	var waits []time.Duration
	for range 6 {
		waits = append(waits, b.failed(now, 0.5).Sub(now))
	}
	want := []time.Duration{1, 2, 4, 8, 8, 8}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("waits = %v, want %v s", waits, want)
		}
	}
	if b.due(now.Add(7*time.Second)) || !b.due(now.Add(8*time.Second)) {
		t.Fatal("due must turn true exactly at the next attempt")
	}
	b.succeeded()
	if !b.due(now) || b.failed(now, 0.5) != now.Add(time.Second) {
		t.Fatal("success must reset the backoff to its base")
	}
	for _, tc := range []struct {
		jitter float64
		want   time.Duration
	}{
		{0, 1600 * time.Millisecond},
		{0.75, 2200 * time.Millisecond},
		{0.999, 2399200 * time.Microsecond},
		{7, 2 * time.Second}, // out of range: no jitter rather than a wild wait
		{-1, 2 * time.Second},
	} {
		b := backoff{base: 2 * time.Second, max: time.Minute}
		if got := b.failed(now, tc.jitter).Sub(now); got != tc.want {
			t.Errorf("jitter %v: wait %v, want %v", tc.jitter, got, tc.want)
		}
	}
}

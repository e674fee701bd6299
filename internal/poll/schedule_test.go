package poll

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

func TestUntilNextTick(t *testing.T) {
	const r = 5 * time.Second
	for _, c := range []struct {
		elapsed, wait time.Duration
		skipped       int
	}{
		{0, r, 0},
		{1200 * time.Millisecond, 3800 * time.Millisecond, 0},
		{7 * time.Second, 3 * time.Second, 1},
		{10 * time.Second, 5 * time.Second, 2},
		{29 * time.Second, time.Second, 5},
		{-time.Second, r, 0}, // a clock that went back
	} {
		wait, skipped := untilNextTick(c.elapsed, r)
		if wait != c.wait || skipped != c.skipped {
			t.Errorf("untilNextTick(%s) = %s, %d; want %s, %d", c.elapsed, wait, skipped, c.wait, c.skipped)
		}
	}
}

// A query slower than the refresh but within the deadline is waited for:
// its answer is used, the source is OK with the latency it took, and Run
// skips the ticks the refresh overran instead of starting the next at once.
func TestSlowerThanRefreshWithinDeadline(t *testing.T) {
	clock := newFakeClock()
	release := make(chan struct{})
	src := &fakeMetrics{answer: func(ctx context.Context, _ string) (model.Vector, []string, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		clock.Advance(12 * time.Second) // the server took 12s, over two refreshes
		return model.Vector{sample(1, "model", "a", "version", "1")}, nil, nil
	}}
	p := New(Options{
		Metrics: src, Queries: roleQueries(fleet.RoleRequestRate),
		Refresh: 5 * time.Second, Deadline: time.Hour, Now: clock.Now,
	})
	ch, unsubscribe := p.Hub().Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	close(release)
	var s fleet.Snapshot
	select {
	case s = <-ch:
	case <-time.After(waitLimit):
		t.Fatal("no snapshot")
	}
	if src := s.Sources[0]; !src.OK || src.Latency != 12*time.Second || len(s.Models) != 1 {
		t.Fatalf("source %+v, %d models; want OK after 12s with the answer", src, len(s.Models))
	}
	cancel()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("Run did not return after cancel")
	}
	if got := p.Stats(); got.SkippedTicks != 2 || got.Refreshes != 1 {
		t.Fatalf("stats %+v: want 1 refresh and the 2 ticks it overran skipped", got)
	}
}

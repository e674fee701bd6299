package poll

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// TestEveryQueriesLessOften: a query with Every is sent on the first
// refresh, skipped (its answer reused) until Every has passed, and retried
// at once after a failure.
func TestEveryQueriesLessOften(t *testing.T) {
	clock := newFakeClock()
	var failRef bool
	src := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		if expr == "ref" && failRef {
			return nil, nil, errRefused
		}
		return model.Vector{sample(1, "model", "m", "version", "1")}, nil, nil
	}}
	p := New(Options{Metrics: src, Now: clock.Now, Refresh: 5 * time.Second, Queries: []Query{
		{Name: "request_rate", Role: fleet.RoleRequestRate, Expr: "rate"},
		{Name: "ref", Role: fleet.RoleFeatureBucketsRef, Expr: "ref", Every: time.Minute},
	}})
	refs := func() int {
		src.mu.Lock()
		defer src.mu.Unlock()
		n := 0
		for _, e := range src.exprs {
			if e == "ref" {
				n++
			}
		}
		return n
	}
	for i := range 12 {
		s := p.PollOnce(context.Background())
		if !s.Queries[1].OK || s.Queries[1].Series != 1 {
			t.Fatalf("refresh %d: reference query %+v", i, s.Queries[1])
		}
		clock.Advance(5 * time.Second)
	}
	if got := refs(); got != 1 {
		t.Errorf("reference sent %d times in the first minute, want 1", got)
	}
	failRef = true
	p.PollOnce(context.Background()) // a minute on: due, fails
	clock.Advance(5 * time.Second)
	failRef = false
	s := p.PollOnce(context.Background()) // retried at once
	if got := refs(); got != 3 || !s.Queries[1].OK {
		t.Errorf("reference sent %d times, status %+v; want a retry right after the failure", got, s.Queries[1])
	}
	if src.Calls() != 14+3 {
		t.Errorf("calls %d: request_rate every refresh, the reference three times", src.Calls())
	}
}

func TestPollerRegistry(t *testing.T) {
	reg := &fakeRegistry{reg: fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn"}}}}
	p := New(Options{Registry: reg})
	if p.Registry() != nil {
		t.Fatal("registry before any read")
	}
	p.PollOnce(context.Background())
	if r := p.Registry(); r == nil || len(r.Models) != 1 || r.Models[0].Name != "churn" {
		t.Fatalf("registry = %+v", r)
	}
}

func TestPollerPassesModelNames(t *testing.T) {
	src := &fakeMetrics{answer: func(context.Context, string) (model.Vector, []string, error) {
		return model.Vector{sample(5, "model", "fraud-v2", "version", "3")}, nil, nil
	}}
	reg := &fakeRegistry{reg: fleet.Registry{Models: []fleet.RegisteredModel{{Name: "fraud", Aliases: map[string]string{"champion": "3"}}}}}
	p := New(Options{Metrics: src, Queries: roleQueries(fleet.RoleRequestRate), Registry: reg,
		ModelNames: map[string]string{"fraud-v2": "fraud"}})
	s := p.PollOnce(context.Background())
	if len(s.Models) != 1 || s.Models[0].Name != "fraud" || s.Models[0].ServingName != "fraud-v2" || !s.Models[0].Serving {
		t.Fatalf("models = %+v", s.Models)
	}
}

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

func TestOnRegistrySeesEachSuccessfulRead(t *testing.T) {
	reg := &fakeRegistry{reg: fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn"}}}}
	now := time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)
	var seen []time.Time
	var names []string
	p := New(Options{Registry: reg, RegistryRefresh: time.Minute, Now: func() time.Time { return now },
		OnRegistry: func(r fleet.Registry, at time.Time) {
			seen = append(seen, at)
			names = append(names, r.Models[0].Name)
		}})
	p.PollOnce(context.Background())
	now = now.Add(30 * time.Second) // before the next read is due
	p.PollOnce(context.Background())
	now = now.Add(30 * time.Second)
	reg.set(fleet.Registry{}, errors.New("mlflow down"))
	p.PollOnce(context.Background())
	reg.set(fleet.Registry{Models: []fleet.RegisteredModel{{Name: "fraud"}}}, nil)
	now = now.Add(2 * time.Minute) // past the backoff
	p.PollOnce(context.Background())
	want := []time.Time{time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC), now}
	if len(seen) != 2 || !seen[0].Equal(want[0]) || !seen[1].Equal(want[1]) || names[1] != "fraud" {
		t.Errorf("OnRegistry saw %v %v; want the two successful reads at %v", seen, names, want)
	}
}

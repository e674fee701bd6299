package poll

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// resumingRegistry is a registry whose read takes several attempts: each
// call reads step more models, and fails with the deadline until all are.
type resumingRegistry struct {
	mu          sync.Mutex
	done, total int
	step        int
	calls       int
}

func (r *resumingRegistry) Name() string { return "mlflow" }
func (r *resumingRegistry) Kind() string { return "mlflow" }

func (r *resumingRegistry) Registry(ctx context.Context) (fleet.Registry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.done = min(r.done+r.step, r.total)
	if r.done < r.total {
		return fleet.Registry{}, context.DeadlineExceeded
	}
	return fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn"}}}, nil
}

func (r *resumingRegistry) Progress() *fleet.Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done >= r.total {
		return nil
	}
	return &fleet.Progress{Done: r.done, Total: r.total, Unit: "models"}
}

func TestUnfinishedRegistryReadGoesOnAtTheNextRefreshAndShowsProgress(t *testing.T) {
	clock := newFakeClock()
	reg := &resumingRegistry{total: 10000, step: 3400}
	p := New(Options{Registry: reg, Now: clock.Now, Jitter: func() float64 { return 0.5 }})
	var seen []string
	for i := range 4 {
		s := p.PollOnce(context.Background())
		st := s.Sources[0]
		if i < 2 {
			if st.Progress == nil || st.OK || st.NextAttempt != (time.Time{}) {
				t.Fatalf("attempt %d: status %+v", i+1, st)
			}
			seen = append(seen, st.Progress.String())
			if want := "first read not finished: " + st.Progress.String(); st.Error != want {
				t.Errorf("error %q, want %q", st.Error, want)
			}
		}
		if i == 2 && (!st.OK || st.Progress != nil || findModel(t, s.Models, "churn") == nil) {
			t.Fatalf("third attempt completes: %+v", st)
		}
		clock.Advance(5 * time.Second) // one refresh: the read is due again at once
	}
	if reg.calls != 3 {
		t.Errorf("%d reads, want 3: each refresh goes on until complete, then RegistryRefresh applies", reg.calls)
	}
	if want := []string{"reading 3,400/10,000 models", "reading 6,800/10,000 models"}; len(seen) != 2 || seen[0] != want[0] || seen[1] != want[1] {
		t.Errorf("progress %q, want %q", seen, want)
	}
	if st := p.Stats(); st.RegistryErrors != 0 {
		t.Errorf("unfinished reads counted as errors: %+v", st)
	}
}

// stuckRegistry reports progress that never moves.
type stuckRegistry struct{ resumingRegistry }

func (r *stuckRegistry) Registry(ctx context.Context) (fleet.Registry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return fleet.Registry{}, errors.New("read registry: mlflow: server busy")
}

func TestRegistryReadThatStopsProgressingBacksOff(t *testing.T) {
	clock := newFakeClock()
	reg := &stuckRegistry{resumingRegistry{total: 100, done: 40}}
	p := New(Options{Registry: reg, Now: clock.Now, Jitter: func() float64 { return 0.5 }})
	first := p.PollOnce(context.Background()).Sources[0] // progress is new: no backoff yet
	if first.NextAttempt != (time.Time{}) {
		t.Fatalf("first: %+v", first)
	}
	clock.Advance(5 * time.Second)
	second := p.PollOnce(context.Background()).Sources[0]
	if second.NextAttempt.IsZero() || second.Error != "read registry: mlflow: server busy" || second.Progress == nil {
		t.Fatalf("an attempt that read nothing new is a failure with backoff, still showing progress: %+v", second)
	}
}

// busyError is a server's "try again in d".
type busyError struct{ d time.Duration }

func (e busyError) Error() string                 { return "mlflow: server busy (HTTP 503 Service Unavailable)" }
func (e busyError) RetryAfterHint() time.Duration { return e.d }

func TestRegistryRetryAfterPutsOffTheNextAttempt(t *testing.T) {
	clock := newFakeClock()
	reg := &fakeRegistry{err: fmt.Errorf("read registry: %w", busyError{30 * time.Second})}
	p := New(Options{Registry: reg, Now: clock.Now, Jitter: func() float64 { return 0.5 }})
	st := p.PollOnce(context.Background()).Sources[0]
	if want := clock.Now().Add(30 * time.Second); !st.NextAttempt.Equal(want) || st.Error != "read registry: mlflow: server busy (HTTP 503 Service Unavailable)" {
		t.Fatalf("status %+v, want the next attempt at %v", st, want)
	}
	for range 5 { // 25 s: not yet
		clock.Advance(5 * time.Second)
		p.PollOnce(context.Background())
	}
	if reg.Calls() != 1 {
		t.Fatalf("%d reads before the server's Retry-After", reg.Calls())
	}
	clock.Advance(5 * time.Second)
	p.PollOnce(context.Background())
	if reg.Calls() != 2 {
		t.Fatalf("%d reads once Retry-After passed", reg.Calls())
	}

	// A Retry-After beyond MaxBackoff waits MaxBackoff.
	reg.set(fleet.Registry{}, busyError{time.Hour})
	clock.Advance(time.Hour)
	st = p.PollOnce(context.Background()).Sources[0]
	if want := clock.Now().Add(DefaultMaxBackoff); !st.NextAttempt.Equal(want) {
		t.Errorf("next attempt %v, want %v", st.NextAttempt, want)
	}
}

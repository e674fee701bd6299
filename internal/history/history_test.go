package history

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// fakeRange answers with one sample per step whose value is its unix time,
// and records the ranges asked for.
type fakeRange struct {
	mu    sync.Mutex
	asked [][2]time.Time
}

func (f *fakeRange) QueryRange(_ context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	f.mu.Lock()
	f.asked = append(f.asked, [2]time.Time{start, end})
	f.mu.Unlock()
	ss := &model.SampleStream{Metric: model.Metric{"model": "m", "version": "1"}}
	for t := start; !t.After(end); t = t.Add(step) {
		ss.Values = append(ss.Values, model.SamplePair{Timestamp: model.TimeFromUnixNano(t.UnixNano()), Value: model.SampleValue(t.Unix())})
	}
	return model.Matrix{ss}, nil, nil
}

func TestFetchIsIncremental(t *testing.T) {
	src := &fakeRange{}
	now := time.Unix(1_000_000, 0)
	s := New(src, []Query{{Role: fleet.RoleRequestRate, Expr: "x"}}, func() time.Time { return now }, 0)
	k := Key{Role: fleet.RoleRequestRate, Model: "m", Version: "1"}

	w, err := s.Fetch(context.Background(), 10*time.Minute, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(w.Series[k]); got != 10 {
		t.Fatalf("first fill: %d points, want 10", got)
	}
	now = now.Add(2 * time.Minute)
	w, _ = s.Fetch(context.Background(), 10*time.Minute, time.Minute)
	if got := src.asked[1]; !got[0].Equal(time.Unix(1_000_000, 0).Truncate(time.Minute).Add(time.Minute)) {
		t.Fatalf("second fetch asked from %v, want just after the newest point held", got[0])
	}
	if got := len(w.Series[k]); got != 10 {
		t.Fatalf("after trim: %d points, want 10", got)
	}
	vals := w.Values(k)
	if len(vals) != 10 || math.IsNaN(vals[9]) || vals[9] != float64(w.End.Unix()) {
		t.Fatalf("values = %v (end %v)", vals, w.End.Unix())
	}
	// No new step yet: nothing is asked for.
	w2, _ := s.Fetch(context.Background(), 10*time.Minute, time.Minute)
	if len(src.asked) != 2 || len(w2.Series[k]) != 10 {
		t.Fatalf("asked %d times, want 2", len(src.asked))
	}
	if s.QueriesSent() != 2 {
		t.Fatalf("QueriesSent = %d", s.QueriesSent())
	}
}

func TestStepFor(t *testing.T) {
	if got := StepFor(time.Hour, 60, 5*time.Second); got != time.Minute {
		t.Errorf("1h over 60 columns = %s", got)
	}
	if got := StepFor(15*time.Minute, 1000, 5*time.Second); got != 5*time.Second {
		t.Errorf("never finer than the scrape interval: %s", got)
	}
	if got := StepFor(365*24*time.Hour, 100000, time.Second); int(365*24*time.Hour/got) > MaxPoints {
		t.Errorf("a year at 100000 columns = %s gives more than %d points", got, MaxPoints)
	}
}

package servinghistory

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
)

// fakeRange answers range queries from per-query matrices; it counts the
// queries and can hold them until released.
type fakeRange struct {
	mu      sync.Mutex
	exprs   []string
	answer  func(expr string, start, end time.Time, step time.Duration) (model.Matrix, error)
	release chan struct{} // nil: answer at once
	sent    atomic.Int32
}

func (f *fakeRange) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	f.sent.Add(1)
	f.mu.Lock()
	f.exprs = append(f.exprs, expr)
	f.mu.Unlock()
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	m, err := f.answer(expr, start, end, step)
	return m, nil, err
}

func series(labels model.Metric, start time.Time, step time.Duration, vs ...float64) *model.SampleStream {
	s := &model.SampleStream{Metric: labels}
	for i, v := range vs {
		s.Values = append(s.Values, model.SamplePair{Timestamp: model.TimeFromUnixNano(start.Add(time.Duration(i) * step).UnixNano()), Value: model.SampleValue(v)})
	}
	return s
}

var testQueries = []history.Query{
	{Role: fleet.RoleRequestRate, Expr: `sum by (model, version) (rate(model_predictions_total[1m]))`},
	{Role: fleet.RoleErrorRatio, Expr: `sum by (model, version) (rate(model_prediction_errors_total[1m])) / sum by (model, version) (rate(model_predictions_total[1m]))`},
	{Role: fleet.RolePerformance, Expr: `max by (model, version, metric) (model_performance)`},
}

// twoModels: churn served by v1 then v2; fraud by v5 throughout.
func twoModels(expr string, start, _ time.Time, step time.Duration) (model.Matrix, error) {
	mv := func(m, v string) model.Metric {
		return model.Metric{"model": model.LabelValue(m), "version": model.LabelValue(v)}
	}
	switch {
	case strings.Contains(expr, "errors"):
		return model.Matrix{series(mv("churn_svc", "1"), start, step, 0.01, 0.01, 0.01)}, nil
	case strings.Contains(expr, "performance"):
		return nil, errors.New("boom")
	}
	return model.Matrix{
		series(mv("churn_svc", "1"), start, step, 5, 5, 5),
		series(mv("churn_svc", "2"), start.Add(10*step), step, 5, 5),
		series(mv("fraud", "5"), start, step, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
	}, nil
}

func TestOneFleetReadServesEveryModelAndSession(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 30, 0, 0, time.UTC)
	f := &fakeRange{answer: twoModels, release: make(chan struct{})}
	latest := func() (fleet.Snapshot, bool) {
		return fleet.Snapshot{Models: []fleet.Model{{Name: "churn", ServingName: "churn_svc"}, {Name: "fraud"}}}, true
	}
	p := New(f, testQueries, Options{Now: func() time.Time { return now }, Latest: latest, MinStep: 15 * time.Second})
	var wg sync.WaitGroup
	results := make([]map[string][]fleet.ServedInterval, 20)
	errs := make([]error, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := []string{"churn", "fraud"}[i%2]
			results[i], errs[i] = p.Served(context.Background(), name, time.Time{}, time.Time{})
		}()
	}
	// Every caller is waiting on the one read before it is answered.
	deadline := time.Now().Add(10 * time.Second)
	for f.sent.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(f.release)
	wg.Wait()
	if n := f.sent.Load(); n != 3 {
		t.Fatalf("sent %d queries for 20 callers, want 3 (rates, errors, quality once)", n)
	}
	for _, e := range f.exprs {
		if !strings.Contains(e, "[1h]") && !strings.Contains(e, "model_performance") {
			t.Errorf("query %s was not widened to the hour's step", e)
		}
		if strings.Contains(e, `model="`) {
			t.Errorf("query %s was narrowed: the dashboard shares the fleet's read", e)
		}
	}
	for i, r := range results {
		if errs[i] == nil || !strings.Contains(errs[i].Error(), "performance") {
			t.Errorf("caller %d: err %v, want the failed quality read named", i, errs[i])
		}
		name := []string{"churn", "fraud"}[i%2]
		if len(r) != 1 || len(r[name]) == 0 {
			t.Fatalf("caller %d got %v, want %s only, under its registered name", i, r, name)
		}
	}
	churn := results[0]["churn"]
	if len(churn) != 2 || churn[0].Version != "1" || churn[1].Version != "2" || churn[0].ErrorRatio == nil {
		t.Errorf("churn = %+v, want v1 (with its error ratio) then v2", churn)
	}
	// Within the cache time no read is sent again.
	if _, err := p.Served(context.Background(), "", time.Time{}, time.Time{}); err == nil || f.sent.Load() != 3 {
		t.Errorf("a second call sent queries (%d) or lost the partial error (%v)", f.sent.Load(), err)
	}
	now = now.Add(6 * time.Minute)
	if _, _ = p.Served(context.Background(), "", time.Time{}, time.Time{}); f.sent.Load() != 6 {
		t.Errorf("after the cache time sent %d queries in all, want 6", f.sent.Load())
	}
}

func TestPerModelNarrowsAndAWaitingCallerStopsWithItsContext(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	f := &fakeRange{answer: twoModels, release: make(chan struct{})}
	p := New(f, testQueries[:1], Options{Now: func() time.Time { return now }, PerModel: true, Timeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := p.Served(ctx, "fraud", now.Add(-7*24*time.Hour), now)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for f.sent.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the caller's cancellation", err)
	}
	close(f.release)
	got, err := p.Served(context.Background(), "fraud", now.Add(-7*24*time.Hour), now)
	if err != nil || len(got["fraud"]) != 1 {
		t.Fatalf("got %v, %v", got, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.exprs) == 0 || !strings.Contains(f.exprs[0], `model="fraud"`) || !strings.Contains(f.exprs[0], "[14m]") {
		t.Errorf("query %v: want narrowed to fraud and widened to 7d/720 = 14m", f.exprs)
	}
}

func TestNewNeedsARequestRateQuery(t *testing.T) {
	if New(&fakeRange{}, testQueries[1:], Options{}) != nil {
		t.Error("a provider without request_rate: nothing tells serving")
	}
	if New(nil, testQueries, Options{}) != nil {
		t.Error("a provider without a range-query source")
	}
}

// The read's last step is the time asked for (to a twelfth of a step), not the
// whole hour before it: a version that began serving ten minutes ago shows.
func TestTheReadEndsAtTheTimeAskedFor(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 50, 20, 0, time.UTC)
	var gotStart, gotEnd time.Time
	f := &fakeRange{answer: func(expr string, start, end time.Time, step time.Duration) (model.Matrix, error) {
		if !strings.Contains(expr, "predictions_total") || strings.Contains(expr, "errors") {
			return nil, nil
		}
		gotStart, gotEnd = start, end // only here: the three queries run at once
		// Only the last step has the new version's traffic.
		s := series(model.Metric{"model": "fresh", "version": "1"}, end, step, 3)
		return model.Matrix{s}, nil
	}}
	p := New(f, testQueries, Options{Now: func() time.Time { return now }, MinStep: 15 * time.Second})
	got, err := p.Served(context.Background(), "fresh", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 31, 12, 50, 0, 0, time.UTC); !gotEnd.Equal(want) {
		t.Errorf("read ends %v, want %v (now, to five minutes at an hour's step)", gotEnd, want)
	}
	if step := time.Hour; gotEnd.Sub(gotStart)%step != 0 || now.Sub(gotStart) < DefaultRange {
		t.Errorf("read starts %v: want whole steps back from the end, covering %s", gotStart, DefaultRange)
	}
	if ivs := got["fresh"]; len(ivs) != 1 || !ivs[0].To.Equal(gotEnd) || !ivs[0].From.Equal(gotEnd.Add(-time.Hour)) {
		t.Errorf("intervals %+v, want the fresh version serving at the last step", got)
	}
}

// Asks a little apart share one read (its end moves in twelfths of a
// step); the newest read of a range replaces the older one; a read that
// found no traffic is not kept.
func TestReadsShareTheCacheAndKeepOnlyTheNewest(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 50, 20, 0, time.UTC)
	f := &fakeRange{answer: twoModels}
	p := New(f, testQueries, Options{Now: func() time.Time { return now }, MinStep: 15 * time.Second})
	ask := func() {
		t.Helper()
		if _, err := p.Served(context.Background(), "", time.Time{}, time.Time{}); err == nil {
			t.Fatal("want the failed quality read named")
		}
	}
	for range 10 { // 12:50:20 to 12:52:35: one read
		ask()
		now = now.Add(15 * time.Second)
	}
	if n := f.sent.Load(); n != 3 {
		t.Errorf("10 asks 15 s apart sent %d queries, want 3 (one read)", n)
	}
	now = time.Date(2026, 3, 31, 12, 55, 1, 0, time.UTC) // the next five minutes
	ask()
	p.mu.Lock()
	entries := len(p.cache)
	p.mu.Unlock()
	if n := f.sent.Load(); n != 6 || entries != 1 {
		t.Errorf("after the end moved: %d queries (want 6), %d cache entries (want 1: the newest)", n, entries)
	}

	empty := &fakeRange{answer: func(string, time.Time, time.Time, time.Duration) (model.Matrix, error) { return nil, nil }}
	q := New(empty, testQueries, Options{Now: func() time.Time { return now }, MinStep: 15 * time.Second})
	for range 2 {
		if _, err := q.Served(context.Background(), "", time.Time{}, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := empty.sent.Load(); n != 6 {
		t.Errorf("an empty read was reused: %d queries for two asks, want 6", n)
	}
}

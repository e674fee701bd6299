package wiring

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/poll"
)

// downSource answers every query with one series while up, and fails
// every query while down.
type downSource struct {
	askedSource
	down atomic.Bool
}

var errRefused = errors.New("connection refused")

func (s *downSource) Query(_ context.Context, expr string, _ time.Time) (model.Vector, []string, error) {
	s.ask(expr)
	if s.down.Load() {
		return nil, nil, errRefused
	}
	return model.Vector{{Metric: model.Metric{"model": "fraud", "version": "3"}, Value: 1}}, nil, nil
}

func (s *downSource) QueryTable(ctx context.Context, expr string, at time.Time, labels []string) (*labelrows.Table, []string, error) {
	vec, w, err := s.Query(ctx, expr, at)
	if err != nil {
		return nil, w, err
	}
	return labelrows.FromVector(vec, labels), w, nil
}

// After re-detection chose Triton, which fills only a few roles, a server
// that goes down leaves the metrics source failed: the roles Triton does
// not fill were never asked, so they cannot count as answers.
func TestRedetectedServerDownIsNotOK(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	base := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n")
	n := &namer{err: errRefused}
	cfg := detectWith(context.Background(), base, n, time.Now(), log)
	src := &downSource{}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	r := withRedetect(cfg, src, n, log).(*redetectSource)
	r.now = func() time.Time { return now }
	r.retryAt = now.Add(profileRetry)
	queries, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := poll.New(poll.Options{Metrics: r, Queries: queries, Now: func() time.Time { return now }, Jitter: func() float64 { return 0 }})
	ctx := context.Background()

	// The minute passes; the server is up and holds Triton's metrics.
	n.err, n.names = nil, []string{"nv_inference_request_success"}
	now = now.Add(2 * profileRetry)
	snap := p.PollOnce(ctx)
	st := snap.Sources[0]
	if !st.OK || st.Profiles == nil || !st.Profiles.Detected {
		t.Fatalf("after detection: %+v profiles %+v", st, st.Profiles)
	}
	if len(snap.Queries) == 0 || len(snap.Queries) >= len(queries) {
		t.Fatalf("%d of %d queries listed; want only the roles Triton fills", len(snap.Queries), len(queries))
	}
	lastSuccess := st.LastSuccess

	// The server goes down.
	src.down.Store(true)
	now = now.Add(2 * profileRetry)
	snap = p.PollOnce(ctx)
	st = snap.Sources[0]
	if st.OK || st.Error == "" || !st.LastSuccess.Equal(lastSuccess) {
		t.Errorf("server down: source OK %v error %q last success %v (was %v)", st.OK, st.Error, st.LastSuccess, lastSuccess)
	}
	for _, q := range snap.Queries {
		if q.OK {
			t.Errorf("query %s (%s) OK with the server down", q.Name, q.Role)
		}
	}
}

// blockingNamer holds its answer until released.
type blockingNamer struct {
	asked, release chan struct{}
}

func (b *blockingNamer) MetricNames(ctx context.Context, _ []string, _, _ time.Time, _ int) ([]string, error) {
	close(b.asked)
	select {
	case <-b.release:
		return []string{"nv_inference_request_success"}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// While the server is slow to say which profiles it holds, queries and
// graphs do not wait for it, and they keep reading every exporter profile
// until the answer is swapped in.
func TestRedetectDoesNotHoldQueriesWhileAsking(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg := detectWith(context.Background(), detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n"), &namer{err: errRefused}, time.Now(), log)
	b := &blockingNamer{asked: make(chan struct{}), release: make(chan struct{})}
	src := &askedSource{}
	r := withRedetect(cfg, src, b, log).(*redetectSource)
	r.retryAt = time.Time{}
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	var profileExpr string
	for _, q := range qs {
		if q.Role == "profile" {
			profileExpr = q.Expr
		}
	}
	ctx := context.Background()
	prepared := make(chan struct{})
	go func() {
		r.PreparePoll(ctx)
		close(prepared)
	}()
	<-b.asked
	answered := make(chan error, 1)
	go func() {
		_, _, err := r.QueryRange(ctx, profileExpr, time.Now().Add(-time.Hour), time.Now(), time.Minute)
		answered <- err
	}()
	select {
	case err := <-answered:
		if err != nil {
			t.Errorf("before the answer a graph got %v; want every exporter profile read", err)
		}
	case <-time.After(2 * time.Second): // well inside the question's own 5s limit
		t.Fatal("a graph waited for the profile question")
	}
	close(b.release)
	<-prepared
	if _, _, err := r.Query(ctx, profileExpr, time.Now()); !errors.Is(err, poll.ErrNotAsked) {
		t.Errorf("after Triton was detected, the profile role answered %v; want not asked", err)
	}
}

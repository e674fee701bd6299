package selfmetrics

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

// clock is a clock the fake source moves, as if each query took a while.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// slowSource takes queryTime of the clock per query, and fails every
// query whose expression is "fail".
type slowSource struct{ clock *clock }

const queryTime = 250 * time.Millisecond

func (s slowSource) Name() string { return "fake" }
func (s slowSource) Kind() string { return "prometheus" }
func (s slowSource) Query(_ context.Context, expr string, _ time.Time) (model.Vector, []string, error) {
	s.clock.advance(queryTime)
	if expr == "fail" {
		return nil, nil, errors.New("boom")
	}
	return model.Vector{{Metric: model.Metric{"model": "m", "version": "1"}, Value: 1}}, nil, nil
}

func TestRefreshDurationsAndPollerTotals(t *testing.T) {
	c := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := poll.New(poll.Options{
		Metrics: slowSource{c}, Now: c.Now, MaxBackoff: time.Second, Refresh: time.Second,
		Queries: []poll.Query{{Name: "rate", Role: fleet.RoleRequestRate, Expr: "ok"}},
	})
	m := New(Options{Stats: p.Stats, Now: c.Now})
	ctx, cancel := context.WithCancel(context.Background())
	ch, unsubscribe := p.Hub().Subscribe()
	defer unsubscribe()
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		m.observe(ctx, ch, false)
	}()
	for i := uint64(1); i <= 3; i++ {
		p.PollOnce(ctx)
		// The next refresh moves the clock: wait until this one is seen.
		deadline := time.Now().Add(10 * time.Second)
		for histogram(t, m).GetSampleCount() < i {
			if time.Now().After(deadline) {
				t.Fatalf("refresh %d not observed", i)
			}
			runtime.Gosched()
		}
	}
	cancel()
	<-watching
	h := histogram(t, m)
	if want := queryTime.Seconds() * float64(h.GetSampleCount()); math.Abs(h.GetSampleSum()-want) > 1e-9 {
		t.Errorf("durations sum to %v over %d refreshes, want %v each", h.GetSampleSum(), h.GetSampleCount(), queryTime.Seconds())
	}
	st := p.Stats()
	text := scrape(t, m)
	for _, want := range []string{
		"mltop_refreshes_total " + itoa(st.Refreshes),
		"mltop_queries_total " + itoa(st.QueriesSent),
		"mltop_query_errors_total 0",
		"mltop_refresh_ticks_skipped_total 0",
		"# TYPE mltop_refresh_duration_seconds histogram",
		"mltop_ssh_sessions 0",
		"go_goroutines ",
	} {
		if !strings.Contains(text, want+"\n") && !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
}

func TestQueryErrorsAndSessionsAndActions(t *testing.T) {
	c := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := poll.New(poll.Options{
		Metrics: slowSource{c}, Now: c.Now,
		Queries: []poll.Query{{Name: "bad", Role: fleet.RoleRequestRate, Expr: "fail"}},
	})
	p.PollOnce(context.Background())
	m := New(Options{Stats: p.Stats})
	m.SessionOpened()
	m.SessionOpened()
	m.SessionClosed()
	m.SessionRefused("full")
	m.ActionDone("rollback", "refused")
	m.ActionDone("rollback", "succeeded")
	m.ActionDone("rollback", "refused")
	text := scrape(t, m)
	for _, want := range []string{
		"mltop_query_errors_total 1",
		"mltop_ssh_sessions 1",
		`mltop_ssh_sessions_refused_total{reason="full"} 1`,
		`mltop_actions_total{action="rollback",outcome="refused"} 2`,
		`mltop_actions_total{action="rollback",outcome="succeeded"} 1`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
}

func TestASnapshotFromBeforeTheSubscriptionIsNotARefresh(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Now: func() time.Time { return now }})
	ch := make(chan fleet.Snapshot, 2)
	ch <- fleet.Snapshot{TakenAt: now.Add(-time.Hour)}
	ch <- fleet.Snapshot{TakenAt: now.Add(-time.Second)}
	close(ch)
	m.observe(context.Background(), ch, true)
	if h := histogram(t, m); h.GetSampleCount() != 1 || h.GetSampleSum() != 1 {
		t.Errorf("observed %d refreshes summing to %vs, want one of 1s", h.GetSampleCount(), h.GetSampleSum())
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.SessionOpened()
	m.SessionClosed()
	m.SessionRefused("full")
	m.ActionDone("rollback", "failed")
	m.Watch(context.Background(), poll.NewHub())
}

func histogram(t *testing.T, m *Metrics) interface {
	GetSampleCount() uint64
	GetSampleSum() float64
} {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "mltop_refresh_duration_seconds" {
			return f.GetMetric()[0].GetHistogram()
		}
	}
	t.Fatal("no refresh histogram")
	return nil
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func itoa(n uint64) string { return model.SampleValue(n).String() }

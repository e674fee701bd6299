package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// fleetAnswer answers every role for n models × 2 versions.
func fleetAnswer(n int) func(context.Context, string) (model.Vector, []string, error) {
	return func(_ context.Context, expr string) (model.Vector, []string, error) {
		var vec model.Vector
		for i := range n {
			for _, ver := range []string{"1", "2"} {
				labels := []string{"model", modelName(i), "version", ver}
				switch fleet.Role(expr) {
				case fleet.RolePerformance:
					labels = append(labels, "metric", "auc")
				case fleet.RoleTrafficWeight:
					labels = append(labels, "track", map[string]string{"1": "stable", "2": "canary"}[ver])
				case fleet.RoleDriftScore:
					labels = append(labels, "feature", "f", "method", "psi")
				case fleet.RoleRolloutInfo:
					labels = []string{"model", modelName(i), "phase", "Healthy"}
				}
				vec = append(vec, sample(0.5, labels...))
			}
		}
		return vec, nil, nil
	}
}

func TestQueriesPerRefreshDoNotGrowWithTheFleet(t *testing.T) {
	queries := roleQueries(fleet.AllRoles...)
	for _, models := range []int{10, 1000} {
		t.Run(fmt.Sprint(models), func(t *testing.T) {
			src := &fakeMetrics{answer: fleetAnswer(models)}
			p := New(Options{Metrics: src, Queries: queries})
			for round := 1; round <= 2; round++ {
				s := p.PollOnce(context.Background())
				if len(s.Models) != models {
					t.Fatalf("models = %d, want %d", len(s.Models), models)
				}
				if got, want := src.Calls(), round*len(queries); got != want {
					t.Fatalf("after %d refreshes the source got %d queries, want %d", round, got, want)
				}
			}
			st := p.Stats()
			if st.QueriesSent != uint64(2*len(queries)) || st.Refreshes != 2 || st.QueryErrors != 0 {
				t.Fatalf("stats = %+v", st)
			}
		})
	}
}

// errRefused is what a dial to a closed port returns, wrapped as net/http does.
var errRefused = fmt.Errorf("query request_rate: %w", &url.Error{Op: "Post", URL: "http://127.0.0.1:9/api/v1/query",
	Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}})

func TestBackoffSkipsAttemptsAndRecovers(t *testing.T) {
	clock := newFakeClock()
	start := clock.Now()
	var mu sync.Mutex
	batch := 0 // which attempt the source is answering, from 0
	failing := map[int]bool{1: true, 2: true, 3: true}
	src := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		mu.Lock()
		defer mu.Unlock()
		if failing[batch] {
			return nil, nil, errRefused
		}
		return model.Vector{sample(float64(batch), "model", "a", "version", "1")}, nil, nil
	}}
	queries := roleQueries(fleet.RoleRequestRate)
	p := New(Options{
		Metrics: src, Queries: queries, Now: clock.Now,
		Refresh: 5 * time.Second, MaxBackoff: 15 * time.Second,
		Jitter: func() float64 { return 0.5 }, // factor 1.0
	})
	steps := []struct {
		at        time.Duration
		attempt   bool // whether the source is queried at this refresh
		ok        bool
		value     float64
		next      time.Duration // NextAttempt after start; 0 = none
		lastOK    time.Duration
		errorText string
	}{
		{at: 0, attempt: true, ok: true, value: 0},
		{at: 5 * time.Second, attempt: true, value: 0, next: 10 * time.Second, errorText: "connection refused"},  // wait 5s
		{at: 10 * time.Second, attempt: true, value: 0, next: 20 * time.Second, errorText: "connection refused"}, // wait 10s
		{at: 15 * time.Second, value: 0, next: 20 * time.Second, errorText: "connection refused"},
		{at: 20 * time.Second, attempt: true, value: 0, next: 35 * time.Second, errorText: "connection refused"}, // capped at 15s
		{at: 25 * time.Second, value: 0, next: 35 * time.Second, errorText: "connection refused"},
		{at: 30 * time.Second, value: 0, next: 35 * time.Second, errorText: "connection refused"},
		{at: 35 * time.Second, attempt: true, ok: true, value: 4, lastOK: 35 * time.Second},
		{at: 40 * time.Second, attempt: true, ok: true, value: 5, lastOK: 40 * time.Second},
	}
	calls := 0
	for _, st := range steps {
		clock.Advance(start.Add(st.at).Sub(clock.Now()))
		if st.attempt {
			mu.Lock()
			batch = calls
			mu.Unlock()
		}
		s := p.PollOnce(context.Background())
		if st.attempt {
			calls++
		}
		if got := src.Calls(); got != calls {
			t.Fatalf("t=%v: source queried %d times, want %d", st.at, got, calls)
		}
		if !s.TakenAt.Equal(start.Add(st.at)) {
			t.Fatalf("t=%v: snapshot taken at %v", st.at, s.TakenAt)
		}
		src := s.Sources[0]
		if src.OK != st.ok || src.Error != st.errorText {
			t.Fatalf("t=%v: source ok=%v error=%q, want %v %q", st.at, src.OK, src.Error, st.ok, st.errorText)
		}
		wantNext := time.Time{}
		if st.next > 0 {
			wantNext = start.Add(st.next)
		}
		if !src.NextAttempt.Equal(wantNext) {
			t.Fatalf("t=%v: next attempt %v, want %v", st.at, src.NextAttempt.Sub(start), st.next)
		}
		q := s.Queries[0]
		if q.OK != st.ok || !q.LastSuccess.Equal(start.Add(st.lastOK)) || src.LastSuccess != q.LastSuccess {
			t.Fatalf("t=%v: query %+v", st.at, q)
		}
		// A stale cell keeps its last value; its age grows with the clock.
		if age := q.Age(s.TakenAt); age != st.at-st.lastOK {
			t.Fatalf("t=%v: age %v, want %v", st.at, age, st.at-st.lastOK)
		}
		v := findVersion(t, findModel(t, s.Models, "a"), "1")
		if !eqPtr(v.RequestsPerSecond, st.value) {
			t.Fatalf("t=%v: rps = %v, want %v", st.at, v.RequestsPerSecond, st.value)
		}
		if latest, _ := p.Hub().Latest(); !latest.TakenAt.Equal(s.TakenAt) {
			t.Fatalf("t=%v: hub has %v, the refresh was not published", st.at, latest.TakenAt)
		}
	}
	if st := p.Stats(); st.Refreshes != uint64(len(steps)) || st.QueryErrors != 3 || st.QueriesSent != uint64(calls) {
		t.Fatalf("stats = %+v", st)
	}
}

func TestPartialFailureKeepsSourceOK(t *testing.T) {
	src := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		switch fleet.Role(expr) {
		case fleet.RoleErrorRatio:
			return nil, nil, errors.New("bad_data: 1:8: parse error: unexpected \")\"")
		case fleet.RoleRequestRate:
			return model.Vector{sample(3, "model", "a", "version", "1")}, []string{"store eu down", "store us slow"}, nil
		}
		return model.Vector{sample(0.1, "model", "a", "version", "1")}, []string{"store eu down"}, nil
	}}
	p := New(Options{Metrics: src, Queries: roleQueries(fleet.RoleRequestRate, fleet.RoleErrorRatio, fleet.RoleLatencyP95)})
	s := p.PollOnce(context.Background())
	ss := s.Sources[0]
	if !ss.OK || ss.Error != "" || ss.Name != "fake-prom" || ss.Kind != "prometheus" || ss.Backend != "thanos" {
		t.Fatalf("source = %+v", ss)
	}
	if want := []string{"store eu down", "store us slow"}; fmt.Sprint(ss.Warnings) != fmt.Sprint(want) {
		t.Fatalf("warnings = %q, want %q", ss.Warnings, want)
	}
	byName := map[string]fleet.QueryStatus{}
	for _, q := range s.Queries {
		byName[q.Name] = q
	}
	if q := byName["error_ratio"]; q.OK || q.Error != `bad_data: 1:8: parse error: unexpected ")"` || !q.LastSuccess.IsZero() || q.Source != "fake-prom" {
		t.Fatalf("failed query = %+v", q)
	}
	if q := byName["request_rate"]; !q.OK || q.Series != 1 || q.Role != fleet.RoleRequestRate {
		t.Fatalf("good query = %+v", q)
	}
	if p.Stats().QueryErrors != 1 {
		t.Fatalf("stats = %+v", p.Stats())
	}
}

func TestDeadlineBoundsARefresh(t *testing.T) {
	release := make(chan struct{})
	src := &fakeMetrics{answer: func(ctx context.Context, expr string) (model.Vector, []string, error) {
		switch expr {
		case "honours":
			<-ctx.Done()
			return nil, nil, fmt.Errorf("query: %w", ctx.Err())
		case "ignores": // does not look at ctx at all
			<-release
			return model.Vector{sample(1, "model", "late")}, nil, nil
		}
		return model.Vector{sample(1, "model", "a", "version", "1")}, nil, nil
	}}
	p := New(Options{Metrics: src, Deadline: 50 * time.Millisecond, Queries: []Query{
		{Name: "fast", Role: fleet.RoleRequestRate, Expr: "fast"},
		{Name: "honours", Role: fleet.RoleErrorRatio, Expr: "honours"},
		{Name: "ignores", Role: fleet.RoleLatencyP95, Expr: "ignores"},
	}})
	s := p.PollOnce(context.Background())
	close(release) // let the abandoned call finish; goleak checks it exits
	if !s.Sources[0].OK {
		t.Fatalf("one query answered, the source must stay OK: %+v", s.Sources[0])
	}
	for _, q := range s.Queries[1:] {
		if q.OK || q.Error != "timed out after 50ms" {
			t.Errorf("query %s = ok %v %q", q.Name, q.OK, q.Error)
		}
	}
	if len(s.Models) != 1 || s.Models[0].Name != "a" {
		t.Fatalf("a late answer leaked into the snapshot: %v", modelNames(s.Models))
	}
}

func TestShutdownIsNotASourceFailure(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	first := true
	src := &fakeMetrics{answer: func(qctx context.Context, _ string) (model.Vector, []string, error) {
		if first {
			first = false
			return model.Vector{sample(1, "model", "a", "version", "1")}, nil, nil
		}
		cancel()
		<-qctx.Done()
		return nil, nil, qctx.Err()
	}}
	p := New(Options{Metrics: src, Queries: roleQueries(fleet.RoleRequestRate)})
	p.PollOnce(ctx)
	s := p.PollOnce(ctx)
	if !s.Sources[0].OK || !s.Queries[0].OK || !s.Sources[0].NextAttempt.IsZero() {
		t.Fatalf("cancelling the poller marked the source failed: %+v %+v", s.Sources[0], s.Queries[0])
	}
}

func TestRegistryScheduleAndStaleness(t *testing.T) {
	clock := newFakeClock()
	good := fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn", Description: "who leaves", Aliases: map[string]string{"champion": "2"}}}}
	reg := &fakeRegistry{reg: good}
	p := New(Options{Registry: reg, Now: clock.Now, Refresh: 5 * time.Second, RegistryRefresh: time.Minute,
		Jitter: func() float64 { return 0.5 }})
	for range 12 { // t = 0 .. 55s
		s := p.PollOnce(context.Background())
		if len(s.Sources) != 1 || s.Queries != nil || !s.Sources[0].OK {
			t.Fatalf("registry-only snapshot: %+v", s)
		}
		clock.Advance(5 * time.Second)
	}
	if reg.Calls() != 1 || p.Stats().RegistryReads != 1 {
		t.Fatalf("registry read %d times within one RegistryRefresh", reg.Calls())
	}
	reg.set(fleet.Registry{}, errors.New("RESOURCE_DOES_NOT_EXIST: gone"))
	s := p.PollOnce(context.Background()) // t = 60s: due, fails
	failedAt := clock.Now()
	rs := s.Sources[0]
	if reg.Calls() != 2 || rs.OK || rs.Error != "RESOURCE_DOES_NOT_EXIST: gone" || !rs.NextAttempt.Equal(failedAt.Add(5*time.Second)) {
		t.Fatalf("after a failed read: calls %d status %+v", reg.Calls(), rs)
	}
	m := findModel(t, s.Models, "churn")
	if m.Description != "who leaves" || m.Serving || m.Version("2") == nil {
		t.Fatalf("the last good registry must stay in use: %+v", m)
	}
	if !rs.LastSuccess.Equal(failedAt.Add(-time.Minute)) {
		t.Fatalf("last success = %v", rs.LastSuccess)
	}
	reg.set(good, nil)
	clock.Advance(5 * time.Second)
	if s := p.PollOnce(context.Background()); reg.Calls() != 3 || !s.Sources[0].OK {
		t.Fatalf("no retry after the backoff: calls %d %+v", reg.Calls(), s.Sources[0])
	}
	if st := p.Stats(); st.RegistryReads != 3 || st.RegistryErrors != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestSnapshotsDoNotShareState(t *testing.T) {
	src := &fakeMetrics{answer: func(context.Context, string) (model.Vector, []string, error) {
		return model.Vector{sample(0.9, "model", "a", "version", "1", "metric", "auc")}, []string{"partial"}, nil
	}}
	p := New(Options{Metrics: src, Queries: roleQueries(fleet.RolePerformance)})
	first := p.PollOnce(context.Background())
	first.Models[0].Versions[0].Performance["auc"] = 0
	first.Sources[0].Warnings[0] = "changed"
	first.Queries[0].Name = "changed"
	second := p.PollOnce(context.Background())
	if second.Models[0].Versions[0].Performance["auc"] != 0.9 || second.Sources[0].Warnings[0] != "partial" || second.Queries[0].Name != "performance" {
		t.Fatal("a snapshot handed out shares state with the next one")
	}
}

// countingHandler counts records with a given message.
type countingHandler struct {
	mu    sync.Mutex
	msg   string
	count int
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.mu.Lock()
		h.count++
		h.mu.Unlock()
	}
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

func TestUnlabelledSamplesLoggedOncePerRefresh(t *testing.T) {
	h := &countingHandler{msg: "ignored samples without a model label"}
	src := &fakeMetrics{answer: func(context.Context, string) (model.Vector, []string, error) {
		return model.Vector{sample(1, "version", "1"), sample(2, "job", "x"), sample(3, "model", "a")}, nil, nil
	}}
	p := New(Options{Metrics: src, Logger: slog.New(h), Queries: roleQueries(fleet.RoleRequestRate, fleet.RoleErrorRatio)})
	p.PollOnce(context.Background())
	p.PollOnce(context.Background())
	if h.count != 2 {
		t.Fatalf("logged %d times over 2 refreshes, want 2", h.count)
	}
}

func TestRunPublishesUntilCancelled(t *testing.T) {
	src := &fakeMetrics{answer: fleetAnswer(3)}
	p := New(Options{Metrics: src, Queries: roleQueries(fleet.RoleRequestRate), Refresh: 10 * time.Millisecond})
	ch, unsubscribe := p.Hub().Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var last time.Time
	for got := 0; got < 3; {
		select {
		case s := <-ch:
			if !s.TakenAt.After(last) || len(s.Models) != 3 {
				t.Fatalf("snapshot %d: taken %v after %v, %d models", got, s.TakenAt, last, len(s.Models))
			}
			last = s.TakenAt
			got++
		case <-time.After(waitLimit):
			t.Fatal("Run did not publish three snapshots")
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Run did not return after cancel")
	}
	if got := p.Stats().Refreshes; got < 3 || src.Calls() != int(got) {
		t.Fatalf("refreshes %d, queries %d: one query per refresh", got, src.Calls())
	}
}

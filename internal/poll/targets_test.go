package poll

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

var (
	mvA = fleet.ModelVersion{Model: "a", Version: "1"}
	mvB = fleet.ModelVersion{Model: "b", Version: "1"}
)

// Versions of a target that is down in either read are stale, as of the
// earliest last success among the down targets carrying them; a target
// never up names nothing.
func TestStaleVersions(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	up := fleet.ScrapeTarget{URL: "u1", Up: true, LastSuccess: t0, Series: []fleet.ModelVersion{mvA}}
	downB := fleet.ScrapeTarget{URL: "u2", LastSuccess: t0.Add(-time.Minute), Series: []fleet.ModelVersion{mvA, mvB}}
	upB := downB
	upB.Up, upB.LastSuccess = true, t0
	older := fleet.ScrapeTarget{URL: "u3", LastSuccess: t0.Add(-2 * time.Minute), Series: []fleet.ModelVersion{mvB}}
	never := fleet.ScrapeTarget{URL: "u4", Series: []fleet.ModelVersion{{Model: "c"}}}

	if got := staleVersions([]fleet.ScrapeTarget{up, upB}, []fleet.ScrapeTarget{up, upB}); got != nil {
		t.Errorf("all up: %v, want none", got)
	}
	got := staleVersions([]fleet.ScrapeTarget{up, upB, never}, []fleet.ScrapeTarget{up, downB, never})
	if len(got) != 2 || !got[mvA].Equal(t0.Add(-time.Minute)) || !got[mvB].Equal(t0.Add(-time.Minute)) {
		t.Errorf("went down during the queries: %v", got)
	}
	got = staleVersions([]fleet.ScrapeTarget{up, downB, older}, []fleet.ScrapeTarget{up, upB, older})
	if len(got) != 2 || !got[mvB].Equal(t0.Add(-2*time.Minute)) {
		t.Errorf("recovered during the queries, and an older down target: %v", got)
	}
}

func TestTargetsStatus(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	base := fleet.SourceStatus{Name: "embedded", Kind: "embedded", OK: true, LastSuccess: t0, Warnings: []string{"other"}}
	if got := targetsStatus(base, nil); got.Targets != nil || !got.OK {
		t.Errorf("no targets: %+v", got)
	}
	t1 := fleet.ScrapeTarget{URL: "u1", Up: true, LastSuccess: t0}
	t2 := fleet.ScrapeTarget{URL: "u2", Error: "connection refused", LastSuccess: t0.Add(-time.Minute)}
	t3 := fleet.ScrapeTarget{URL: "u3", Error: "timed out after 5s", LastSuccess: t0.Add(-2 * time.Minute)}

	got := targetsStatus(base, []fleet.ScrapeTarget{t1})
	if !got.OK || len(got.Targets) != 1 || len(got.Warnings) != 1 {
		t.Errorf("all up: %+v", got)
	}
	got = targetsStatus(base, []fleet.ScrapeTarget{t1, t2, t3})
	if !got.OK || len(got.Warnings) != 2 || got.Warnings[0] != "2/3 targets down: connection refused" || got.Warnings[1] != "other" {
		t.Errorf("some down: ok=%v warnings %q", got.OK, got.Warnings)
	}
	got = targetsStatus(base, []fleet.ScrapeTarget{t3, t2})
	if got.OK || got.Error != "2/2 targets down: timed out after 5s" || !got.LastSuccess.Equal(t0.Add(-time.Minute)) {
		t.Errorf("all down: ok=%v error %q data as of %v", got.OK, got.Error, got.LastSuccess)
	}
	if len(base.Warnings) != 1 {
		t.Errorf("the poller's own status changed: %q", base.Warnings)
	}
}

// fakeEngine is a metrics source that scrapes targets, as the built-in
// engine does: it answers request rates from rps and reports targets.
type fakeEngine struct {
	fakeMetrics
	tmu     sync.Mutex
	targets []fleet.ScrapeTarget
}

func (f *fakeEngine) ScrapeTargets() []fleet.ScrapeTarget {
	f.tmu.Lock()
	defer f.tmu.Unlock()
	return append([]fleet.ScrapeTarget(nil), f.targets...)
}

func (f *fakeEngine) set(targets []fleet.ScrapeTarget, answer model.Vector) {
	f.tmu.Lock()
	f.targets = targets
	f.tmu.Unlock()
	f.mu.Lock()
	f.answer = func(context.Context, string) (model.Vector, []string, error) { return answer, nil, nil }
	f.mu.Unlock()
}

// A down exporter's versions keep the values they had when it was last
// up, marked stale with that time; the others move on; back up, all fresh.
// The stale version is found under its registered name too.
func TestPollerHoldsDownTargetsVersions(t *testing.T) {
	clock := newFakeClock()
	src := &fakeEngine{}
	reg := &fakeRegistry{reg: fleet.Registry{Models: []fleet.RegisteredModel{{Name: "bee"}}}}
	p := New(Options{Metrics: src, Registry: reg, Queries: roleQueries(fleet.RoleRequestRate), Now: clock.Now,
		ModelNames: map[string]string{"b": "bee"}})
	t0 := clock.Now()
	ta := fleet.ScrapeTarget{URL: "ua", Up: true, LastSuccess: t0, Series: []fleet.ModelVersion{mvA}}
	tb := fleet.ScrapeTarget{URL: "ub", Up: true, LastSuccess: t0, Series: []fleet.ModelVersion{mvB}}
	src.set([]fleet.ScrapeTarget{ta, tb}, model.Vector{sample(10, "model", "a", "version", "1"), sample(20, "model", "b", "version", "1")})
	s := p.PollOnce(context.Background())
	if v := findVersion(t, findModel(t, s.Models, "bee"), "1"); !eqPtr(v.RequestsPerSecond, 20) || !v.StaleSince.IsZero() {
		t.Fatalf("fresh: %+v", v)
	}

	// b's exporter dies: the engine's answer lacks it (staleness markers).
	clock.Advance(5 * time.Second)
	tb.Up, tb.Error = false, "connection refused"
	ta.LastSuccess = clock.Now()
	src.set([]fleet.ScrapeTarget{ta, tb}, model.Vector{sample(11, "model", "a", "version", "1")})
	for range 2 {
		clock.Advance(5 * time.Second)
		s = p.PollOnce(context.Background())
		b := findModel(t, s.Models, "bee")
		v := findVersion(t, b, "1")
		if !eqPtr(v.RequestsPerSecond, 20) || !v.StaleSince.Equal(t0) || b.Health.Status == fleet.StatusOK {
			t.Fatalf("down: bee v1 rps %v stale since %v health %v, want the held 20 as of %v, not ok",
				v.RequestsPerSecond, v.StaleSince, b.Health.Status, t0)
		}
		if a := findVersion(t, findModel(t, s.Models, "a"), "1"); !eqPtr(a.RequestsPerSecond, 11) || !a.StaleSince.IsZero() {
			t.Fatalf("the up target's version: %+v", a)
		}
		if src := s.Sources[0]; !src.OK || len(src.Warnings) != 1 || src.Warnings[0] != "1/2 targets down: connection refused" {
			t.Fatalf("source: %+v", src)
		}
	}

	tb.Up, tb.Error, tb.LastSuccess = true, "", clock.Now()
	src.set([]fleet.ScrapeTarget{ta, tb}, model.Vector{sample(12, "model", "a", "version", "1"), sample(21, "model", "b", "version", "1")})
	s = p.PollOnce(context.Background())
	if v := findVersion(t, findModel(t, s.Models, "bee"), "1"); !eqPtr(v.RequestsPerSecond, 21) || !v.StaleSince.IsZero() {
		t.Fatalf("back up: %+v", v)
	}
	if src := s.Sources[0]; !src.OK || len(src.Warnings) != 0 || len(src.Targets) != 2 {
		t.Fatalf("source back up: %+v", src)
	}
}

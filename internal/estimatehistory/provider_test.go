package estimatehistory_test

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/estimatehistory"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv/demorig"
	"github.com/mltop/mltop/internal/wiring"
)

// TestEstimateHistoryOverTheDemo: three minutes of the demo, then the
// detail screen's estimate of credit-risk over them: one series per
// version and metric on the step grid, NaN before the drift window had
// data; its newest step what the poller estimates now, and near what the
// demo's simulation knows the quality to be (auc .87 for v11, .90 for v12).
func TestEstimateHistoryOverTheDemo(t *testing.T) {
	rig := demorig.Start(t, 8)
	cfg := wiring.DemoConfig(rig.Fleet)
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	queries := make([]poll.Query, 0, len(qs))
	for _, q := range qs {
		queries = append(queries, poll.Query{Name: q.Name, Role: fleet.Role(q.Role), Expr: q.Expr})
	}
	p := poll.New(poll.Options{
		Metrics: rig.Engine, Registry: rig.Registry, Queries: queries, Now: rig.Clock.Now,
		Refresh: demorig.ScrapeEvery, RegistryRefresh: time.Minute, Deadline: 10 * time.Second,
		Judge: judge.FromConfig(cfg), Drift: histdrift.New(histdrift.Options{Method: cfg.Drift.Method, Thresholds: cfg.Drift.Thresholds}),
		Logger: slog.New(slog.DiscardHandler),
	})
	for range 36 {
		rig.Step(t)
	}
	p.PollOnce(context.Background())
	h := estimatehistory.New(rig.Engine, queries, estimatehistory.Options{
		MinStep: demorig.ScrapeEvery, Timeout: 10 * time.Second, Now: rig.Clock.Now, Latest: p.Hub().Latest,
	})
	if h == nil {
		t.Fatal("no estimate history over the built-in engine")
	}
	got, err := h.EstimateHistory("credit-risk", 3*time.Minute, 18)
	if err != nil {
		t.Fatal(err)
	}
	if got.Step != 10*time.Second || got.Range != 3*time.Minute || !got.End.Equal(rig.Clock.Now().Truncate(got.Step)) {
		t.Fatalf("step %s, range %s, end %s", got.Step, got.Range, got.End)
	}
	snap, _ := p.Hub().Latest()
	var m *fleet.Model
	for i := range snap.Models {
		if snap.Models[i].Name == "credit-risk" {
			m = &snap.Models[i]
		}
	}
	if m == nil {
		t.Fatal("no credit-risk in the snapshot")
	}
	truth := map[string]float64{"11": 0.87, "12": 0.90}
	seen := map[string]bool{}
	for _, s := range got.Series {
		if len(s.Values) != 18 {
			t.Fatalf("v%s %s: %d values, want 18", s.Version, s.Metric, len(s.Values))
		}
		if s.Metric != "roc_auc" {
			continue
		}
		seen[s.Version] = true
		last := s.Values[len(s.Values)-1]
		if math.IsNaN(last) {
			t.Fatalf("v%s: no estimate at the newest step: %v", s.Version, s.Values)
		}
		if d := math.Abs(last - truth[s.Version]); d > 0.03 {
			t.Errorf("v%s auc estimated %.3f, the simulation's %.2f", s.Version, last, truth[s.Version])
		}
		v := m.Version(s.Version)
		if v == nil || v.EstimatedPerformance == nil {
			t.Fatalf("v%s: no estimate in the snapshot", s.Version)
		}
		if now := v.EstimatedPerformance["roc_auc"].Value; math.Abs(now-last) > 1e-9 {
			t.Errorf("v%s: newest step %.6f, the poller's estimate now %.6f", s.Version, last, now)
		}
	}
	if !seen["11"] || !seen["12"] {
		t.Errorf("series for %v, want v11 and v12: %+v", seen, got.Series)
	}
	// Looking back a minute: the same steps, the range ending then.
	past, err := h.EstimateHistoryAt("credit-risk", 2*time.Minute, 12, got.End.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if !past.End.Equal(got.End.Add(-time.Minute)) || len(past.Series) != len(got.Series) {
		t.Fatalf("look back ends %s with %d series, want %s and %d", past.End, len(past.Series), got.End.Add(-time.Minute), len(got.Series))
	}
	for i, s := range past.Series {
		for j, v := range s.Values {
			if w := got.Series[i].Values[j]; math.IsNaN(v) != math.IsNaN(w) || !math.IsNaN(v) && math.Abs(v-w) > 1e-9 {
				t.Errorf("v%s %s a minute back, step %d: %g, want %g", s.Version, s.Metric, j, v, w)
			}
		}
	}
	// A model without calibration has no series, and no error.
	if got, err := h.EstimateHistory("search-ranker", 3*time.Minute, 18); err != nil || len(got.Series) != 0 {
		t.Errorf("search-ranker: %d series, err %v", len(got.Series), err)
	}
}

package drifthistory_test

import (
	"context"
	"log/slog"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift/drifthistory"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv/demorig"
	"github.com/mltop/mltop/internal/wiring"
)

// demoConfig is the demo's config with drift computed by method and
// without exported drift scores: only computed drift is judged.
func demoConfig(rig *demorig.Rig, method string) *config.Config {
	cfg := wiring.DemoConfig(rig.Fleet)
	cfg.Drift.Method = method
	cfg.Prometheus.Queries = map[string]string{"drift_score": ""}
	return cfg
}

// queries are the config's queries as the poller sends them.
func queries(t *testing.T, cfg *config.Config) []poll.Query {
	t.Helper()
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]poll.Query, 0, len(qs))
	for _, q := range qs {
		out = append(out, poll.Query{Name: q.Name, Role: fleet.Role(q.Role), Expr: q.Expr})
	}
	return out
}

// TestDriftHistoryOverTheDemo: three minutes of the demo, then the drift
// screen's history of churn-predictor over those minutes: one series per
// version and feature, sorted, on the step grid, NaN before there was
// enough data, tenure's drift growing and judged against the registry
// profile; search-ranker's features all under their thresholds.
func TestDriftHistoryOverTheDemo(t *testing.T) {
	rig := demorig.Start(t, 8)
	cfg := demoConfig(rig, "psi")
	qs := queries(t, cfg)
	opts := histdrift.Options{Method: cfg.Drift.Method, Thresholds: cfg.Drift.Thresholds}
	p := poll.New(poll.Options{
		Metrics: rig.Engine, Registry: rig.Registry, Queries: qs, Now: rig.Clock.Now,
		Refresh: demorig.ScrapeEvery, RegistryRefresh: time.Minute, Deadline: 10 * time.Second,
		Judge: judge.FromConfig(cfg), Drift: histdrift.New(opts),
		Logger: slog.New(slog.DiscardHandler),
	})
	for range 36 {
		rig.Step(t)
	}
	p.PollOnce(context.Background()) // reads the registry
	h := drifthistory.New(rig.Engine, qs, drifthistory.Options{
		Drift: opts, MinStep: demorig.ScrapeEvery, Timeout: 10 * time.Second, Now: rig.Clock.Now,
		Registry: p.Registry, Latest: p.Hub().Latest,
	})
	if h == nil {
		t.Fatal("no drift history over the built-in engine")
	}

	got, err := h.DriftHistory("churn-predictor", 3*time.Minute, 18)
	if err != nil {
		t.Fatal(err)
	}
	if got.Step != 10*time.Second || got.Range != 3*time.Minute || !got.End.Equal(rig.Clock.Now().Truncate(got.Step)) {
		t.Fatalf("step %s, range %s, end %s", got.Step, got.Range, got.End)
	}
	if !sort.SliceIsSorted(got.Series, func(i, j int) bool {
		a, b := got.Series[i], got.Series[j]
		return a.Version < b.Version || a.Version == b.Version && a.Feature < b.Feature
	}) {
		t.Errorf("series not sorted: %v", seriesNames(got))
	}
	var tenure *fleet.DriftSeries
	for i := range got.Series {
		s := &got.Series[i]
		if len(s.Scores) != 18 {
			t.Fatalf("%s: %d scores, want 18", s.Feature, len(s.Scores))
		}
		if s.Version == "3" && s.Feature == "tenure" {
			tenure = s
		}
	}
	want := map[string]bool{"tenure": true, "monthly_charges": true, "support_calls": true, "plan": true, fleet.PredictionFeature: true}
	for _, s := range got.Series {
		delete(want, s.Feature)
	}
	if tenure == nil || len(want) > 0 {
		t.Fatalf("series %v lack %v", seriesNames(got), want)
	}
	if tenure.Method != "psi" || tenure.Threshold != 0.1 {
		t.Errorf("tenure method %s threshold %g", tenure.Method, tenure.Threshold)
	}
	first, last := -1, len(tenure.Scores)-1
	for i, v := range tenure.Scores {
		if !math.IsNaN(v) && first < 0 {
			first = i
		}
	}
	if !math.IsNaN(tenure.Scores[0]) || first < 0 || math.IsNaN(tenure.Scores[last]) {
		t.Fatalf("tenure scores %v: want NaN before data, values after", tenure.Scores)
	}
	if !(tenure.Scores[last] > tenure.Scores[first]) || tenure.Scores[last] < 0.1 {
		t.Errorf("tenure psi %v: want growing past 0.1", tenure.Scores)
	}
	// Looking back a minute: the same steps, the range ending then.
	past, err := h.DriftHistoryAt("churn-predictor", 2*time.Minute, 12, got.End.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if !past.End.Equal(got.End.Add(-time.Minute)) {
		t.Fatalf("look back ends %s, want %s", past.End, got.End.Add(-time.Minute))
	}
	found := false
	for _, s := range past.Series {
		if s.Version != "3" || s.Feature != "tenure" {
			continue
		}
		found = len(s.Scores) == 12
		for i, v := range s.Scores {
			if w := tenure.Scores[i]; math.IsNaN(v) != math.IsNaN(w) || !math.IsNaN(v) && math.Abs(v-w) > 1e-9 {
				t.Errorf("tenure a minute back, step %d: %g, want %g as the history up to now had it", i, v, w)
			}
		}
	}
	if !found {
		t.Errorf("a minute back: no 12 steps of tenure in %v", seriesNames(past))
	}
	// The newest step is what the poller says now about the same window.
	snap := p.PollOnce(context.Background())
	if f := featureOf(snap, "churn-predictor", "3", "tenure", "psi"); f == nil || math.Abs(f.Score-tenure.Scores[last]) > 1e-9 {
		t.Errorf("poller's tenure %+v, history's newest %g", f, tenure.Scores[last])
	}

	calm, err := h.DriftHistory("search-ranker", 3*time.Minute, 18)
	if err != nil {
		t.Fatal(err)
	}
	if len(calm.Series) == 0 {
		t.Fatal("no search-ranker series")
	}
	for _, s := range calm.Series {
		for _, v := range s.Scores {
			if v >= s.Threshold {
				t.Errorf("search-ranker v%s %s: %v reaches %g", s.Version, s.Feature, s.Scores, s.Threshold)
				break
			}
		}
	}
	if h, err := h.DriftHistory("no-such-model", time.Minute, 10); err != nil || len(h.Series) != 0 {
		t.Errorf("unknown model: %+v, %v", h, err)
	}
}

func seriesNames(h fleet.DriftHistory) []string {
	var out []string
	for _, s := range h.Series {
		out = append(out, "v"+s.Version+"/"+s.Feature)
	}
	return out
}

// featureOf is the snapshot's drift of one feature of a model version by
// method; nil when there is none.
func featureOf(s fleet.Snapshot, modelName, version, feature, method string) *fleet.FeatureDrift {
	for i := range s.Models {
		if s.Models[i].Name != modelName {
			continue
		}
		v := s.Models[i].Version(version)
		if v == nil || v.Drift == nil {
			return nil
		}
		for j := range v.Drift.Features {
			if f := &v.Drift.Features[j]; f.Feature == feature && f.Method == method {
				return f
			}
		}
	}
	return nil
}

// noRange is a metrics source without range queries.
type noRange struct{}

func (noRange) Name() string { return "x" }
func (noRange) Kind() string { return "x" }
func (noRange) Query(context.Context, string, time.Time) (model.Vector, []string, error) {
	return nil, nil, nil
}

func TestNoDriftHistoryWithoutRangesOrHistograms(t *testing.T) {
	qs := []poll.Query{{Name: "feature_buckets", Role: fleet.RoleFeatureBuckets, Expr: "x"}}
	if h := drifthistory.New(noRange{}, qs, drifthistory.Options{}); h != nil {
		t.Error("drift history over a source without range queries")
	}
	rig := demorig.Start(t, 1)
	if h := drifthistory.New(rig.Engine, []poll.Query{{Name: "request_rate", Role: fleet.RoleRequestRate, Expr: "x"}}, drifthistory.Options{}); h != nil {
		t.Error("drift history without histogram queries")
	}
}

package wiring

import (
	"context"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

// TestDriftHistoryOverTheDemo: three minutes of the demo, then the drift
// screen's history of churn-predictor over those minutes: one series per
// version and feature, sorted, on the step grid, NaN before there was
// enough data, tenure's drift growing and judged against the registry
// profile; search-ranker's features all under their thresholds.
func TestDriftHistoryOverTheDemo(t *testing.T) {
	rig := startDemoRig(t, 8)
	p := rig.poller(t, "psi")
	for range 36 {
		rig.step(t)
	}
	p.PollOnce(context.Background()) // reads the registry
	cfg := DemoConfig(rig.fleet)
	cfg.Drift.Method = "psi"
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := newDriftHistory(rig.eng, qs, driftHistoryOptions{drift: driftOptions(cfg), minStep: scrapeEvery, timeout: 10 * time.Second, now: rig.clock.Now})
	if h == nil {
		t.Fatal("no drift history over the built-in engine")
	}
	h.registry = p.Registry
	h.servingName = servingNameFrom(p.Hub())

	got, err := h.DriftHistory("churn-predictor", 3*time.Minute, 18)
	if err != nil {
		t.Fatal(err)
	}
	if got.Step != 10*time.Second || got.Range != 3*time.Minute || !got.End.Equal(rig.clock.Now().Truncate(got.Step)) {
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
	// The newest step is what the poller says now about the same window.
	snap := p.PollOnce(context.Background())
	if f := featureOf(versionOf(snap, "churn-predictor", "3"), "tenure", "psi"); f == nil || math.Abs(f.Score-tenure.Scores[last]) > 1e-9 {
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

// TestWithModelQuotesTheName: a model name with quotes and backslashes
// becomes one exact matcher on every selector, never PromQL syntax.
func TestWithModelQuotesTheName(t *testing.T) {
	name := `we"ird\name} or vector(1) #`
	expr := `sum by (model, version, feature, le) (increase(model_feature_value_bucket[1h]) or label_replace(increase(model_prediction_value_bucket[1h] offset 7d), "feature", "__prediction__", "", ""))`
	out, err := withModel(expr, name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := parser.NewParser(parser.Options{}).ParseExpr(out)
	if err != nil {
		t.Fatalf("narrowed query %s does not parse: %v", out, err)
	}
	selectors := 0
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		selectors++
		found := false
		for _, m := range vs.LabelMatchers {
			if m.Name == "model" {
				found = m.Value == name && m.Type == labels.MatchEqual
			}
		}
		if !found {
			t.Errorf("selector %s lacks model=%q", vs, name)
		}
		return nil
	})
	if selectors != 2 {
		t.Errorf("%d selectors in %s", selectors, out)
	}
	if _, err := withModel("vector(1)", "m"); err == nil {
		t.Error("a query without selectors was narrowed")
	}
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
	if h := newDriftHistory(noRange{}, qs, driftHistoryOptions{}); h != nil {
		t.Error("drift history over a source without range queries")
	}
	rig := startDemoRig(t, 1)
	if h := newDriftHistory(rig.eng, []poll.Query{{Name: "request_rate", Role: fleet.RoleRequestRate, Expr: "x"}}, driftHistoryOptions{}); h != nil {
		t.Error("drift history without histogram queries")
	}
}

func TestOffsetLabel(t *testing.T) {
	for d, want := range map[time.Duration]string{
		7 * 24 * time.Hour: "7d offset", 14 * 24 * time.Hour: "14d offset", 36 * time.Hour: "1d12h offset", 90 * time.Minute: "1h30m offset",
	} {
		if got := offsetLabel(d); got != want {
			t.Errorf("offsetLabel(%s) = %q, want %q", d, got, want)
		}
	}
}

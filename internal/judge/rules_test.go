package judge

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

func judgeVersion(v fleet.Version) fleet.Version {
	m := fleet.Model{Name: "m", Versions: []fleet.Version{v}}
	Model(&m, Default())
	return m.Versions[0]
}

func TestErrorStatus(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name     string
		rps, err *float64
		want     fleet.Status
		health   fleet.Status
		message  string
	}{
		{"under half the threshold", ptr(10.0), ptr(0.01), fleet.StatusOK, fleet.StatusOK, ""},
		{"past half warns", ptr(10.0), ptr(0.03), fleet.StatusWarn, fleet.StatusWarn, "error rate 3.0% ≥ 2.5%"},
		{"at the threshold is critical", ptr(10.0), ptr(0.05), fleet.StatusCritical, fleet.StatusCritical, "error rate 5.0% ≥ 5.0%"},
		{"no traffic says nothing", ptr(0.0), ptr(1.0), fleet.StatusUnknown, fleet.StatusOK, ""},
		{"+Inf is critical, traffic or not", ptr(0.0), &inf, fleet.StatusCritical, fleet.StatusCritical, "errors with no successful predictions"},
		{"+Inf without a request rate", nil, &inf, fleet.StatusCritical, fleet.StatusCritical, "errors with no successful predictions"},
		{"negative is impossible", ptr(10.0), ptr(-0.2), fleet.StatusUnknown, fleet.StatusUnknown, "impossible error ratio -0.2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := judgeVersion(fleet.Version{Version: "1", Serving: true, RequestsPerSecond: c.rps, ErrorRate: c.err})
			if v.ErrorStatus != c.want || v.Health.Status != c.health {
				t.Errorf("error status %v health %v, want %v %v (%+v)", v.ErrorStatus, v.Health.Status, c.want, c.health, v.Health.Findings)
			}
			if c.message != "" && (len(v.Health.Findings) == 0 || v.Health.Findings[0].Message != c.message) {
				t.Errorf("findings %+v, want %q first", v.Health.Findings, c.message)
			}
		})
	}
}

func TestLabelRules(t *testing.T) {
	v := judgeVersion(fleet.Version{Version: "1", RequestsPerSecond: ptr(1.0), GroundTruth: fleet.GroundTruth{
		LastLabelAgeSeconds: ptr((49 * time.Hour).Seconds()), LabeledFraction: ptr(0.005), Labels: ptr(99.0)}})
	if gt := v.GroundTruth; !gt.Old || !gt.FewLabelled || !gt.LowConfidence {
		t.Errorf("old %v few %v low %v, want all true", gt.Old, gt.FewLabelled, gt.LowConfidence)
	}
	v = judgeVersion(fleet.Version{Version: "1", RequestsPerSecond: ptr(1.0), GroundTruth: fleet.GroundTruth{
		LastLabelAgeSeconds: ptr((47 * time.Hour).Seconds()), LabeledFraction: ptr(0.02), Labels: ptr(100.0)}})
	if gt := v.GroundTruth; gt.Old || gt.FewLabelled || gt.LowConfidence {
		t.Errorf("old %v few %v low %v, want all false", gt.Old, gt.FewLabelled, gt.LowConfidence)
	}
}

// One judgement of drift: configured thresholds beat the one a score came
// with, which beats the default; p-values drift below, distances at or
// above; a feature scored by two methods counts once for the dataset and
// is named once in the finding.
func TestDriftRules(t *testing.T) {
	c := Default()
	c.DriftThresholds = map[string]float64{"PSI": 0.2}
	d := &fleet.Drift{
		Features: []fleet.FeatureDrift{
			{Feature: "tenure", Score: 0.15, Method: "psi", Threshold: ptr(0.1)}, // configured .2: calm
			{Feature: "tenure", Score: 0.28, Method: "wasserstein"},              // default .1: drifted
			{Feature: "plan", Score: 0.01, Method: "ks", Threshold: ptr(0.05)},   // p < .05: drifted
			{Feature: "age", Score: 0.3, Method: "jensenshannon", Threshold: ptr(0.4)},
			{Feature: "odd", Score: 5, Method: "mystery"}, // no threshold: no verdict
		},
		Outputs: []fleet.FeatureDrift{
			{Feature: fleet.PredictionFeature, Score: 0.05, Method: "psi"},
			{Feature: fleet.PredictionFeature, Score: 0.9, Method: "wasserstein"},
		},
	}
	c.judgeDrift(d, &arena{})
	byKey := map[string]fleet.FeatureDrift{}
	for _, f := range d.Features {
		byKey[f.Feature+"/"+f.Method] = f
	}
	check := func(key string, thr float64, drifted bool, severity float64) {
		t.Helper()
		f := byKey[key]
		if f.Threshold == nil || *f.Threshold != thr || f.Drifted == nil || *f.Drifted != drifted || f.Severity == nil || math.Abs(*f.Severity-severity) > 1e-9 {
			t.Errorf("%s: threshold %v drifted %v severity %v, want %v %v %v", key, deref(f.Threshold), f.Drifted, deref(f.Severity), thr, drifted, severity)
		}
	}
	check("tenure/psi", 0.2, false, 0.75)
	check("tenure/wasserstein", 0.1, true, 2.8)
	check("plan/ks", 0.05, true, 5)
	check("age/jensenshannon", 0.4, false, 0.75)
	if f := byKey["odd/mystery"]; f.Threshold != nil || f.Drifted != nil || f.Severity != nil {
		t.Errorf("unknown method judged: %+v", f)
	}
	if d.Judged != 3 || !slices.Equal(d.DriftedFeatures, []string{"plan", "tenure"}) {
		t.Errorf("judged %d drifted %v, want 3 [plan tenure]", d.Judged, d.DriftedFeatures)
	}
	if d.Drifted == nil || !*d.Drifted || d.Share != 0.5 {
		t.Errorf("dataset drifted %v share %v, want 2 of 3 ≥ .5", d.Drifted, d.Share)
	}
	if d.Feature != "plan" || d.Method != "ks" {
		t.Errorf("worst input %s/%s, want plan/ks (severity 5)", d.Feature, d.Method)
	}
	if d.Prediction == nil || d.Prediction.Method != "wasserstein" || !*d.Prediction.Drifted {
		t.Errorf("prediction %+v, want the drifted wasserstein score", d.Prediction)
	}
	if d.Worst == nil || d.Worst.Feature != fleet.PredictionFeature {
		t.Errorf("shown %+v, want the prediction (severity 9 > 5)", d.Worst)
	}
	if got := driftFinding(d); got != "drift in plan, tenure, prediction" {
		t.Errorf("finding %q", got)
	}
	// Below the share, no dataset drift.
	c.DriftShare = 0.9
	c.judgeDrift(d, &arena{})
	if *d.Drifted {
		t.Error("2 of 3 drifted counted as dataset drift at share .9")
	}
}

// Computed drift (histdrift) arrives as a score, its p-value and the
// threshold it was computed against, with no verdict: the judge gives it,
// against that threshold rather than the method's default, and a verdict
// the data brought never outvotes the threshold.
func TestComputedDriftIsJudgedHere(t *testing.T) {
	yes := true
	d := &fleet.Drift{Features: []fleet.FeatureDrift{
		{Feature: "tenure", Score: 0.5, Method: "psi", Threshold: ptr(0.9), Source: fleet.DriftComputed},                          // default .1 would say drifted
		{Feature: "plan", Score: 0.03, PValue: ptr(0.03), Method: "chisquare", Threshold: ptr(0.01), Source: fleet.DriftComputed}, // p .03 > .01: calm
		{Feature: "age", Score: 0.004, PValue: ptr(0.004), Method: "ks", Threshold: ptr(0.01), Source: fleet.DriftComputed},       // p < .01: drifted
		{Feature: "zip", Score: 0.01, Method: "psi", Threshold: ptr(0.1), Drifted: &yes},                                          // a verdict under the threshold
	}}
	Default().judgeDrift(d, &arena{})
	want := map[string]bool{"tenure": false, "plan": false, "age": true, "zip": false}
	for _, f := range d.Features {
		if f.Drifted == nil || *f.Drifted != want[f.Feature] {
			t.Errorf("%s: drifted %v, want %v", f.Feature, f.Drifted, want[f.Feature])
		}
	}
	if !slices.Equal(d.DriftedFeatures, []string{"age"}) || d.Drifted == nil || *d.Drifted {
		t.Errorf("drifted %v dataset %v, want [age] and no dataset drift (1 of 4)", d.DriftedFeatures, d.Drifted)
	}
}

func TestSeriesSeverity(t *testing.T) {
	got := SeriesSeverity(fleet.DriftSeries{Method: "psi", Threshold: 0.2, Scores: []float64{0.1, math.NaN(), 0.4}})
	if got[0] != 0.5 || !math.IsNaN(got[1]) || got[2] != 2 {
		t.Errorf("severities %v", got)
	}
	if got := SeriesSeverity(fleet.DriftSeries{Method: "ks", Scores: []float64{0.025}}); got[0] != 2 {
		t.Errorf("ks default threshold: %v", got)
	}
}

// Within noise is the interval's to decide: the baseline inside the live
// interval is "same"; a drop past quality_drop is shown as a drop even
// then; without an interval only a delta of zero at display precision is
// the same.
func TestQualityVerdict(t *testing.T) {
	cases := []struct {
		name       string
		metric     string
		live, base float64
		labels     float64 // 0: unknown
		verdict    string
		noise      string
		relative   bool
	}{
		{"accuracy within its interval", "accuracy", 0.88, 0.91, 52, fleet.QualitySame, "interval", false},
		{"accuracy outside its interval", "accuracy", 0.88, 0.91, 5000, fleet.QualityWorse, "interval", false},
		{"better outside its interval", "accuracy", 0.95, 0.91, 5000, fleet.QualityBetter, "interval", false},
		{"a drop past quality_drop is a drop, noise or not", "accuracy", 0.80, 0.92, 30, fleet.QualityWorse, "interval", false},
		{"auc by hanley-mcneil", "auc", 0.87, 0.88, 400, fleet.QualitySame, "interval", false},
		{"ndcg by the variance bound", "ndcg", 0.71, 0.72, 2000, fleet.QualitySame, "interval", false},
		{"f1 has no interval: display precision", "f1", 0.72, 0.74, 1000, fleet.QualityWorse, "display", false},
		{"f1 zero at display precision", "f1", 0.741, 0.744, 1000, fleet.QualitySame, "display", false},
		{"rmse rise is worse, relative", "rmse", 12.8, 12.4, 1000, fleet.QualityWorse, "display", true},
		{"rmse fall is better", "rmse", 12.0, 12.4, 1000, fleet.QualityBetter, "display", true},
		{"without labels no interval", "accuracy", 0.88, 0.91, 0, fleet.QualityWorse, "display", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := fleet.Version{Version: "1", Performance: map[string]float64{c.metric: c.live}, Baseline: map[string]float64{c.metric: c.base}}
			if c.labels > 0 {
				v.GroundTruth.Labels = ptr(c.labels)
			}
			q := judgeVersion(v).Quality
			if q == nil || q.Verdict != c.verdict || q.Noise != c.noise || q.Relative != c.relative {
				t.Fatalf("quality %+v, want verdict %s noise %s relative %v", q, c.verdict, c.noise, c.relative)
			}
			if (q.Interval != nil) != (c.noise == "interval") || (q.Labels != nil) != (c.labels > 0) {
				t.Errorf("interval %v labels %v", q.Interval, q.Labels)
			}
			if want := QualityDrop(c.metric, c.live, c.base); q.Delta != want {
				t.Errorf("delta %v, want %v", q.Delta, want)
			}
		})
	}
	// Low confidence is carried to the headline.
	v := judgeVersion(fleet.Version{Version: "1", Performance: map[string]float64{"accuracy": 0.9}, GroundTruth: fleet.GroundTruth{Labels: ptr(52.0)}})
	if q := v.Quality; !q.LowConfidence || q.Verdict != "" || q.Interval == nil || q.HalfWidth() < 0.07 || q.HalfWidth() > 0.09 {
		t.Errorf("52 labels, no baseline: %+v (half width %v)", q, q.HalfWidth())
	}
}

func TestIntervals(t *testing.T) {
	// Hanley & McNeil (1982) by hand for AUC .9 on 50 + 50: Q1 = .9/1.1,
	// Q2 = 1.62/1.9, SE² = (.09 + 49(Q1−.81) + 49(Q2−.81)) / 2500 ≈ .03212².
	lo, hi, ok := HanleyMcNeil(0.9, 100)
	if !ok || math.Abs((hi-lo)/2/z95-0.03212) > 0.00005 {
		t.Errorf("hanley-mcneil(.9, 100) = [%v, %v]: se %v", lo, hi, (hi-lo)/2/z95)
	}
	if _, _, ok := HanleyMcNeil(0.9, 2); ok {
		t.Error("an interval on 2 labels")
	}
	for metric, want := range map[string]string{"accuracy": IntervalWilson, "top5_accuracy": IntervalWilson, "recall": IntervalWilson,
		"auc": IntervalHanleyMcNeil, "ndcg": IntervalMeanBound, "f1": "", "rmse": "", "balanced_accuracy": ""} {
		if got := IntervalMethod(metric); got != want {
			t.Errorf("%s: interval %q, want %q", metric, got, want)
		}
	}
}

func staleSnapshot(v fleet.Version, sources []fleet.SourceStatus, queries []fleet.QueryStatus) *fleet.Snapshot {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := &fleet.Snapshot{TakenAt: at, Sources: sources, Queries: queries,
		Models: []fleet.Model{{Name: "m", Rollout: &fleet.Rollout{Phase: "Healthy"}, Versions: []fleet.Version{v}}}}
	Snapshot(s, Default())
	return s
}

// A model whose figures are stale is never ✔: "unknown (data 2m old)"
// until fresh data arrives; a bad finding stays bad.
func TestStaleDataIsNeverHealthy(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	healthy := fleet.Version{Version: "1", Serving: true, RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.001)}
	ok := []fleet.SourceStatus{{Name: "prom", Kind: "prometheus", OK: true, LastSuccess: at}}
	down := []fleet.SourceStatus{{Name: "prom", Kind: "prometheus", OK: false, LastSuccess: at.Add(-2 * time.Minute)}}
	q := func(role fleet.Role, good bool, last time.Time) fleet.QueryStatus {
		return fleet.QueryStatus{Name: string(role), Role: role, Source: "prom", OK: good, LastSuccess: last}
	}

	s := staleSnapshot(healthy, ok, []fleet.QueryStatus{q(fleet.RoleRequestRate, true, at)})
	if m := s.Models[0]; m.Health.Status != fleet.StatusOK || m.Versions[0].Data.Stale {
		t.Fatalf("fresh: %+v", m.Health)
	}

	s = staleSnapshot(healthy, down, []fleet.QueryStatus{q(fleet.RoleRequestRate, false, at.Add(-2*time.Minute))})
	m := s.Models[0]
	if m.Health.Status != fleet.StatusUnknown || m.Versions[0].Health.Status != fleet.StatusUnknown {
		t.Fatalf("source down: model %v version %v, want unknown", m.Health.Status, m.Versions[0].Health.Status)
	}
	if f := m.Health.Findings; len(f) != 1 || f[0].Check != fleet.CheckData || f[0].Message != "unknown (data 2m old)" || f[0].Breach {
		t.Errorf("findings %+v", f)
	}

	// One health query failing is enough; a latency query is not.
	s = staleSnapshot(healthy, ok, []fleet.QueryStatus{q(fleet.RoleErrorRatio, false, at.Add(-90*time.Second)), q(fleet.RoleRequestRate, true, at)})
	if v := s.Models[0].Versions[0]; !v.Data.Stale || !v.Data.Since.Equal(at.Add(-90*time.Second)) || v.Health.Status != fleet.StatusUnknown {
		t.Errorf("error ratio query failed: %+v", v.Data)
	}
	s = staleSnapshot(healthy, ok, []fleet.QueryStatus{q(fleet.RoleLatencyP95, false, at.Add(-90*time.Second))})
	if s.Models[0].Health.Status != fleet.StatusOK {
		t.Errorf("a latency query failing made health %v", s.Models[0].Health.Status)
	}

	// Never read at all.
	s = staleSnapshot(healthy, []fleet.SourceStatus{{Name: "prom", Kind: "prometheus"}}, nil)
	if f := s.Models[0].Health.Findings; len(f) != 1 || f[0].Message != "unknown (no fresh data)" {
		t.Errorf("never read: %+v", f)
	}

	// Critical stays critical (the last thing known), with the staleness
	// said first.
	bad := healthy
	bad.ErrorRate = ptr(0.2)
	s = staleSnapshot(bad, down, nil)
	if m := s.Models[0]; m.Health.Status != fleet.StatusCritical || len(m.Health.Findings) != 2 ||
		m.Health.Findings[0].Check != fleet.CheckData || m.Health.Findings[1].Check != fleet.CheckErrorRate {
		t.Errorf("stale critical: %+v", m.Health)
	}

	// The scrape target behind a version down (built-in engine): only
	// that version is stale, however healthy its source looks.
	held := healthy
	held.StaleSince = at.Add(-45 * time.Second)
	s = staleSnapshot(held, ok, []fleet.QueryStatus{q(fleet.RoleRequestRate, true, at)})
	if m := s.Models[0]; m.Health.Status != fleet.StatusUnknown || len(m.Health.Findings) != 1 || m.Health.Findings[0].Message != "unknown (data 45s old)" {
		t.Errorf("target down: %+v", m.Health)
	}

	// The registry being down does not make live figures stale.
	s = staleSnapshot(healthy, append(ok, fleet.SourceStatus{Name: "mlflow", Kind: "mlflow", OK: false}), nil)
	if s.Models[0].Health.Status != fleet.StatusOK {
		t.Errorf("registry down: %v", s.Models[0].Health.Status)
	}
}

// Impossible values are flagged, never judged as health.
func TestImpossibleValuesAreFlagged(t *testing.T) {
	cases := map[string]fleet.Version{
		"impossible request rate -3/s":   {RequestsPerSecond: ptr(-3.0)},
		"impossible traffic weight 120%": {RequestsPerSecond: ptr(1.0), TrafficWeight: ptr(120.0)},
		"impossible label age -60s":      {RequestsPerSecond: ptr(1.0), GroundTruth: fleet.GroundTruth{LastLabelAgeSeconds: ptr(-60.0)}},
		"impossible labelled share 1.5":  {RequestsPerSecond: ptr(1.0), GroundTruth: fleet.GroundTruth{LabeledFraction: ptr(1.5)}},
		"impossible latency p95 -0.1s":   {RequestsPerSecond: ptr(1.0), Latency: fleet.Latency{P95: ptr(-0.1)}},
		"several series for error_ratio": {RequestsPerSecond: ptr(1.0), DuplicateSeries: []fleet.Role{fleet.RoleErrorRatio}},
	}
	for want, v := range cases {
		v.Version, v.Serving = "1", true
		m := fleet.Model{Name: "m", Rollout: &fleet.Rollout{Phase: "Healthy"}, Versions: []fleet.Version{v}}
		Model(&m, Default())
		got := m.Versions[0]
		if got.Health.Status != fleet.StatusUnknown || m.Health.Status != fleet.StatusUnknown {
			t.Errorf("%s: version %v model %v, want unknown", want, got.Health.Status, m.Health.Status)
		}
		if len(got.Data.Problems) != 1 || !strings.HasPrefix(got.Data.Problems[0], want) {
			t.Errorf("problems %q, want %q", got.Data.Problems, want)
		}
	}
}

// `serve` dropped min_labels when it built its own thresholds: one
// function turns the configuration into the judge's, and keeps it all.
func TestFromConfigKeepsEveryThreshold(t *testing.T) {
	cfg := config.Default()
	cfg.Thresholds.MinLabels = 250
	cfg.Thresholds.ErrorRate = 0.02
	cfg.Thresholds.QualityDrop = 0.03
	cfg.Thresholds.LabelAge = 12 * time.Hour
	cfg.Drift.Share = 0.3
	cfg.Drift.Thresholds = map[string]float64{"psi": 0.25}
	cfg.Window = 30 * time.Second
	cfg.Thresholds.LatencyP95 = 300 * time.Millisecond
	cfg.Thresholds.SilentShare = 0.2
	cfg.Thresholds.Availability = 0.999
	c := FromConfig(cfg)
	want := fleet.Thresholds{ErrorRate: 0.02, LabelAge: 12 * time.Hour, QualityDrop: 0.03, MinLabels: 250,
		LatencyP95: 300 * time.Millisecond, SilentShare: 0.2, Availability: 0.999}
	if c.Thresholds != want || c.DriftShare != 0.3 || c.DriftThresholds["psi"] != 0.25 || c.RateWindow != 30*time.Second {
		t.Errorf("judge config %+v", c)
	}
	if got, _ := c.Threshold("PSI"); got != 0.25 {
		t.Errorf("psi threshold %v", got)
	}
}

// Findings order by severity when judged, by score when not.
func TestSeverityOf(t *testing.T) {
	if got := SeverityOf(fleet.FeatureDrift{Score: 0.3, Severity: ptr(3.0)}); got != 3 {
		t.Errorf("judged: %v", got)
	}
	if got := SeverityOf(fleet.FeatureDrift{Score: 5, Method: "mystery"}); got != 5 {
		t.Errorf("unjudged: %v", got)
	}
}

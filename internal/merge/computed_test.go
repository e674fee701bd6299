package merge

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
)

// buckets writes per-bucket counts as the feature_buckets query returns
// them: cumulative, one sample per bound.
func buckets(modelName, version, feature string, bounds, counts []float64) model.Vector {
	var out model.Vector
	acc := 0.0
	for i, b := range bounds {
		acc += counts[i]
		le := strconv.FormatFloat(b, 'g', -1, 64)
		if math.IsInf(b, 1) {
			le = "+Inf"
		}
		out = append(out, sample(acc, "model", modelName, "version", version, "feature", feature, "le", le))
	}
	return out
}

var (
	bounds4 = []float64{1, 2, 3, math.Inf(1)}
	flat    = []float64{250, 250, 250, 250}
	skewed  = []float64{40, 60, 300, 600}
)

func computedFleet() map[fleet.Role]model.Vector {
	return map[fleet.Role]model.Vector{
		fleet.RoleRequestRate: {sample(5, "model", "churn", "version", "3")},
		fleet.RoleDriftScore: {
			sample(0.02, "model", "churn", "version", "3", "feature", "tenure", "method", "psi"),
		},
		fleet.RoleFeatureBuckets: slices.Concat(
			buckets("churn", "3", "tenure", bounds4, skewed),
			buckets("churn", "3", "charges", bounds4, flat),
			buckets("churn", "3", "calls", bounds4, []float64{0, 0, 0, 0}),
			buckets("churn", "3", fleet.PredictionFeature, bounds4, skewed),
		),
		fleet.RoleFeatureBucketsRef: slices.Concat(
			buckets("churn", "3", "tenure", bounds4, flat),
			buckets("churn", "3", "charges", bounds4, flat),
			buckets("churn", "3", "calls", bounds4, flat),
			buckets("churn", "3", fleet.PredictionFeature, bounds4, flat),
		),
		fleet.RoleFeatureCategories: {
			sample(400, "model", "churn", "version", "3", "feature", "plan", "category", "basic"),
			sample(600, "model", "churn", "version", "3", "feature", "plan", "category", "premium"),
		},
		fleet.RoleFeatureCategoriesRef: {
			sample(400, "model", "churn", "version", "3", "feature", "plan", "category", "basic"),
			sample(600, "model", "churn", "version", "3", "feature", "plan", "category", "premium"),
		},
	}
}

func TestMergeComputedDrift(t *testing.T) {
	calc := histdrift.New(histdrift.Options{Method: "psi", OffsetLabel: "7d offset"})
	out := judged(computedFleet(), nil, MergeConfig{Drift: calc})
	v := findVersion(t, findModel(t, out.Models, "churn"), "3")
	d := v.Drift
	if d == nil {
		t.Fatal("no drift")
	}
	if d.Reference != "7d offset" || !slices.Equal(d.NoData, []string{"calls"}) {
		t.Errorf("reference %q, no data %v", d.Reference, d.NoData)
	}
	var names []string
	for _, f := range d.Features {
		names = append(names, f.Feature+"/"+f.Method)
	}
	// tenure's exported psi wins over the computed psi; plan and charges
	// are computed only.
	if want := []string{"charges/psi", "plan/psi", "tenure/psi"}; !slices.Equal(names, want) {
		t.Fatalf("features %v, want %v", names, want)
	}
	if tenure := d.Features[2]; tenure.Score != 0.02 {
		t.Errorf("tenure = %+v, want the exported 0.02", tenure)
	}
	want, _ := drift.PopulationStabilityIndex(flat, skewed)
	if p := d.Prediction; p == nil || math.Abs(p.Score-want) > 1e-12 || !*p.Drifted {
		t.Errorf("prediction = %+v, want psi %g drifted", p, want)
	}
	if d.Drifted == nil || *d.Drifted {
		t.Errorf("dataset verdict %v: no input feature drifted", d.Drifted)
	}
	// calls has no observation now, while the reference has and requests
	// flow: silent, critical, said ahead of the prediction's drift.
	if fs := v.Health.Findings; v.Health.Status != fleet.StatusCritical || len(fs) != 2 ||
		fs[0].Check != fleet.CheckDataQuality || fs[1].Message != "drift in prediction" {
		t.Errorf("health %+v: calls silent, then the prediction drifted", v.Health)
	}
	if dq := v.DataQuality; dq == nil || dq.Feature("calls") == nil || !dq.Feature("calls").Silent {
		t.Errorf("data quality %+v: calls silent", dq)
	}
}

// TestMergeComputedDriftSourcesAndTooFew: each score says where it came
// from, and a feature on too few observations for its distance reaches
// the snapshot with its counts, apart from a feature without data.
func TestMergeComputedDriftSourcesAndTooFew(t *testing.T) {
	// 1,000 observations: too few at 300 a bucket for four buckets (1,200),
	// enough for plan's two categories (600).
	calc := histdrift.New(histdrift.Options{Method: "psi", OffsetLabel: "7d offset", MinPerBucket: 300})
	out := Merge(computedFleet(), nil, MergeConfig{Drift: calc})
	d := findVersion(t, findModel(t, out.Models, "churn"), "3").Drift
	if d == nil || len(d.Features) != 2 || d.Features[0].Feature != "plan" || d.Features[0].Source != fleet.DriftComputed ||
		d.Features[1].Feature != "tenure" || d.Features[1].Source != fleet.DriftExported {
		t.Fatalf("features %+v: plan computed and tenure exported have a verdict", d)
	}
	var few []string
	for _, f := range d.TooFew {
		if f.Source != fleet.DriftComputed || f.Observations == nil || *f.Observations != 1000 || *f.MinObservations != 1200 {
			t.Errorf("too few %+v", f)
		}
		few = append(few, f.Feature)
	}
	if want := []string{"__prediction__", "charges", "tenure"}; !slices.Equal(few, want) {
		t.Errorf("too few %v, want %v (calls has no data, not too few)", few, want)
	}
	if !slices.Contains(d.NoData, "calls") || !slices.Contains(d.NoData, "charges") {
		t.Errorf("no data %v: every feature without a verdict is listed", d.NoData)
	}

	out = Merge(computedFleet(), nil, MergeConfig{Drift: histdrift.New(histdrift.Options{Method: "psi"})})
	for _, f := range findVersion(t, findModel(t, out.Models, "churn"), "3").Drift.Features {
		want := fleet.DriftComputed
		if f.Feature == "tenure" {
			want = fleet.DriftExported
		}
		if f.Source != want {
			t.Errorf("%s/%s source %q, want %q", f.Feature, f.Method, f.Source, want)
		}
	}
}

func TestMergeComputedDriftWithoutACalculator(t *testing.T) {
	out := judged(computedFleet(), nil, MergeConfig{})
	d := findVersion(t, findModel(t, out.Models, "churn"), "3").Drift
	if d == nil || len(d.Features) != 4 || d.Reference != histdrift.DefaultOffsetLabel {
		t.Fatalf("drift = %+v", d)
	}
	for _, f := range d.Features {
		if f.Feature == "charges" && f.Method != drift.KS {
			t.Errorf("auto on 1,000 reference rows: %s, want ks", f.Method)
		}
	}
}

// TestMergeRegistryProfileFollowsTheNameMapping: the metrics call the model
// "churn", the registry "churn-predictor"; the version's profile still
// reaches the metrics' histograms.
func TestMergeRegistryProfileFollowsTheNameMapping(t *testing.T) {
	prof := `{"version": 1, "features": {"tenure": {"bounds": [1, 2, 3, "+Inf"], "counts": [40, 60, 300, 600]}}}`
	reg := &fleet.Registry{Models: []fleet.RegisteredModel{{
		Name: "churn-predictor", Aliases: map[string]string{"champion": "3"},
		Versions: []fleet.RegisteredVersion{
			{Version: "3", Tags: map[string]string{histdrift.TagKey: prof}},
		},
	}}}
	vectors := computedFleet()
	delete(vectors, fleet.RoleDriftScore)
	calc := histdrift.New(histdrift.Options{Method: "psi", OffsetLabel: "7d offset"})
	out := judged(vectors, reg, MergeConfig{Drift: calc, ModelNames: map[string]string{"churn": "churn-predictor"}})
	m := findModel(t, out.Models, "churn-predictor")
	d := findVersion(t, m, "3").Drift
	if d == nil || d.Reference != "registry, 7d offset" || d.ReferenceError != "" {
		t.Fatalf("drift = %+v", d)
	}
	for _, f := range d.Features {
		if f.Feature == "tenure" && f.Score > 1e-12 {
			t.Errorf("tenure against its profile (same shape): %+v", f)
		}
	}
	if len(out.Models) != 1 {
		t.Errorf("models %d: the histograms made a second model", len(out.Models))
	}

	reg.Models[0].Versions[0].Tags[histdrift.TagKey] = "{not json"
	d = findVersion(t, findModel(t, judged(vectors, reg, MergeConfig{Drift: calc, ModelNames: map[string]string{"churn": "churn-predictor"}}).Models, "churn-predictor"), "3").Drift
	if !strings.HasPrefix(d.ReferenceError, "bad reference: ") || d.Reference != "7d offset" {
		t.Errorf("bad tag: reference %q, error %q", d.Reference, d.ReferenceError)
	}
}

func TestMergeGroundTruth(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	vec := func(v float64, ver string, kv ...string) model.Vector {
		return model.Vector{sample(v, append([]string{"model", "churn", "version", ver}, kv...)...)}
	}
	vectors := map[fleet.Role]model.Vector{
		fleet.RoleRequestRate: append(vec(5, "3"), vec(5, "4")...),
		fleet.RolePerformance: slices.Concat(
			vec(0.9, "3", "metric", "accuracy"), vec(0.7, "3", "metric", "f1"),
			vec(0.8, "4", "metric", "accuracy"),
		),
		fleet.RoleLabelsInWindow: append(vec(100, "3"), vec(37, "4")...),
		fleet.RoleLabelDelayP95:  append(vec(3600, "3"), vec(600, "4")...),
		fleet.RoleLabelAge:       append(vec(60, "3"), vec(7200, "4")...),
	}
	reg := &fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn", Versions: []fleet.RegisteredVersion{
		{Version: "3", Baseline: map[string]float64{"accuracy": 0.92}},
		{Version: "4", Baseline: map[string]float64{"accuracy": 0.92}},
	}}}}
	out := judged(vectors, reg, MergeConfig{Now: now})
	m := findModel(t, out.Models, "churn")
	v3, v4 := findVersion(t, m, "3"), findVersion(t, m, "4")

	if !eqPtr(v3.GroundTruth.Labels, 100) || v3.GroundTruth.LowConfidence || !v4.GroundTruth.LowConfidence {
		t.Errorf("labels %v/%v, low confidence %v/%v", v3.GroundTruth.Labels, v4.GroundTruth.Labels, v3.GroundTruth.LowConfidence, v4.GroundTruth.LowConfidence)
	}
	// Labels come up to an hour late: quality is complete an hour back; for
	// v4 the newest label is two hours old, which bounds it instead.
	if got := v3.GroundTruth.QualityAsOf; !got.Equal(now.Add(-time.Hour)) {
		t.Errorf("v3 quality as of %v", got)
	}
	if got := v4.GroundTruth.QualityAsOf; !got.Equal(now.Add(-2 * time.Hour)) {
		t.Errorf("v4 quality as of %v", got)
	}
	ci, ok := v3.PerformanceCI["accuracy"]
	if !ok || math.Abs(ci[0]-0.8256) > 5e-5 || math.Abs(ci[1]-0.9448) > 5e-5 {
		t.Errorf("accuracy interval %v, want Wilson's [0.8256, 0.9448] for 0.9 of 100", ci)
	}
	if _, ok := v3.PerformanceCI["f1"]; ok {
		t.Errorf("f1 is not a proportion: %v", v3.PerformanceCI)
	}

	// v3 drops 0.02 (no finding); v4 drops 0.12, twice the threshold, but
	// on 37 labels: a warning that says so, not a breach.
	var v4f []fleet.Finding
	for _, f := range m.Health.Findings {
		if f.Version == "4" && f.Check == fleet.CheckQualityDrop {
			v4f = append(v4f, f)
		}
	}
	if len(v4f) != 1 || v4f[0].Status != fleet.StatusWarn || v4f[0].Breach || !strings.Contains(v4f[0].Message, "(n=37, low confidence)") {
		t.Errorf("v4 findings %+v", v4f)
	}

	// Without a time, QualityAsOf stays unknown.
	out = judged(vectors, reg, MergeConfig{})
	if got := findVersion(t, findModel(t, out.Models, "churn"), "3").GroundTruth.QualityAsOf; !got.IsZero() {
		t.Errorf("quality as of %v without a time", got)
	}
}

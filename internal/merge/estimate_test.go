package merge

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

var scoreBounds = []string{"0.25", "0.5", "0.75", "1", "+Inf"}

// calibrationFleet is one version of "churn" with n_b = 10, 20, 30, 40, 0
// predictions and p_b = 0.1, 0.3, 0.6, 0.9 on 100 labels a bucket, as
// cumulative histograms the way Prometheus answers.
func calibrationFleet() map[fleet.Role]model.Vector {
	pred := []float64{10, 30, 60, 100, 100}
	all := []float64{100, 200, 300, 400, 400}
	pos := []float64{10, 40, 100, 190, 190}
	in := map[fleet.Role]model.Vector{
		fleet.RoleRequestRate: {sample(5, "model", "churn", "version", "3")},
	}
	for i, le := range scoreBounds {
		in[fleet.RoleFeatureBuckets] = append(in[fleet.RoleFeatureBuckets],
			sample(pred[i], "model", "churn", "version", "3", "feature", fleet.PredictionFeature, "le", le),
			sample(pred[i]*3, "model", "churn", "version", "3", "feature", "age", "le", le))
		in[fleet.RoleScoreCalibration] = append(in[fleet.RoleScoreCalibration],
			sample(all[i], "model", "churn", "version", "3", "le", le, "calibration", "all"),
			sample(pos[i], "model", "churn", "version", "3", "le", le, "calibration", "positive"))
	}
	return in
}

func estimateCfg() MergeConfig {
	return MergeConfig{Estimate: EstimateConfig{Threshold: 0.5, CalibrationWindow: 7 * 24 * time.Hour}}
}

func churnVersion(t *testing.T, in map[fleet.Role]model.Vector, reg *fleet.Registry, cfg MergeConfig) *fleet.Version {
	t.Helper()
	out := Merge(in, reg, cfg)
	return findVersion(t, findModel(t, out.Models, "churn"), "3")
}

// The figures are those of internal/estimate's hand-worked case: TP = 54,
// FP = 16, FN = 7, TN = 23.
func TestEstimateFromHistograms(t *testing.T) {
	v := churnVersion(t, calibrationFleet(), nil, estimateCfg())
	c := v.Calibration
	if c == nil || c.Unavailable != "" {
		t.Fatalf("calibration %+v", c)
	}
	if math.Abs(c.ECE-0.0375) > 1e-9 || c.Labels != 400 || c.Threshold != 0.5 || c.Window != 7*24*time.Hour {
		t.Errorf("calibration %+v", *c)
	}
	want := map[string]float64{
		"accuracy": 0.77, "precision": 0.7714285714285715, "recall": 0.8852459016393442,
		"f1": 0.8244274809160306, "roc_auc": 0.8215636822194199,
	}
	if len(v.EstimatedPerformance) != len(want) {
		t.Errorf("estimated %v", v.EstimatedPerformance)
	}
	for m, w := range want {
		e, ok := v.EstimatedPerformance[m]
		if !ok || math.Abs(e.Value-w) > 1e-9 || e.StdError == nil || *e.StdError <= 0 {
			t.Errorf("%s = %+v, want %v with a standard error", m, e, w)
		}
	}
	if se := v.EstimatedPerformance["accuracy"].StdError; se == nil || math.Abs(*se-0.042083250825001625) > 1e-9 {
		t.Errorf("accuracy standard error %v", se)
	}
	for _, m := range fleet.EstimatedMetrics {
		if _, ok := want[m]; !ok {
			t.Errorf("fleet.EstimatedMetrics names %s, which the estimate does not give", m)
		}
	}
}

func TestEstimateThresholdFromRegistry(t *testing.T) {
	reg := func(tag string) *fleet.Registry {
		return &fleet.Registry{Models: []fleet.RegisteredModel{{
			Name: "churn", Versions: []fleet.RegisteredVersion{{Version: "3", Tags: map[string]string{TagThreshold: tag}}},
		}}}
	}
	// The tag moves the threshold to the first bound: TP = 60, TN = 9.
	v := churnVersion(t, calibrationFleet(), reg("0.25"), estimateCfg())
	if a := v.EstimatedPerformance["accuracy"]; math.Abs(a.Value-0.69) > 1e-9 || v.Calibration.Threshold != 0.25 {
		t.Errorf("accuracy %+v at threshold %v, want 0.69 at 0.25", a, v.Calibration.Threshold)
	}
	// A configured threshold that is no bound, and a tag that is no number.
	cfg := estimateCfg()
	cfg.Estimate.Threshold = 0.6
	v = churnVersion(t, calibrationFleet(), nil, cfg)
	if v.EstimatedPerformance != nil || v.Calibration.Unavailable != "threshold 0.6 is not a bucket bound of the score histogram" {
		t.Errorf("threshold 0.6: %+v, %+v", v.EstimatedPerformance, v.Calibration)
	}
	v = churnVersion(t, calibrationFleet(), reg("high\x1b[2J"), estimateCfg())
	if v.EstimatedPerformance != nil || !strings.Contains(v.Calibration.Unavailable, "mltop.threshold") || strings.Contains(v.Calibration.Unavailable, "\x1b") {
		t.Errorf("bad tag: %+v, %q", v.EstimatedPerformance, v.Calibration.Unavailable)
	}
}

// What cannot be read is unavailable, in words, never an estimate.
func TestEstimateUnavailable(t *testing.T) {
	drop := func(role fleet.Role, match func(model.Metric) bool) func(map[fleet.Role]model.Vector) {
		return func(in map[fleet.Role]model.Vector) {
			var kept model.Vector
			for _, s := range in[role] {
				if !match(s.Metric) {
					kept = append(kept, s)
				}
			}
			in[role] = kept
		}
	}
	set := func(role fleet.Role, match func(model.Metric) bool, v float64) func(map[fleet.Role]model.Vector) {
		return func(in map[fleet.Role]model.Vector) {
			for _, s := range in[role] {
				if match(s.Metric) {
					s.Value = model.SampleValue(v)
				}
			}
		}
	}
	is := func(kv ...string) func(model.Metric) bool {
		return func(m model.Metric) bool {
			for i := 0; i < len(kv); i += 2 {
				if string(m[model.LabelName(kv[i])]) != kv[i+1] {
					return false
				}
			}
			return true
		}
	}
	cases := []struct {
		name, want string
		change     func(map[fleet.Role]model.Vector)
	}{
		{"no positive histogram", "no model_labeled_positive_score histogram",
			drop(fleet.RoleScoreCalibration, is("calibration", "positive"))},
		{"a missing calibration bucket", "the labelled-score histograms' buckets differ from model_prediction_value's",
			drop(fleet.RoleScoreCalibration, is("le", "0.75"))},
		{"a missing +Inf bucket", "the two labelled-score histograms have different buckets",
			drop(fleet.RoleScoreCalibration, is("calibration", "positive", "le", "+Inf"))},
		{"NaN in the calibration", "the labelled-score histograms have a negative or missing count",
			set(fleet.RoleScoreCalibration, is("calibration", "all", "le", "0.5"), math.NaN())},
		{"a negative increase", "the labelled-score histograms have a negative or missing count",
			set(fleet.RoleScoreCalibration, is("calibration", "positive", "le", "0.25"), -3)},
		{"NaN in the predictions", "the model_prediction_value histogram has a negative or missing count",
			set(fleet.RoleFeatureBuckets, is("feature", fleet.PredictionFeature, "le", "1"), math.NaN())},
		{"no prediction histogram", "no model_prediction_value histogram in the window",
			drop(fleet.RoleFeatureBuckets, is("feature", fleet.PredictionFeature))},
		{"an unreadable bound", "the labelled-score histograms' buckets cannot be read",
			func(in map[fleet.Role]model.Vector) {
				in[fleet.RoleScoreCalibration][0].Metric["le"] = "high"
			}},
		// Bucket 0.25–0.5 has 20 predictions and now no labels.
		{"predictions without labels", "no labelled predictions with scores in 0.25–0.5 over 7d",
			func(in map[fleet.Role]model.Vector) {
				for _, s := range in[fleet.RoleScoreCalibration] {
					if s.Metric["le"] != "0.25" {
						s.Value -= map[model.LabelValue]model.SampleValue{"all": 100, "positive": 30}[s.Metric["calibration"]]
					}
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := calibrationFleet()
			c.change(in)
			v := churnVersion(t, in, nil, estimateCfg())
			if v.Calibration == nil || v.Calibration.Unavailable != c.want {
				t.Fatalf("calibration %+v, want unavailable %q", v.Calibration, c.want)
			}
			if v.EstimatedPerformance != nil {
				t.Errorf("estimated %v from unreadable histograms", v.EstimatedPerformance)
			}
		})
	}
}

func TestExportedEstimate(t *testing.T) {
	in := map[fleet.Role]model.Vector{
		fleet.RoleRequestRate:         {sample(5, "model", "price", "version", "1")},
		fleet.RolePerformanceEstimate: {sample(3.5, "model", "price", "version", "1", "metric", "rmse"), sample(math.NaN(), "model", "price", "version", "1", "metric", "mae")},
	}
	v := findVersion(t, findModel(t, Merge(in, nil, estimateCfg()).Models, "price"), "1")
	if len(v.EstimatedPerformance) != 1 || v.EstimatedPerformance["rmse"].Value != 3.5 || v.EstimatedPerformance["rmse"].StdError != nil || v.Calibration != nil {
		t.Errorf("estimated %+v, calibration %+v", v.EstimatedPerformance, v.Calibration)
	}
	// An exporter's own figure for a metric CBPE also gives is kept.
	in = calibrationFleet()
	in[fleet.RolePerformanceEstimate] = model.Vector{sample(0.9, "model", "churn", "version", "3", "metric", "accuracy")}
	v = churnVersion(t, in, nil, estimateCfg())
	if a := v.EstimatedPerformance["accuracy"]; a.Value != 0.9 || a.StdError != nil {
		t.Errorf("accuracy %+v, want the exporter's 0.9", a)
	}
	if f := v.EstimatedPerformance["f1"]; math.Abs(f.Value-0.8244274809160306) > 1e-9 {
		t.Errorf("f1 %+v", f)
	}
}

// Labelled predictions of a version no longer in the fleet add no version.
func TestCalibrationOfAGoneVersion(t *testing.T) {
	in := calibrationFleet()
	in[fleet.RoleScoreCalibration] = append(in[fleet.RoleScoreCalibration], sample(10, "model", "churn", "version", "1", "le", "+Inf", "calibration", "all"))
	m := findModel(t, Merge(in, nil, estimateCfg()).Models, "churn")
	if len(m.Versions) != 1 {
		t.Errorf("versions %d, want 1", len(m.Versions))
	}
}

// An Estimator reuses its work only while the tables are the same ones,
// and a changed threshold is estimated afresh.
func TestEstimatorReuse(t *testing.T) {
	in := calibrationFleet()
	tables := map[fleet.Role]*labelrows.Table{
		fleet.RoleFeatureBuckets:   labelrows.FromVector(in[fleet.RoleFeatureBuckets], TableColumns(fleet.RoleFeatureBuckets)),
		fleet.RoleScoreCalibration: labelrows.FromVector(in[fleet.RoleScoreCalibration], TableColumns(fleet.RoleScoreCalibration)),
	}
	vec := map[fleet.Role]model.Vector{fleet.RoleRequestRate: in[fleet.RoleRequestRate]}
	est := NewEstimator()
	cfg := estimateCfg()
	cfg.Histograms, cfg.Estimator = tables, est
	acc := func(cfg MergeConfig) float64 {
		t.Helper()
		return churnVersion(t, vec, nil, cfg).EstimatedPerformance["accuracy"].Value
	}
	if a := acc(cfg); math.Abs(a-0.77) > 1e-9 || est.lastReuse {
		t.Fatalf("first: accuracy %v, reused %v", a, est.lastReuse)
	}
	if a := acc(cfg); math.Abs(a-0.77) > 1e-9 || !est.lastReuse {
		t.Errorf("same tables: accuracy %v, reused %v", a, est.lastReuse)
	}
	cfg.Estimate.Threshold = 0.25
	if a := acc(cfg); math.Abs(a-0.69) > 1e-9 {
		t.Errorf("threshold 0.25: accuracy %v, want 0.69", a)
	}
	// New predictions: all in the top bucket (p = .9), accuracy .9.
	var top model.Vector
	for _, le := range scoreBounds {
		n := 0.0
		if le == "1" || le == "+Inf" {
			n = 50
		}
		top = append(top, sample(n, "model", "churn", "version", "3", "feature", fleet.PredictionFeature, "le", le))
	}
	cfg.Histograms = map[fleet.Role]*labelrows.Table{
		fleet.RoleFeatureBuckets:   labelrows.FromVector(top, TableColumns(fleet.RoleFeatureBuckets)),
		fleet.RoleScoreCalibration: tables[fleet.RoleScoreCalibration],
	}
	if a := acc(cfg); math.Abs(a-0.9) > 1e-9 || est.lastReuse {
		t.Errorf("new predictions: accuracy %v, reused %v", a, est.lastReuse)
	}
}

// A reused estimate's metrics are shared by the snapshots of successive
// refreshes: a version whose exporter gives a metric of its own in one
// refresh gets a copy, and no snapshot sees another's figures.
func TestReusedEstimateIsNotWritten(t *testing.T) {
	in := calibrationFleet()
	tables := map[fleet.Role]*labelrows.Table{
		fleet.RoleFeatureBuckets:   labelrows.FromVector(in[fleet.RoleFeatureBuckets], TableColumns(fleet.RoleFeatureBuckets)),
		fleet.RoleScoreCalibration: labelrows.FromVector(in[fleet.RoleScoreCalibration], TableColumns(fleet.RoleScoreCalibration)),
	}
	plain := map[fleet.Role]model.Vector{fleet.RoleRequestRate: in[fleet.RoleRequestRate]}
	exported := map[fleet.Role]model.Vector{
		fleet.RoleRequestRate:         in[fleet.RoleRequestRate],
		fleet.RolePerformanceEstimate: {sample(0.9, "model", "churn", "version", "3", "metric", "accuracy")},
	}
	cfg := estimateCfg()
	cfg.Histograms, cfg.Estimator = tables, NewEstimator()
	first := churnVersion(t, plain, nil, cfg)
	second := churnVersion(t, exported, nil, cfg)
	third := churnVersion(t, plain, nil, cfg)
	if !cfg.Estimator.lastReuse {
		t.Fatal("the estimate was not reused")
	}
	for _, c := range []struct {
		name string
		v    *fleet.Version
		want float64
	}{{"first", first, 0.77}, {"second (the exporter's)", second, 0.9}, {"third", third, 0.77}} {
		if a := c.v.EstimatedPerformance["accuracy"].Value; math.Abs(a-c.want) > 1e-9 {
			t.Errorf("%s refresh: accuracy %v, want %v", c.name, a, c.want)
		}
		if len(c.v.EstimatedPerformance) != 5 {
			t.Errorf("%s refresh: estimated %v", c.name, c.v.EstimatedPerformance)
		}
	}
	if first.Calibration == second.Calibration || first.Calibration == third.Calibration {
		t.Error("refreshes share a calibration, which the judge marks per snapshot")
	}
}

// Histograms with more buckets than the reader's blocks hold: 20 buckets
// 0.05 wide, one prediction each, labels that are all negative up to 0.5
// and all positive above: every metric is 1.
func TestEstimateManyBuckets(t *testing.T) {
	in := map[fleet.Role]model.Vector{fleet.RoleRequestRate: {sample(5, "model", "churn", "version", "3")}}
	for i := 1; i <= 21; i++ {
		le := "+Inf"
		if i <= 20 {
			le = strconv.FormatFloat(float64(i)*0.05, 'g', -1, 64)
		}
		n, all, pos := float64(min(i, 20)), 10*float64(min(i, 20)), 10*float64(max(min(i, 20)-10, 0))
		in[fleet.RoleFeatureBuckets] = append(in[fleet.RoleFeatureBuckets], sample(n, "model", "churn", "version", "3", "feature", fleet.PredictionFeature, "le", le))
		in[fleet.RoleScoreCalibration] = append(in[fleet.RoleScoreCalibration],
			sample(all, "model", "churn", "version", "3", "le", le, "calibration", "all"),
			sample(pos, "model", "churn", "version", "3", "le", le, "calibration", "positive"))
	}
	v := churnVersion(t, in, nil, estimateCfg())
	if v.Calibration == nil || v.Calibration.Unavailable != "" || v.Calibration.Labels != 200 {
		t.Fatalf("calibration %+v", v.Calibration)
	}
	for _, m := range fleet.EstimatedMetrics {
		if e, ok := v.EstimatedPerformance[m]; !ok || math.Abs(e.Value-1) > 1e-9 {
			t.Errorf("%s = %+v, want 1", m, e)
		}
	}
}

// A model the registry knows by another name is still found by its metrics
// label, and takes its threshold from the registered version.
func TestEstimateOfARenamedModel(t *testing.T) {
	reg := &fleet.Registry{Models: []fleet.RegisteredModel{{
		Name: "churn-predictor", Tags: map[string]string{TagServingName: "churn"},
		Versions: []fleet.RegisteredVersion{{Version: "3", Tags: map[string]string{TagThreshold: "0.25"}}},
	}}}
	out := Merge(calibrationFleet(), reg, estimateCfg())
	v := findVersion(t, findModel(t, out.Models, "churn-predictor"), "3")
	if a := v.EstimatedPerformance["accuracy"]; math.Abs(a.Value-0.69) > 1e-9 {
		t.Errorf("accuracy %+v, want 0.69 at the tag's threshold", a)
	}
}

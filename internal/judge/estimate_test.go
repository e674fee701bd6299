package judge

import (
	"math"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// estimated is a classifier whose newest label is two days old: measured
// auc .86 as offline, estimated now at est ± .01 on 5,000 calibration
// labels with ECE ece.
func estimated(est, ece float64) fleet.Version {
	return fleet.Version{
		Version:           "3",
		RequestsPerSecond: ptr(5.0),
		Performance:       map[string]float64{"auc": 0.86},
		Baseline:          map[string]float64{"auc": 0.86},
		GroundTruth:       fleet.GroundTruth{LastLabelAgeSeconds: ptr(2 * 86400.0), Labels: ptr(500.0)},
		EstimatedPerformance: map[string]fleet.Estimate{
			"roc_auc":  {Value: est, StdError: ptr(0.01)},
			"accuracy": {Value: 0.9, StdError: ptr(0.004)},
		},
		Calibration: &fleet.Calibration{ECE: ece, Labels: 5000, Threshold: 0.5},
	}
}

func judgeOne(v fleet.Version, c Config) fleet.Version {
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{v}}
	Model(&m, c)
	return m.Versions[0]
}

func TestEstimateHeadsOldQuality(t *testing.T) {
	v := judgeOne(estimated(0.80, 0.02), Default())
	q := v.Quality
	if q == nil || !q.Estimated || !eq(q.Live, 0.80) || !eq(q.Measured, 0.86) || !eq(q.StdError, 0.01) {
		t.Fatalf("quality %+v", q)
	}
	if q.Metric != "auc" || math.Abs(q.Delta-0.06) > 1e-9 || q.Verdict != fleet.QualityWorse || !eq(q.Labels, 500) {
		t.Errorf("metric %s delta %v verdict %s labels %v", q.Metric, q.Delta, q.Verdict, q.Labels)
	}
	if q.Interval == nil || math.Abs(q.Interval[0]-(0.80-1.959963984540054*0.01)) > 1e-9 || q.IntervalMethod != IntervalStdError {
		t.Errorf("interval %v (%s)", q.Interval, q.IntervalMethod)
	}
	want := fleet.Finding{Version: "3", Check: fleet.CheckQualityDrop, Status: fleet.StatusWarn,
		Message: "estimated auc .80, .06 below offline .86 (labels 2d old)"}
	if len(v.Health.Findings) != 1 || v.Health.Findings[0] != want {
		t.Errorf("findings %+v, want %+v", v.Health.Findings, want)
	}
}

// An estimated drop of three times quality_drop still only warns: breaches
// are the measured value's.
func TestEstimateNeverCritical(t *testing.T) {
	v := judgeOne(estimated(0.70, 0.02), Default())
	if v.Health.Status != fleet.StatusWarn || len(v.Health.Findings) != 1 || v.Health.Findings[0].Breach {
		t.Errorf("health %v, findings %+v", v.Health.Status, v.Health.Findings)
	}
}

func TestEstimateWithinNoise(t *testing.T) {
	// .85 ± 1.96·.01 holds .86: the same, no finding.
	v := judgeOne(estimated(0.85, 0.02), Default())
	if q := v.Quality; !q.Estimated || q.Verdict != fleet.QualitySame || len(v.Health.Findings) != 0 {
		t.Errorf("quality %+v, findings %+v", q, v.Health.Findings)
	}
}

func TestFreshLabelsKeepTheMeasuredValue(t *testing.T) {
	in := estimated(0.70, 0.02)
	in.GroundTruth.LastLabelAgeSeconds = ptr(600.0)
	v := judgeOne(in, Default())
	if q := v.Quality; q.Estimated || !eq(q.Live, 0.86) || q.Measured != nil || q.StdError != nil || !eq(q.Labels, 500) {
		t.Errorf("quality %+v", q)
	}
	if len(v.Health.Findings) != 0 {
		t.Errorf("findings %+v", v.Health.Findings)
	}
}

func TestEstimateWithoutMeasuredValue(t *testing.T) {
	in := estimated(0.80, 0.02)
	in.Performance, in.GroundTruth = nil, fleet.GroundTruth{}
	v := judgeOne(in, Default())
	q := v.Quality
	if q == nil || !q.Estimated || !eq(q.Live, 0.80) || q.Measured != nil {
		t.Fatalf("quality %+v", q)
	}
	if len(v.Health.Findings) != 1 || !strings.HasSuffix(v.Health.Findings[0].Message, "(no measured value)") {
		t.Errorf("findings %+v", v.Health.Findings)
	}
	// No measured value and no baseline either: the estimate heads alone.
	in.Baseline = nil
	v = judgeOne(in, Default())
	if q := v.Quality; q == nil || q.Metric != "roc_auc" || !q.Estimated || !eq(q.Live, 0.80) || q.Verdict != "" || len(v.Health.Findings) != 0 {
		t.Errorf("quality %+v, findings %+v", q, v.Health.Findings)
	}
}

func TestEstimateHealthOff(t *testing.T) {
	c := Default()
	c.Estimate.Health = EstimateHealthOff
	v := judgeOne(estimated(0.70, 0.02), c)
	if q := v.Quality; !q.Estimated || !eq(q.Live, 0.70) {
		t.Errorf("quality %+v: the estimate is shown with health off", q)
	}
	if len(v.Health.Findings) != 0 || v.Health.Status != fleet.StatusOK {
		t.Errorf("health %v, findings %+v", v.Health.Status, v.Health.Findings)
	}
}

func TestUnreliableEstimate(t *testing.T) {
	v := judgeOne(estimated(0.70, 0.06), Default())
	if !v.Calibration.Unreliable || v.Calibration.MaxECE != 0.05 {
		t.Errorf("ECE .06 > .05: unreliable %v, judged against %v", v.Calibration.Unreliable, v.Calibration.MaxECE)
	}
	if q := v.Quality; !q.Estimated || !eq(q.Live, 0.70) {
		t.Errorf("quality %+v: an unreliable estimate is shown", q)
	}
	if len(v.Health.Findings) != 0 {
		t.Errorf("findings %+v from an unreliable estimate", v.Health.Findings)
	}
	c := Default()
	c.Estimate.MaxECE = 0.1
	if v := judgeOne(estimated(0.70, 0.06), c); v.Calibration.Unreliable || v.Calibration.MaxECE != 0.1 || len(v.Health.Findings) != 1 {
		t.Errorf("max_ece .1: unreliable %v, findings %+v", v.Calibration.Unreliable, v.Health.Findings)
	}
	in := estimated(0.70, 0.5)
	in.Calibration.Unavailable = "no labelled predictions with scores in 0.7–0.8 over 7d"
	if v := judgeOne(in, Default()); v.Calibration.Unreliable {
		t.Errorf("an unavailable calibration is marked unreliable")
	}
}

// Without an estimate of the headline metric the measured value stays,
// however old.
func TestEstimateOfAnotherMetric(t *testing.T) {
	in := estimated(0.70, 0.02)
	delete(in.EstimatedPerformance, "roc_auc")
	v := judgeOne(in, Default())
	if q := v.Quality; q.Estimated || !eq(q.Live, 0.86) {
		t.Errorf("quality %+v", q)
	}
}

// An exporter's own estimate (no standard error) of an error metric:
// relative delta, no interval.
func TestExportedEstimate(t *testing.T) {
	in := fleet.Version{
		Version: "1", RequestsPerSecond: ptr(1.0),
		Baseline:             map[string]float64{"rmse": 2},
		EstimatedPerformance: map[string]fleet.Estimate{"rmse": {Value: 2.5}},
	}
	v := judgeOne(in, Default())
	q := v.Quality
	if q == nil || !q.Estimated || !eq(q.Live, 2.5) || q.StdError != nil || q.Interval != nil || !q.Relative || math.Abs(q.Delta-0.25) > 1e-9 {
		t.Fatalf("quality %+v", q)
	}
	want := "estimated rmse 2.5, 25% above offline 2 (no measured value)"
	if len(v.Health.Findings) != 1 || v.Health.Findings[0].Message != want || v.Health.Findings[0].Status != fleet.StatusWarn {
		t.Errorf("findings %+v, want %q", v.Health.Findings, want)
	}
}

func eq(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 1e-9 }

// An estimated headline keeps the measured value's label count; its low
// confidence comes from the calibration's labels.
func TestEstimateLabelsStayTheMeasuredOnes(t *testing.T) {
	v := estimated(0.80, 0.02)
	v.Calibration.Labels = 50
	q := judgeOne(v, Default()).Quality
	if q == nil || !q.Estimated || !eq(q.Labels, 500) || !q.LowConfidence {
		t.Fatalf("quality %+v, want estimated, 500 labels, low confidence (50 calibration labels)", q)
	}
}

// An ECE that sampling alone explains on as few labels is not
// miscalibration: .07 with a noise floor of .03 stays under .05 + .03.
func TestUnreliableBeyondSamplingNoise(t *testing.T) {
	in := estimated(0.70, 0.07)
	in.Calibration.ECENoise = 0.03
	if v := judgeOne(in, Default()); v.Calibration.Unreliable {
		t.Errorf("ECE .07 with noise .03 judged unreliable against .05")
	}
	in = estimated(0.70, 0.09)
	in.Calibration.ECENoise = 0.03
	if v := judgeOne(in, Default()); !v.Calibration.Unreliable {
		t.Errorf("ECE .09 with noise .03 not judged unreliable against .05")
	}
}

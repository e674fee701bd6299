package uitest

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// EstimatedSnapshot is Snapshot with quality estimated without labels:
// credit-risk's labels are two days old, so its headline quality is the
// CBPE estimate (v11 well calibrated, v12's calibration unreliable), and
// churn-predictor has calibration data but no estimate, with the reason.
func EstimatedSnapshot() fleet.Snapshot {
	s := Snapshot()
	for idx := range s.Models {
		m := &s.Models[idx]
		switch m.Name {
		case "credit-risk":
			estimate(m.Version("11"), 0.86, 0.02, &fleet.Calibration{ECE: 0.012, Labels: 38400, Window: 7 * 24 * time.Hour, Threshold: 0.5})
			estimate(m.Version("12"), 0.89, 0.03, &fleet.Calibration{ECE: 0.09, Labels: 2150, Window: 7 * 24 * time.Hour, Threshold: 0.5, Unreliable: true, MaxECE: 0.05})
		case "churn-predictor":
			m.Version("3").Calibration = &fleet.Calibration{ECE: 0.02, Labels: 310, Window: 7 * 24 * time.Hour, Threshold: 0.5,
				Unavailable: "no labelled predictions with scores in 0.95–1 over the last 7d"}
		}
	}
	return s
}

// estimate makes v's headline quality the estimate, as the judge does when
// the measured value is older than the window.
func estimate(v *fleet.Version, value, stdErr float64, c *fleet.Calibration) {
	v.Calibration = c
	v.EstimatedPerformance = map[string]fleet.Estimate{"roc_auc": {Value: value, StdError: f(stdErr)}, "accuracy": {Value: 0.93, StdError: f(0.004)}}
	q := v.Quality
	q.Measured, q.Live, q.StdError, q.Estimated = q.Live, f(value), f(stdErr), true
	q.Interval, q.IntervalMethod, q.LowConfidence = nil, "", false
	q.Delta = *q.Baseline - value
	q.Verdict, q.Noise = fleet.QualityWorse, ""
}

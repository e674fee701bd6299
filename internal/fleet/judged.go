package fleet

import "time"

// The fields below are conclusions, not data: internal/judge fills them
// (after the merge, before anyone reads the snapshot) and every screen,
// report and action reads them instead of deciding for itself.

// CheckData is the check of findings about the data itself (stale,
// impossible or ambiguous values): they make health unknown, never ✔.
const CheckData = "data"

// CheckWarmingUp is the check of a version whose series are younger than
// the rate window: its rates have not settled, so it is not judged ✔.
const CheckWarmingUp = "warming_up"

// Verdicts of a quality delta against its offline baseline.
const (
	QualityWorse  = "worse"
	QualityBetter = "better"
	QualitySame   = "same" // within noise: the baseline lies inside the live interval
)

// Quality is a version's headline metric judged against its offline
// baseline, with how far the live figure can be trusted.
type Quality struct {
	Metric   string
	Live     *float64
	Baseline *float64
	// Delta is how much worse live is than the baseline (negative when
	// better): absolute for bounded scores, a ratio of the baseline for
	// error metrics (Relative), whose scale is arbitrary. 0 without both.
	Delta         float64
	Relative      bool
	LowerIsBetter bool
	// Labels is the label count behind the measured value (nil when
	// unknown): Live's, or Measured's when Live is Estimated (the labels an
	// estimate rests on are its Calibration's).
	Labels *float64
	// Interval is the 95 % interval of Live, nil when the data allows
	// none; IntervalMethod says how it was made ("wilson",
	// "hanley-mcneil, balanced classes").
	Interval       *[2]float64
	IntervalMethod string
	// Verdict is QualityWorse, QualityBetter or QualitySame; "" without
	// both a live value and a baseline.
	Verdict string
	// Noise says how Verdict's "same" was decided: "interval" (the
	// baseline inside Interval) or "display" (no interval: the delta is
	// zero at the precision shown).
	Noise string
	// LowConfidence is true when Labels (when Estimated, the
	// calibration's labels) is below min_labels.
	LowConfidence bool
	// Estimated is true when Live is the label-free estimate (CBPE or the
	// exporter's own), shown because the measured value is older than the
	// window or absent; Measured is then the last measured value (nil
	// without one) and StdError the estimate's standard error (nil when
	// unknown). An estimated drop warns at most.
	Estimated bool
	Measured  *float64
	StdError  *float64
}

// HalfWidth is half the interval's width, or 0 without one.
func (q *Quality) HalfWidth() float64 {
	if q == nil || q.Interval == nil {
		return 0
	}
	return (q.Interval[1] - q.Interval[0]) / 2
}

// DataState says whether a version's figures are current.
type DataState struct {
	// Stale is true when a source or query behind the version's figures
	// failed: they are the last good ones, from Since (zero: never read).
	Stale bool
	Since time.Time
	// Problems are impossible or ambiguous values, in plain words
	// ("request rate -3/s is impossible"); each makes health unknown.
	Problems []string
}

// IsPredictionFeature reports whether a drift "feature" is the model's
// output rather than an input.
func IsPredictionFeature(feature string) bool {
	return feature == PredictionFeature || feature == "prediction"
}

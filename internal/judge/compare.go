package judge

import (
	"math"

	"github.com/mltop/mltop/internal/drift"
)

// Direction says which way a quantity is better.
type Direction int

const (
	Neutral      Direction = iota // no better side: traffic, rates
	HigherBetter                  // AUC, accuracy, labelled share, p-values
	LowerBetter                   // RMSE, latency, errors, drift distances, label age
)

// Comparison is which side of a pair a quantity favours.
type Comparison int

const (
	NoVerdict Comparison = iota // a value is unknown, or there is no better side
	Same                        // within noise
	BBetter
	ABetter
)

// Side is one version's figure, with its 95 % interval when one exists.
type Side struct {
	Value    *float64
	Interval *[2]float64
}

// Pair says how two figures are compared when they carry no interval.
type Pair struct {
	Dir Direction
	// Bounded figures (scores in 0..1) are the same within .005, the
	// precision they are shown at; others within 1 % of the larger.
	Bounded bool
	// Resolution is the smallest difference the reader is shown (.001 for
	// a score shown as +.004): a smaller one is never called a win.
	Resolution float64
	// Noise, when above 0, is a difference too small to matter for the
	// quantity (DriftNoise): a smaller one is the same.
	Noise float64
}

// Compare judges b against a. With an interval on either side, the two
// are the same when the intervals overlap (or one value lies in the
// other's interval): a winner is never declared inside the noise. Without
// intervals, a difference within display precision is the same.
func Compare(a, b Side, p Pair) Comparison {
	if !knownPtr(a.Value) || !knownPtr(b.Value) || p.Dir == Neutral {
		return NoVerdict
	}
	d := *b.Value - *a.Value
	switch {
	case a.Interval != nil || b.Interval != nil:
		if overlap(span(a), span(b)) {
			return Same
		}
	case d == 0 || math.Abs(d) < p.Resolution || math.Abs(d) < p.Noise*(1-1e-9): // decimals: .03 − .02 < .01
		return Same
	case p.Bounded && math.Abs(d) < boundedPrecision:
		return Same
	case !p.Bounded && math.Abs(d) < 0.01*math.Max(math.Abs(*a.Value), math.Abs(*b.Value)):
		return Same
	}
	if math.Abs(d) < p.Resolution {
		return Same
	}
	if (d < 0) == (p.Dir == LowerBetter) {
		return BBetter
	}
	return ABetter
}

// span is a side's interval, or its value as a point.
func span(s Side) [2]float64 {
	if s.Interval != nil {
		return *s.Interval
	}
	return [2]float64{*s.Value, *s.Value}
}

func overlap(a, b [2]float64) bool { return a[0] <= b[1] && b[0] <= a[1] }

// MetricPair is how two values of a quality metric compare: error-like
// metrics (RMSE, log loss, ...) are better lower and unbounded; scores
// (AUC, accuracy, ...) better higher, in 0..1.
func MetricPair(metric string) Pair {
	if LowerIsBetter(metric) {
		return Pair{Dir: LowerBetter}
	}
	return Pair{Dir: HigherBetter, Bounded: true}
}

// DriftPair is how two drift scores of one method compare: a p-value is
// better higher (less evidence of drift), in 0..1; a distance or
// divergence better lower.
func DriftPair(method string) Pair {
	if drift.IsPValue(method) {
		return Pair{Dir: HigherBetter, Bounded: true}
	}
	return Pair{Dir: LowerBetter}
}

// DriftNoise is the difference between two drift scores of one method
// that is too small to call either version better: a tenth of the
// threshold for a distance (PSI .1 → .01; two versions whose PSI differs
// by .002 are both equally undrifted), the threshold itself for a
// p-value. threshold is the one the scores were judged by, nil for the
// method's default; 0 when neither is known.
func DriftNoise(method string, threshold *float64) float64 {
	thr, ok := Config{}.featureThreshold(method, threshold)
	if !ok || !(thr > 0) {
		return 0
	}
	if drift.IsPValue(method) {
		return thr
	}
	return thr / 10
}

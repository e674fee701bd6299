package fleet

import (
	"math"
	"strings"
)

// z95 is the standard normal quantile for a two-sided 95 % interval.
const z95 = 1.959963984540054

// proportionMetrics are quality metrics that are a share of labelled
// predictions, so a binomial interval describes their sampling noise.
// F1 and AUC are not proportions; RMSE and friends are not bounded.
var proportionMetrics = map[string]bool{"accuracy": true, "precision": true, "recall": true}

// IsProportion reports whether a quality metric is a proportion of its
// labelled predictions (accuracy, precision, recall).
func IsProportion(metric string) bool { return proportionMetrics[strings.ToLower(metric)] }

// Wilson returns the 95 % Wilson score interval for a proportion p observed
// over n trials. ok is false when n is not positive or p is outside [0, 1]
// (or either is not a number).
func Wilson(p, n float64) (lo, hi float64, ok bool) {
	if !(n > 0) || math.IsInf(n, 0) || !(p >= 0 && p <= 1) {
		return 0, 0, false
	}
	z2 := z95 * z95
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, centre-half), math.Min(1, centre+half), true
}

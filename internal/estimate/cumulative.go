package estimate

import "math"

// FromCumulative turns a Prometheus histogram's cumulative bucket counts
// (ascending by bound, the +Inf bucket included) into counts per bucket.
// A NaN, infinite or negative count makes it fail: the histogram cannot be
// read, which is said, never guessed. Cumulative counts that dip slightly
// (increase() extrapolates each bucket's series on its own) are raised to
// the running maximum first, as Prometheus's histogram_quantile does, so no
// bucket is negative.
func FromCumulative(cumulative []float64) ([]float64, bool) {
	out := make([]float64, len(cumulative))
	prev := 0.0
	for i, c := range cumulative {
		if !(c >= 0) || math.IsInf(c, 0) {
			return nil, false
		}
		if c > prev {
			out[i] = c - prev
			prev = c
		}
	}
	return out, true
}

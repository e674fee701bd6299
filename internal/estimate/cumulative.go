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
	return AppendFromCumulative(make([]float64, 0, len(cumulative)), cumulative)
}

// AppendFromCumulative is FromCumulative with the counts appended to dst:
// a caller that reads thousands of histograms a refresh reuses one array.
// dst may be cumulative[:0]: each count is read before its place is written.
func AppendFromCumulative(dst, cumulative []float64) ([]float64, bool) {
	prev := 0.0
	for _, c := range cumulative {
		if !(c >= 0) || math.IsInf(c, 0) {
			return nil, false
		}
		n := 0.0
		if c > prev {
			n, prev = c-prev, c
		}
		dst = append(dst, n)
	}
	return dst, true
}

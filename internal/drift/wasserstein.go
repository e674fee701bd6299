package drift

import "math"

// minWassersteinNorm keeps Evidently's normalisation finite for a reference
// with (almost) no spread.
const minWassersteinNorm = 0.001

// bucketPoint is where a bucket's observations are assumed to sit: its
// midpoint; the first bucket, with no lower bound, at its upper bound; the
// +Inf bucket at the last finite bound.
func bucketPoint(bounds []float64, i int) float64 {
	switch {
	case i == 0:
		return bounds[0]
	case i == len(bounds)-1:
		return bounds[i-1]
	default:
		return bounds[i-1]/2 + bounds[i]/2 // halves first: no overflow near MaxFloat64
	}
}

// WassersteinNormed is Evidently's normed Wasserstein distance over two
// histograms with the same buckets: scipy.stats.wasserstein_distance between
// the buckets as weighted point masses (see bucketPoint), divided by
// max(reference standard deviation, 0.001). It reads as "how many reference
// standard deviations the mass moved"; Evidently's default threshold is 0.1.
// A single bucket ([+Inf]) has one point, so the distance is 0.
func WassersteinNormed(ref, cur Binned) (float64, error) {
	if err := sameBounds(ref, cur); err != nil {
		return 0, err
	}
	n, m, err := totals(ref.Counts, cur.Counts)
	if err != nil {
		return 0, err
	}
	k := len(ref.Bounds)
	if k == 1 {
		return 0, nil
	}
	// W1 = ∫ |F − G|: the CDFs are steps between consecutive points.
	w, cr, cc, mean := 0.0, 0.0, 0.0, 0.0
	prev := bucketPoint(ref.Bounds, 0)
	for i := 0; i < k; i++ {
		x := bucketPoint(ref.Bounds, i)
		w += math.Abs(cr/n-cc/m) * (x - prev)
		cr += ref.Counts[i]
		cc += cur.Counts[i]
		mean += ref.Counts[i] / n * x
		prev = x
	}
	// Population standard deviation of the reference points, two-pass.
	variance := 0.0
	for i := 0; i < k; i++ {
		d := bucketPoint(ref.Bounds, i) - mean
		variance += ref.Counts[i] / n * d * d
	}
	return finite("wasserstein", w/math.Max(math.Sqrt(variance), minWassersteinNorm))
}

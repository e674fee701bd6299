package drift

import "math"

// KolmogorovSmirnov compares two histograms with the same buckets. The
// statistic D is the largest gap between the two empirical CDFs at the bucket
// bounds (the only points a histogram knows the CDF at, so D never exceeds
// the raw-sample statistic). The p-value is the asymptotic one scipy's
// ks_2samp uses: kstwobign.sf(√(n·m/(n+m))·D), n and m the two totals.
// As in Evidently, the p-value is the drift score (default threshold 0.05).
func KolmogorovSmirnov(ref, cur Binned) (stat, pvalue float64, err error) {
	if err := sameBounds(ref, cur); err != nil {
		return 0, 0, err
	}
	n, m, err := totals(ref.Counts, cur.Counts)
	if err != nil {
		return 0, 0, err
	}
	// Cumulative counts over the total, not running sums of shares: equal
	// distributions at different scales then give exactly D = 0.
	cr, cc, d := 0.0, 0.0, 0.0
	for i := range ref.Counts {
		cr += ref.Counts[i]
		cc += cur.Counts[i]
		d = math.Max(d, math.Abs(cr/n-cc/m))
	}
	en := n * m / (n + m)
	if math.IsInf(n*m, 0) || math.IsInf(n+m, 0) {
		en = 1 / (1/n + 1/m) // same value without the overflow
	}
	return d, kolmogorovSF(math.Sqrt(en) * d), nil
}

// kolmogorovCutover splits the two series for the Kolmogorov distribution:
// below it the theta-function form for the CDF converges in three terms,
// above it the alternating series for the survival function does in six.
const kolmogorovCutover = 0.82

// kolmogorovSF is P(K > x) for the limiting Kolmogorov distribution, which is
// scipy's kstwobign.sf (Cephes' kolmogorov).
//
//	x ≥ cutover: sf = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²x²)
//	x < cutover: cdf = √(2π)/x · Σ_{k≥1} exp(−(2k−1)²π²/(8x²)), sf = 1 − cdf
//
// Both sums are evaluated with every term relative to the first, so the
// result keeps full relative precision down to the smallest normal numbers.
func kolmogorovSF(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case x <= 0:
		return 1
	case x < kolmogorovCutover:
		return 1 - kolmogorovCDFTheta(x)
	}
	return kolmogorovSFSeries(x)
}

// kolmogorovCDFTheta is the CDF by the theta-function series, for small x.
func kolmogorovCDFTheta(x float64) float64 {
	t := -math.Pi * math.Pi / (8 * x * x) // exponent of the first term
	if t < minLog {
		return 0 // underflows; also spares √(2π)/x overflowing for tiny x
	}
	u8 := math.Exp(8 * t)
	// Term k over term 1 is u^((2k−1)²−1) = u8^(k(k−1)/2).
	sum, term, ratio := 1.0, 1.0, 1.0
	for k := 1; k < 10; k++ {
		ratio *= u8
		term *= ratio
		if term < 1e-17 {
			break
		}
		sum += term
	}
	return math.Sqrt(2*math.Pi) / x * math.Exp(t) * sum
}

// kolmogorovSFSeries is the survival function by the alternating series,
// for large x.
func kolmogorovSFSeries(x float64) float64 {
	v := math.Exp(-2 * x * x)
	// Term k over term 1 is v^(k²−1); signs alternate.
	sum, term, ratio, sign := 1.0, 1.0, v, 1.0
	for k := 2; k < 20; k++ {
		ratio *= v * v // v^(2k−1)
		term *= ratio
		if term < 1e-17 {
			break
		}
		sign = -sign
		sum += sign * term
	}
	return math.Min(2*v*sum, 1)
}

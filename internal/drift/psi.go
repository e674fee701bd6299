package drift

import "math"

// zeroShare is what Evidently substitutes for an empty bucket's share on one
// side: a millionth of the smallest non-empty share when that share is
// already ≤ 1e-4, else 1e-4. Each side gets its own value.
func zeroShare(counts []float64, n float64) float64 {
	minCount := math.Inf(1)
	for _, c := range counts {
		if c > 0 && c < minCount {
			minCount = c
		}
	}
	// min(c)/n equals min(c/n): division by a positive n keeps the order.
	if s := minCount / n; s <= 1e-4 {
		// Floored so a subnormal share cannot make the substitute 0 and
		// the logarithm infinite.
		return math.Max(s/1e6, math.SmallestNonzeroFloat64)
	}
	return 1e-4
}

// filled is a bucket's share with Evidently's empty-bucket substitute.
func filled(c, n, zero float64) float64 {
	if c == 0 {
		return zero
	}
	return c / n
}

// PopulationStabilityIndex is Evidently's PSI over two count vectors:
// Σ (p−q)·ln(p/q) over the buckets' shares, empty buckets replaced as in
// zeroShare and the shares not renormalised afterwards. 0 means identical;
// Evidently's default threshold is 0.1. Numeric buckets or aligned category
// counts both work.
func PopulationStabilityIndex(ref, cur []float64) (float64, error) {
	n, m, err := totals(ref, cur)
	if err != nil {
		return 0, err
	}
	zr, zc := zeroShare(ref, n), zeroShare(cur, m)
	psi := 0.0
	for i := range ref {
		p, q := filled(ref[i], n, zr), filled(cur[i], m, zc)
		psi += (p - q) * math.Log(p/q)
	}
	return finite("psi", psi)
}

// KLDivergence is Evidently's kl_div: scipy.stats.entropy(p, q) = Σ p·ln(p/q)
// after the same empty-bucket substitute as PSI; unlike PSI, entropy
// renormalises both sides to sum to 1 first.
func KLDivergence(ref, cur []float64) (float64, error) {
	n, m, err := totals(ref, cur)
	if err != nil {
		return 0, err
	}
	zr, zc := zeroShare(ref, n), zeroShare(cur, m)
	sp, sq := 0.0, 0.0
	for i := range ref {
		sp += filled(ref[i], n, zr)
		sq += filled(cur[i], m, zc)
	}
	kl := 0.0
	for i := range ref {
		p, q := filled(ref[i], n, zr)/sp, filled(cur[i], m, zc)/sq
		kl += p * math.Log(p/q)
	}
	return finite("kl divergence", math.Max(kl, 0)) // rounding can dip below 0 for equal inputs
}

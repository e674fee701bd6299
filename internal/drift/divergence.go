package drift

import (
	"fmt"
	"math"
)

// DefaultJSBase is the logarithm base Compute uses for Jensen–Shannon: the
// natural log, as scipy's jensenshannon defaults to and Evidently calls it,
// so Evidently's 0.1 threshold means the same here. With base 2 the
// distance lies in [0, 1] and is larger by a factor √(1/ln 2) ≈ 1.2011.
const DefaultJSBase = math.E

// JensenShannon is scipy.spatial.distance.jensenshannon(p, q, base): the
// square root of the Jensen–Shannon divergence between the two sides'
// shares, with logarithms to the given base (> 0, ≠ 1). Empty buckets need
// no substitute here. It is a distance: 0 for identical shares, at most
// √ln 2 in base e and 1 in base 2.
func JensenShannon(ref, cur []float64, base float64) (float64, error) {
	if !(base > 0) || base == 1 || math.IsInf(base, 1) {
		return 0, fmt.Errorf("jensen-shannon log base %g: must be positive, finite and not 1", base)
	}
	n, m, err := totals(ref, cur)
	if err != nil {
		return 0, err
	}
	js := 0.0
	for i := range ref {
		p, q := ref[i]/n, cur[i]/m
		s := p + q // twice the mixture's share, which cannot underflow to 0
		js += relEntr(p, s) + relEntr(q, s)
	}
	if base != math.E {
		js /= math.Log(base)
	}
	// Equal shares can leave −1e-17 of rounding where scipy would take the
	// square root of a negative number; the true value is 0.
	return finite("jensen-shannon", math.Sqrt(math.Max(js, 0)/2))
}

// relEntr is scipy.special.rel_entr(x, s/2) for 0 ≤ x ≤ s, s > 0:
// x·ln(2x/s), and 0 when x is 0. 2x/s rounds exactly as x/(s/2) does.
func relEntr(x, s float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(2*x/s)
}

// HellingerDistance is √(1 − Σ √(p·q)) over the two sides' shares, in
// Evidently's form √(½ Σ (√p − √q)²), which equals it but keeps full
// precision when the distributions are close. 0 for identical shares, 1 for
// disjoint ones; Evidently's default threshold is 0.1.
func HellingerDistance(ref, cur []float64) (float64, error) {
	n, m, err := totals(ref, cur)
	if err != nil {
		return 0, err
	}
	s := 0.0
	for i := range ref {
		d := math.Sqrt(ref[i]/n) - math.Sqrt(cur[i]/m)
		s += d * d
	}
	return finite("hellinger", math.Min(math.Sqrt(s/2), 1)) // rounding must not pass the bound
}

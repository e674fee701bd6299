package drift

import (
	"fmt"
	"math"
)

// ChiSquareTest is Evidently's chi-square test on aligned category counts:
// scipy.stats.chisquare(current, f_exp = p·Σcurrent), p the reference
// shares, with k−1 degrees of freedom. Like Evidently, which only knows
// categories that occur, cells empty on both sides are left out and do not
// count towards k. With a single category there is nothing to test: the
// statistic is 0 and the p-value 1.
//
// A category present in the current data but absent from the reference has
// an expected count of 0 and an infinite statistic: that is
// ErrUnseenCategory, which Compute turns into p-value 0.
//
// As in Evidently, the p-value is the drift score (default threshold 0.05).
func ChiSquareTest(ref, cur []float64) (stat, pvalue float64, err error) {
	n, m, err := totals(ref, cur)
	if err != nil {
		return 0, 0, err
	}
	k := 0
	for i := range ref {
		if ref[i] == 0 && cur[i] == 0 {
			continue
		}
		k++
		e := ref[i] / n * m
		if e == 0 {
			return 0, 0, fmt.Errorf("chi-square cell %d (current %g): %w", i, cur[i], ErrUnseenCategory)
		}
		d := cur[i] - e
		stat += d * d / e
	}
	if k <= 1 {
		return 0, 1, nil
	}
	if stat, err = finite("chi-square statistic", stat); err != nil {
		return 0, 0, err
	}
	return stat, chiSquareSF(stat, float64(k-1)), nil
}

// ZTest is Evidently's test for binary data: the pooled two-proportion
// z-test, two-sided. The first non-empty cell is one value, the other cell
// the other; more than two non-empty cells is ErrNotApplicable. The p-value
// is erfc(|z|/√2), Evidently's 2·(1 − Φ(|z|)) without its loss of precision
// below 1e-16. Data with a single value on both sides gives z = 0, p = 1, as
// in Evidently. The p-value is the drift score (default threshold 0.05).
func ZTest(ref, cur []float64) (z, pvalue float64, err error) {
	n, m, err := totals(ref, cur)
	if err != nil {
		return 0, 0, err
	}
	cells := 0
	second := -1
	for i := range ref {
		if ref[i] == 0 && cur[i] == 0 {
			continue
		}
		cells++
		if cells == 2 {
			second = i
		}
	}
	switch {
	case cells > 2:
		return 0, 0, fmt.Errorf("z-test on %d categories, needs at most 2: %w", cells, ErrNotApplicable)
	case cells < 2:
		return 0, 1, nil
	}
	p1, p2 := ref[second]/n, cur[second]/m
	pooled := (ref[second] + cur[second]) / (n + m)
	z = (p1 - p2) / math.Sqrt(pooled*(1-pooled)*(1/n+1/m))
	if z, err = finite("z statistic", z); err != nil {
		return 0, 0, err
	}
	return z, math.Erfc(math.Abs(z) / math.Sqrt2), nil
}

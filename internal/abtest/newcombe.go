package abtest

import (
	"fmt"
	"math"
)

// Wilson is the Wilson score interval for the rate of c at normal
// quantile z (1.96 for 95 %).
func Wilson(c Count, z float64) (lo, hi float64, err error) {
	if err := c.check("count"); err != nil {
		return 0, 0, fmt.Errorf("wilson: %w", err)
	}
	if !(z > 0) || !finite(z) {
		return 0, 0, fmt.Errorf("wilson: z %g: %w", z, ErrInvalid)
	}
	p, n, z2 := c.Rate(), c.N, z*z
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, centre-half), math.Min(1, centre+half), nil
}

// Newcombe is the candidate's rate minus the baseline's with its 1 − alpha
// interval by Newcombe's hybrid score method (Newcombe 1998, method 10):
// each side's Wilson interval, combined as
//
//	L = d − √((p_c − l_c)² + (u_b − p_b)²)
//	U = d + √((u_c − p_c)² + (p_b − l_b)²)
//
// with d = p_c − p_b. Unlike the Wald interval it stays inside [−1, 1]
// and keeps its coverage at rates near 0 or 1 and at small counts.
func Newcombe(base, cand Count, alpha float64) (diff float64, iv [2]float64, err error) {
	if err := checkPair(base, cand); err != nil {
		return 0, iv, fmt.Errorf("newcombe: %w", err)
	}
	if err := checkAlpha(alpha); err != nil {
		return 0, iv, fmt.Errorf("newcombe: %w", err)
	}
	z := ZTwoSided(alpha)
	lb, ub, _ := Wilson(base, z)
	lc, uc, _ := Wilson(cand, z)
	pb, pc := base.Rate(), cand.Rate()
	diff = pc - pb
	iv[0] = diff - math.Sqrt((pc-lc)*(pc-lc)+(ub-pb)*(ub-pb))
	iv[1] = diff + math.Sqrt((uc-pc)*(uc-pc)+(pb-lb)*(pb-lb))
	return diff, iv, nil
}

// ZDiff is the candidate's estimate minus the baseline's with its 1 − alpha
// interval and two-sided p-value, from the two standard errors (the
// estimates taken as independent and normal):
//
//	d ± z·√(se_b² + se_c²),  p = 2·(1 − Φ(|d| / √(se_b² + se_c²)))
func ZDiff(base, baseSE, cand, candSE, alpha float64) (diff float64, iv [2]float64, p float64, err error) {
	for _, f := range []float64{base, baseSE, cand, candSE} {
		if !finite(f) {
			return 0, iv, 0, fmt.Errorf("z difference: %g: %w", f, ErrInvalid)
		}
	}
	if baseSE < 0 || candSE < 0 {
		return 0, iv, 0, fmt.Errorf("z difference: negative standard error: %w", ErrInvalid)
	}
	if err := checkAlpha(alpha); err != nil {
		return 0, iv, 0, fmt.Errorf("z difference: %w", err)
	}
	se := math.Hypot(baseSE, candSE)
	if se == 0 {
		return 0, iv, 0, fmt.Errorf("z difference: both standard errors are 0: %w", ErrNoData)
	}
	diff = cand - base
	half := ZTwoSided(alpha) * se
	return diff, [2]float64{diff - half, diff + half}, math.Min(1, 2*normalSF(math.Abs(diff)/se)), nil
}

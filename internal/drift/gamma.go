package drift

import "math"

const (
	machEp  = 1.11022302462515654042e-16 // 2^-53
	minLog  = -7.451332191019412076235e2 // exp of less underflows to 0
	big     = 4.503599627370496e15       // 2^52: rescale the continued fraction past this
	bigInv  = 2.22044604925031308085e-16
	maxIter = 100000 // far beyond the O(√a) terms needed for any sane a
)

// chiSquareSF is P(X > x) for X ~ χ²(dof): Q(dof/2, x/2).
func chiSquareSF(x, dof float64) float64 {
	if x <= 0 {
		return 1
	}
	return gammaQ(dof/2, x/2)
}

// gammaQ is the regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a),
// after Cephes' igamc: the continued fraction for x > a (and x ≥ 1), else
// 1 − P(a, x) from the power series. The common factor xᵃe⁻ˣ/Γ(a) is taken
// through logs, so tiny results keep their relative precision until they
// underflow.
func gammaQ(a, x float64) float64 {
	switch {
	case math.IsNaN(a) || math.IsNaN(x) || a <= 0 || x < 0:
		return math.NaN()
	case x == 0:
		return 1
	case math.IsInf(x, 1):
		return 0
	case x < 1 || x < a:
		return 1 - gammaPSeries(a, x)
	}
	lg, _ := math.Lgamma(a)
	ax := a*math.Log(x) - x - lg
	if ax < minLog {
		return 0
	}
	ax = math.Exp(ax)

	y := 1 - a
	z := x + y + 1
	c := 0.0
	pkm2, qkm2 := 1.0, x
	pkm1, qkm1 := x+1, z*x
	ans := pkm1 / qkm1
	for i := 0; i < maxIter; i++ {
		c++
		y++
		z += 2
		yc := y * c
		pk := pkm1*z - pkm2*yc
		qk := qkm1*z - qkm2*yc
		t := 1.0
		if qk != 0 {
			r := pk / qk
			t = math.Abs((ans - r) / r)
			ans = r
		}
		pkm2, pkm1 = pkm1, pk
		qkm2, qkm1 = qkm1, qk
		if math.Abs(pk) > big {
			pkm2 *= bigInv
			pkm1 *= bigInv
			qkm2 *= bigInv
			qkm1 *= bigInv
		}
		if t <= machEp {
			break
		}
	}
	return ans * ax
}

// gammaPSeries is the regularized lower incomplete gamma P(a, x) by its power
// series, for x < max(a, 1) where it converges quickly.
func gammaPSeries(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	ax := a*math.Log(x) - x - lg
	if ax < minLog {
		return 0
	}
	ax = math.Exp(ax)
	r, c, ans := a, 1.0, 1.0
	for i := 0; i < maxIter; i++ {
		r++
		c *= x / r
		ans += c
		if c/ans <= machEp {
			break
		}
	}
	return math.Min(ans*ax/a, 1)
}

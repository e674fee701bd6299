package drift

import (
	"math"
	"testing"
)

func TestKolmogorovSeriesAgreeAroundCutover(t *testing.T) {
	// The two series are independent formulas for the same function; where
	// both converge they must agree, which checks each one's terms.
	for x := 0.5; x <= 1.2; x += 0.01 {
		theta := 1 - kolmogorovCDFTheta(x)
		series := kolmogorovSFSeries(x)
		if relErr(theta, series) > 1e-14 {
			t.Errorf("x=%.2f: theta form %.17g, alternating series %.17g", x, theta, series)
		}
	}
}

func TestKolmogorovCriticalValues(t *testing.T) {
	// Published asymptotic critical values K_α (4 decimals) with sf(K_α) = α.
	for _, c := range []struct{ x, alpha float64 }{
		{1.0727, 0.20}, {1.2238, 0.10}, {1.3581, 0.05}, {1.4802, 0.025}, {1.6276, 0.01}, {1.9495, 0.001},
	} {
		if got := kolmogorovSF(c.x); math.Abs(got-c.alpha) > 2e-4*c.alpha+1e-5 {
			t.Errorf("sf(%g) = %g, want ≈ %g", c.x, got, c.alpha)
		}
	}
}

func TestKolmogorovShape(t *testing.T) {
	if kolmogorovSF(0) != 1 || kolmogorovSF(-1) != 1 || kolmogorovSF(1e-300) != 1 || kolmogorovSF(5e-324) != 1 {
		t.Error("sf at or below 0 must be 1")
	}
	if kolmogorovSF(math.Inf(1)) != 0 || kolmogorovSF(40) != 0 {
		t.Error("sf far in the tail must underflow to 0")
	}
	prev := 1.0
	for x := 0.01; x < 27; x += 0.01 {
		sf := kolmogorovSF(x)
		if math.IsNaN(sf) || sf < 0 || sf > prev {
			t.Fatalf("sf(%g) = %g after %g: not a decreasing probability", x, sf, prev)
		}
		prev = sf
	}
	// Deep in the tail only the first term survives: 2·exp(−2x²).
	for _, x := range []float64{5, 10, 18} {
		if want := 2 * math.Exp(-2*x*x); relErr(kolmogorovSF(x), want) > 1e-14 {
			t.Errorf("sf(%g) = %g, want %g", x, kolmogorovSF(x), want)
		}
	}
}

// closed forms of Q(a, x) for integer and half-integer a.
func gammaQClosed(a, x float64) float64 {
	if a == math.Trunc(a) { // e^−x Σ_{k<a} x^k/k!
		s, term := 0.0, 1.0
		for k := 0; k < int(a); k++ {
			s += term
			term *= x / float64(k+1)
		}
		return math.Exp(-x) * s
	}
	// erfc(√x) + e^−x Σ_{k=1}^{a−½} x^(k−½)/Γ(k+½)
	s := math.Erfc(math.Sqrt(x))
	for k := 1; float64(k) < a; k++ {
		g := math.Gamma(float64(k) + 0.5)
		s += math.Exp(-x+(float64(k)-0.5)*math.Log(x)) / g
	}
	return s
}

func TestGammaQClosedForms(t *testing.T) {
	// Both branches (series below a, continued fraction above) and the far
	// tail, where the relative precision of tiny p-values is at stake.
	for _, a := range []float64{0.5, 1, 1.5, 2, 2.5, 3, 4.5, 5, 10} {
		for _, x := range []float64{1e-8, 0.01, 0.3, 0.9, 1, 1.5, 2.5, 4, 7, 12, 30, 80, 200, 390, 700} {
			got, want := gammaQ(a, x), gammaQClosed(a, x)
			// Closed forms that are a difference lose digits for small x.
			tol := 1e-13
			if want > 0.5 {
				tol = 1e-14 / want
			}
			if relErr(got, want) > max(tol, 1e-13) {
				t.Errorf("Q(%g, %g) = %.17g, closed form %.17g (rel %.3g)", a, x, got, want, relErr(got, want))
			}
		}
	}
}

func TestChiSquareSFKnownQuantiles(t *testing.T) {
	// 95th and 99th percentiles of χ² (scipy chi2.ppf, 16 digits).
	for _, c := range []struct{ x, dof, p float64 }{
		{3.841458820694124, 1, 0.05},
		{5.991464547107979, 2, 0.05},
		{7.814727903251178, 3, 0.05},
		{6.6348966010212145, 1, 0.01},
		{18.307038053275146, 10, 0.05},
	} {
		if got := chiSquareSF(c.x, c.dof); relErr(got, c.p) > 1e-12 {
			t.Errorf("chi2.sf(%g, %g) = %.17g, want %g", c.x, c.dof, got, c.p)
		}
	}
	if chiSquareSF(0, 3) != 1 || gammaQ(2, math.Inf(1)) != 0 || !math.IsNaN(gammaQ(-1, 1)) {
		t.Error("chi-square survival function edges")
	}
}

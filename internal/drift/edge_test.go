package drift

import (
	"errors"
	"math"
	"testing"
)

// allStats runs every statistic on two count vectors, bucketed with the
// given bounds for the ones that need them; each entry is (values, error).
func allStats(bounds, ref, cur []float64) map[string]struct {
	v   []float64
	err error
} {
	out := map[string]struct {
		v   []float64
		err error
	}{}
	put := func(name string, err error, v ...float64) {
		out[name] = struct {
			v   []float64
			err error
		}{v, err}
	}
	r, c := Binned{bounds, ref}, Binned{bounds, cur}
	psi, err := PopulationStabilityIndex(ref, cur)
	put("psi", err, psi)
	kl, err := KLDivergence(ref, cur)
	put("kl", err, kl)
	d, p, err := KolmogorovSmirnov(r, c)
	put("ks", err, d, p)
	je, err := JensenShannon(ref, cur, math.E)
	put("js_e", err, je)
	j2, err := JensenShannon(ref, cur, 2)
	put("js_2", err, j2)
	w, err := WassersteinNormed(r, c)
	put("wasserstein", err, w)
	h, err := HellingerDistance(ref, cur)
	put("hellinger", err, h)
	s, p, err := ChiSquareTest(ref, cur)
	put("chisquare", err, s, p)
	z, p, err := ZTest(ref, cur)
	put("z", err, z, p)
	return out
}

func TestZeroTotalIsAnError(t *testing.T) {
	bounds := []float64{1, 2, math.Inf(1)}
	for _, sides := range [][2][]float64{
		{{0, 0, 0}, {1, 2, 3}},
		{{1, 2, 3}, {0, 0, 0}},
		{{0, 0, 0}, {0, 0, 0}},
	} {
		for name, res := range allStats(bounds, sides[0], sides[1]) {
			if !errors.Is(res.err, ErrEmpty) {
				t.Errorf("%s(%v, %v): err = %v, want ErrEmpty (values %v)", name, sides[0], sides[1], res.err, res.v)
			}
		}
	}
	if _, err := PopulationStabilityIndex(nil, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("no buckets at all: %v", err)
	}
}

func TestMismatchedLengthsAreErrors(t *testing.T) {
	bounds := []float64{1, 2, math.Inf(1)}
	for name, res := range allStats(bounds, []float64{1, 2, 3}, []float64{1, 2}) {
		if !errors.Is(res.err, ErrLength) {
			t.Errorf("%s: err = %v, want ErrLength", name, res.err)
		}
	}
	// Counts that do not fit the bounds.
	_, _, err := KolmogorovSmirnov(Binned{[]float64{1, math.Inf(1)}, []float64{1, 2, 3}}, Binned{[]float64{1, math.Inf(1)}, []float64{1, 2, 3}})
	if !errors.Is(err, ErrLength) {
		t.Errorf("counts longer than bounds: %v", err)
	}
	_, err = WassersteinNormed(Binned{[]float64{1, math.Inf(1)}, []float64{1, 2}}, Binned{[]float64{2, math.Inf(1)}, []float64{1, 2}})
	if !errors.Is(err, ErrBounds) {
		t.Errorf("different bounds: %v", err)
	}
}

func TestBadCountsAreErrors(t *testing.T) {
	bounds := []float64{1, 2, math.Inf(1)}
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		for name, res := range allStats(bounds, []float64{1, bad, 3}, []float64{1, 2, 3}) {
			if !errors.Is(res.err, ErrCount) {
				t.Errorf("%s with count %g: err = %v, want ErrCount", name, bad, res.err)
			}
		}
	}
	for name, res := range allStats(bounds, []float64{math.MaxFloat64, math.MaxFloat64, 1}, []float64{1, 2, 3}) {
		if !errors.Is(res.err, ErrOutOfRange) {
			t.Errorf("%s with an overflowing total: err = %v, want ErrOutOfRange", name, res.err)
		}
	}
}

func TestBadBoundsAreErrors(t *testing.T) {
	inf := math.Inf(1)
	for _, bounds := range [][]float64{
		{1, 2, 3},              // no +Inf bucket
		{2, 1, inf},            // unsorted
		{1, 1, inf},            // duplicate
		{math.NaN(), 1, inf},   // NaN
		{math.Inf(-1), 1, inf}, // −Inf lower bucket has no point
		{1, inf, inf},          // +Inf twice
		{},                     // nothing
	} {
		counts := make([]float64, len(bounds))
		for i := range counts {
			counts[i] = 1
		}
		b := Binned{bounds, counts}
		if _, _, err := KolmogorovSmirnov(b, b); !errors.Is(err, ErrBounds) {
			t.Errorf("KS with bounds %v: err = %v, want ErrBounds", bounds, err)
		}
		if _, err := WassersteinNormed(b, b); !errors.Is(err, ErrBounds) {
			t.Errorf("Wasserstein with bounds %v: err = %v, want ErrBounds", bounds, err)
		}
	}
}

func TestSingleBin(t *testing.T) {
	// One bucket holds everything on both sides: nothing can have drifted.
	bounds := []float64{math.Inf(1)}
	for name, res := range allStats(bounds, []float64{40}, []float64{7}) {
		if res.err != nil {
			t.Errorf("%s: %v", name, res.err)
			continue
		}
		want := []float64{0}
		if len(res.v) == 2 {
			want = []float64{0, 1} // statistic 0, p-value 1
		}
		for i := range want {
			if res.v[i] != want[i] {
				t.Errorf("%s = %v, want %v", name, res.v, want)
			}
		}
	}
}

func TestAllMassInOneBin(t *testing.T) {
	inf := math.Inf(1)
	bounds := []float64{0.5, 1, 2, inf}
	// Same bin: identical. Different bins: the distances reach their maxima.
	same := allStats(bounds, []float64{0, 9, 0, 0}, []float64{0, 3, 0, 0})
	for name, res := range same {
		if res.err != nil || res.v[0] != 0 {
			t.Errorf("same bin %s = %v, %v; want 0", name, res.v, res.err)
		}
	}
	apart := allStats(bounds, []float64{0, 9, 0, 0}, []float64{0, 0, 0, 3})
	checks := map[string]float64{"hellinger": 1, "js_2": 1, "js_e": math.Sqrt(math.Ln2)}
	for name, want := range checks {
		if res := apart[name]; res.err != nil || math.Abs(res.v[0]-want) > 1e-15 {
			t.Errorf("disjoint %s = %v, %v; want %g", name, res.v, res.err, want)
		}
	}
	if res := apart["ks"]; res.err != nil || res.v[0] != 1 {
		t.Errorf("disjoint KS D = %v, %v; want 1", res.v, res.err)
	}
	// All the reference at one point: its spread is floored at 0.001, and the
	// mass moved from 0.75 to 2 (the +Inf bucket's point).
	if res := apart["wasserstein"]; res.err != nil || math.Abs(res.v[0]-1.25/0.001) > 1e-9 {
		t.Errorf("disjoint Wasserstein = %v, %v; want 1250", res.v, res.err)
	}
	// The reference never saw the current's category.
	if res := apart["chisquare"]; !errors.Is(res.err, ErrUnseenCategory) {
		t.Errorf("chi-square with an unseen category: %v", res.err)
	}
}

func TestDistancesAreSymmetricAndBounded(t *testing.T) {
	a := []float64{3, 0, 10, 40, 2}
	b := []float64{0, 8, 30, 1, 1}
	for _, f := range []func(r, c []float64) (float64, error){
		PopulationStabilityIndex,
		HellingerDistance,
		func(r, c []float64) (float64, error) { return JensenShannon(r, c, 2) },
	} {
		ab, err1 := f(a, b)
		ba, err2 := f(b, a)
		if err1 != nil || err2 != nil || relErr(ab, ba) > 1e-15 || ab <= 0 {
			t.Errorf("asymmetric or zero: %g vs %g (%v, %v)", ab, ba, err1, err2)
		}
	}
	if js, _ := JensenShannon(a, b, 2); js > 1 {
		t.Errorf("base-2 JS distance %g > 1", js)
	}
	je, _ := JensenShannon(a, b, math.E)
	j2, _ := JensenShannon(a, b, 2)
	if relErr(je/j2, math.Sqrt(math.Ln2)) > 1e-14 {
		t.Errorf("base e / base 2 = %g, want √ln2", je/j2)
	}
	for _, base := range []float64{0, 1, -2, math.NaN(), math.Inf(1)} {
		if _, err := JensenShannon(a, b, base); err == nil {
			t.Errorf("base %g accepted", base)
		}
	}
}

func TestPSIEmptyBucketRule(t *testing.T) {
	// Reference shares 0.5/0.5/0 (min 0.5 > 1e-4, so the empty one becomes
	// 1e-4); current 1e-5·… has a share ≤ 1e-4, so its empty bucket becomes
	// that share / 1e6. No renormalisation.
	ref := []float64{1, 1, 0}
	cur := []float64{0, 99999, 1}
	p := []float64{0.5, 0.5, 1e-4}
	q := []float64{1e-5 / 1e6, 0.99999, 1e-5}
	want := 0.0
	for i := range p {
		want += (p[i] - q[i]) * math.Log(p[i]/q[i])
	}
	got, err := PopulationStabilityIndex(ref, cur)
	if err != nil || relErr(got, want) > 1e-14 {
		t.Errorf("PSI = %.17g, %v; want %.17g", got, err, want)
	}
}

func TestKLDivergence(t *testing.T) {
	// Two cells, no empty ones: p·ln(p/q) + (1−p)·ln((1−p)/(1−q)).
	got, err := KLDivergence([]float64{30, 70}, []float64{60, 40})
	want := 0.3*math.Log(0.3/0.6) + 0.7*math.Log(0.7/0.4)
	if err != nil || relErr(got, want) > 1e-14 {
		t.Errorf("KL = %g, %v; want %g", got, err, want)
	}
	if kl, err := KLDivergence([]float64{1, 2}, []float64{10, 20}); err != nil || kl != 0 {
		t.Errorf("KL of equal shares = %g, %v", kl, err)
	}
	// An empty current bucket gets 1e-4, then both sides are renormalised.
	got, _ = KLDivergence([]float64{1, 1}, []float64{1, 0})
	q1, q2 := 1/(1+1e-4), 1e-4/(1+1e-4)
	want = 0.5*math.Log(0.5/q1) + 0.5*math.Log(0.5/q2)
	if relErr(got, want) > 1e-14 {
		t.Errorf("KL with an empty bucket = %g, want %g", got, want)
	}
}

func TestChiSquareIgnoresCellsEmptyOnBothSides(t *testing.T) {
	s1, p1, err1 := ChiSquareTest([]float64{10, 20, 30}, []float64{12, 18, 40})
	s2, p2, err2 := ChiSquareTest([]float64{10, 0, 20, 30, 0}, []float64{12, 0, 18, 40, 0})
	if err1 != nil || err2 != nil || s1 != s2 || p1 != p2 {
		t.Errorf("empty cells changed the test: (%g, %g) vs (%g, %g)", s1, p1, s2, p2)
	}
	if s1 <= 0 || p1 <= 0 || p1 >= 1 {
		t.Errorf("implausible chi-square %g, p %g", s1, p1)
	}
}

func TestZTestSquaredIsContingencyChiSquare(t *testing.T) {
	// The pooled two-proportion z² equals Pearson's χ² for the 2×2 table,
	// and its p-value the χ²(1) tail: erfc against the incomplete gamma.
	ref, cur := []float64{420, 580}, []float64{95, 205}
	z, p, err := ZTest(ref, cur)
	if err != nil {
		t.Fatal(err)
	}
	table := [2][2]float64{{ref[0], ref[1]}, {cur[0], cur[1]}}
	n := ref[0] + ref[1] + cur[0] + cur[1]
	chi2 := 0.0
	for i := range 2 {
		for j := range 2 {
			row := table[i][0] + table[i][1]
			col := table[0][j] + table[1][j]
			e := row * col / n
			chi2 += (table[i][j] - e) * (table[i][j] - e) / e
		}
	}
	if relErr(z*z, chi2) > 1e-12 {
		t.Errorf("z² = %g, contingency χ² = %g", z*z, chi2)
	}
	if relErr(p, chiSquareSF(chi2, 1)) > 1e-12 {
		t.Errorf("z p-value %g, χ²(1) tail %g", p, chiSquareSF(chi2, 1))
	}
	if _, _, err := ZTest([]float64{1, 2, 3}, []float64{1, 2, 3}); !errors.Is(err, ErrNotApplicable) {
		t.Errorf("z-test on 3 categories: %v", err)
	}
	if z, p, err := ZTest([]float64{0, 5}, []float64{0, 9}); err != nil || z != 0 || p != 1 {
		t.Errorf("z-test on one value = %g, %g, %v; want 0, 1", z, p, err)
	}
}

func TestSubnormalSharesStayFinite(t *testing.T) {
	// A share so small it is subnormal: the mixture's share and PSI's
	// empty-bucket substitute must not underflow to 0.
	ref, cur := []float64{5e-324, 1, 0}, []float64{0, 1, 1}
	for name, f := range map[string]func(r, c []float64) (float64, error){
		"js":  func(r, c []float64) (float64, error) { return JensenShannon(r, c, math.E) },
		"psi": PopulationStabilityIndex,
		"kl":  KLDivergence,
	} {
		if v, err := f(ref, cur); err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			t.Errorf("%s = %g, %v", name, v, err)
		}
	}
}

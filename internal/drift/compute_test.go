package drift

import (
	"errors"
	"math"
	"testing"
)

func TestChooseMethodFollowsEvidently(t *testing.T) {
	cases := []struct {
		numeric     bool
		refSize     float64
		cardinality int
		want        string
	}{
		{true, 1000, 0, KS}, // histogram: distinct values unknown
		{true, 1001, 0, Wasserstein},
		{true, 500, 6, KS},
		{true, 5000, 6, Wasserstein},
		{true, 500, 5, ChiSquare}, // few numeric values are treated as categories
		{true, 500, 2, Z},
		{true, 5000, 4, JensenShann},
		{false, 1000, 3, ChiSquare},
		{false, 1000, 2, Z},
		{false, 1000, 1, Z},
		{false, 1000, 0, ChiSquare}, // unknown cardinality
		{false, 1001, 2, JensenShann},
		{false, 1e6, 40, JensenShann},
	}
	for _, c := range cases {
		if got := ChooseMethod(c.numeric, c.refSize, c.cardinality); got != c.want {
			t.Errorf("ChooseMethod(%v, %g, %d) = %s, want %s", c.numeric, c.refSize, c.cardinality, got, c.want)
		}
	}
}

func TestComputeMatchesTheStatistics(t *testing.T) {
	inf := math.Inf(1)
	bounds := []float64{1, 2, 4, 8, inf}
	ref := Binned{bounds, []float64{10, 40, 30, 15, 5}}
	cur := Binned{bounds, []float64{5, 20, 40, 25, 10}}

	d, p, _ := KolmogorovSmirnov(ref, cur)
	w, _ := WassersteinNormed(ref, cur)
	psi, _ := PopulationStabilityIndex(ref.Counts, cur.Counts)
	js, _ := JensenShannon(ref.Counts, cur.Counts, math.E)
	h, _ := HellingerDistance(ref.Counts, cur.Counts)
	kl, _ := KLDivergence(ref.Counts, cur.Counts)
	chi, chiP, _ := ChiSquareTest(ref.Counts, cur.Counts)
	cases := []struct {
		method      string
		score, stat float64
		pvalue      bool
	}{
		{"ks", p, d, true},
		{"auto", p, d, true}, // 100 reference observations: KS
		{"wasserstein", w, w, false},
		{"psi", psi, psi, false},
		{"js", js, js, false},
		{"hellinger", h, h, false},
		{"kl", kl, kl, false},
		{"chi2", chiP, chi, true},
	}
	for _, c := range cases {
		r, err := Compute(c.method, ref, cur, 0)
		if err != nil {
			t.Errorf("%s: %v", c.method, err)
			continue
		}
		th, _ := DefaultThreshold(r.Method)
		if r.Score != c.score || r.Statistic != c.stat || r.Threshold != th {
			t.Errorf("%s: %+v, want score %g statistic %g threshold %g", c.method, r, c.score, c.stat, th)
		}
		if (r.PValue != nil) != c.pvalue || (r.PValue != nil && *r.PValue != r.Score) {
			t.Errorf("%s: p-value %v", c.method, r.PValue)
		}
		if r.Drifted != Drifted(r.Method, r.Score, r.Threshold) {
			t.Errorf("%s: verdict %v disagrees with Drifted", c.method, r.Drifted)
		}
	}
	// A large reference moves auto to Wasserstein; a given threshold is kept.
	big := Binned{bounds, []float64{1000, 4000, 3000, 1500, 500}}
	r, err := Compute(Auto, big, cur, 0.5)
	if err != nil || r.Method != Wasserstein || r.Threshold != 0.5 {
		t.Errorf("auto on a large reference: %+v, %v", r, err)
	}
	if _, err := Compute("nonsense", ref, cur, 0); !errors.Is(err, ErrUnknownMethod) {
		t.Errorf("unknown method: %v", err)
	}
	if _, err := Compute(PSI, ref, Binned{[]float64{1, inf}, []float64{1, 2}}, 0); !errors.Is(err, ErrLength) {
		t.Errorf("different layouts: %v", err)
	}
}

func TestComputeVerdicts(t *testing.T) {
	inf := math.Inf(1)
	bounds := []float64{1, 2, 3, inf}
	ref := Binned{bounds, []float64{250, 250, 250, 250}}
	same := Binned{bounds, []float64{240, 260, 255, 245}}
	moved := Binned{bounds, []float64{100, 150, 300, 450}}
	for _, m := range []string{PSI, KS, JensenShann, Wasserstein, Hellinger, ChiSquare, KLDiv} {
		a, err1 := Compute(m, ref, same, 0)
		b, err2 := Compute(m, ref, moved, 0)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: %v, %v", m, err1, err2)
			continue
		}
		if a.Drifted || !b.Drifted {
			t.Errorf("%s: sampling noise drifted=%v (score %g), real shift drifted=%v (score %g)", m, a.Drifted, a.Score, b.Drifted, b.Score)
		}
	}
}

func TestComputeCategorical(t *testing.T) {
	ref := Categorical{"web": 500, "ios": 300, "android": 200}
	cur := Categorical{"web": 180, "ios": 120, "android": 100, "tv": 0}
	r, err := ComputeCategorical(Auto, ref, cur, 0)
	if err != nil || r.Method != ChiSquare || r.PValue == nil {
		t.Fatalf("auto, 1000 reference rows, 3 categories: %+v, %v", r, err)
	}
	_, rc, cc := Align(ref, cur)
	_, p, _ := ChiSquareTest(rc, cc)
	if r.Score != p {
		t.Errorf("score %g, ChiSquareTest p-value %g", r.Score, p)
	}

	// A category the reference never saw is drift, not a failure.
	cur["tv"] = 5
	r, err = ComputeCategorical(ChiSquare, ref, cur, 0)
	if err != nil || r.Score != 0 || !r.Drifted || !math.IsInf(r.Statistic, 1) {
		t.Errorf("unseen category: %+v, %v", r, err)
	}
	// PSI handles it with its empty-bucket rule.
	if r, err := ComputeCategorical(PSI, ref, cur, 0); err != nil || !(r.Score > 0) {
		t.Errorf("PSI with an unseen category: %+v, %v", r, err)
	}
	if _, err := ComputeCategorical(KS, ref, cur, 0); !errors.Is(err, ErrNotApplicable) {
		t.Errorf("KS on categories: %v", err)
	}
	if r, err := ComputeCategorical(Auto, Categorical{"yes": 90, "no": 10}, Categorical{"yes": 50, "no": 50}, 0); err != nil || r.Method != Z || !r.Drifted {
		t.Errorf("binary auto: %+v, %v", r, err)
	}
	if _, err := ComputeCategorical(PSI, Categorical{}, cur, 0); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty reference: %v", err)
	}
}

func TestAlign(t *testing.T) {
	names, r, c := Align(Categorical{"b": 2, "a": 1, "z": 0}, Categorical{"c": 3, "a": 4, "z": 0})
	if len(names) != 3 || names[0] != "a" || names[1] != "b" || names[2] != "c" {
		t.Fatalf("names %v", names)
	}
	want := [][2]float64{{1, 4}, {2, 0}, {0, 3}}
	for i := range names {
		if r[i] != want[i][0] || c[i] != want[i][1] {
			t.Errorf("%s: %g/%g, want %v", names[i], r[i], c[i], want[i])
		}
	}
}

func TestDatasetDrift(t *testing.T) {
	results := func(drifted, total int) []Result {
		rs := make([]Result, total)
		for i := range drifted {
			rs[i].Drifted = true
		}
		return rs
	}
	cases := []struct {
		drifted, total int
		share          float64
		want           bool
	}{
		{3, 10, 0.3, true}, // 0.3·10 rounds above 3
		{2, 10, 0.3, false},
		{1, 2, 0.5, true},
		{0, 2, 0.5, false},
		{0, 0, 0.5, false},
		{0, 4, 0, true},
	}
	for _, c := range cases {
		if got := DatasetDrift(results(c.drifted, c.total), c.share); got != c.want {
			t.Errorf("%d of %d at share %g: %v", c.drifted, c.total, c.share, got)
		}
	}
}

package abtest

import (
	"errors"
	"math"
	"testing"
)

// The expected numbers below were computed outside this package, with
// 40-digit arithmetic from the formulas in docs/verdict.md; Newcombe's
// cases are the worked examples of Newcombe (1998), table II, method 10
// (to the four decimals printed there, here to 1e-12).

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(want) != math.IsNaN(got) || !math.IsNaN(want) && math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

func TestMSPRT(t *testing.T) {
	cases := []struct {
		name       string
		base, cand Count
		diff, v    float64
		lambda, p  float64
		lo, hi     float64
	}{
		{"equal rates", Count{50, 10000}, Count{50, 10000}, 0, 1.0047995300459955e-6, 0.099739848940858632, 1, -0.0032802083729900028, 0.0032802083729900028},
		{"candidate fails more", Count{50, 10000}, Count{120, 10000}, 0.007, 1.6927619306862434e-6, 195764.71376884816, 5.1081728711373571e-6, 0.0028329832326646449, 0.011167016767335355},
		{"no errors on either side", Count{0, 1000}, Count{0, 1000}, 0, 9.985019975029965e-7, 0.099429900039711318, 1, -0.0032707707893867613, 0.0032707707893867613},
		{"candidate better, not sure", Count{5, 1000}, Count{1, 1000}, -0.004, 6.9605718956368307e-6, 0.74709540274225472, 1, -0.01205904841357196, 0.0040590484135719602},
		{"small canary", Count{400, 10000}, Count{30, 500}, 0.02, 0.0001181883973247828, 1.598450914817736, 0.62560569782277325, -0.021269066997047969, 0.061269066997047969},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := MSPRT(c.base, c.cand, DefaultTau, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "diff", s.Diff, c.diff, 1e-12)
			near(t, "variance", s.Variance, c.v, 1e-12)
			near(t, "lambda", s.Lambda, c.lambda, 1e-9)
			near(t, "p", s.PValue, c.p, 1e-9)
			near(t, "low", s.Interval[0], c.lo, 1e-12)
			near(t, "high", s.Interval[1], c.hi, 1e-12)
		})
	}
}

func TestMSPRTBadInput(t *testing.T) {
	cases := []struct {
		name       string
		base, cand Count
		tau, alpha float64
		want       error
	}{
		{"no baseline requests", Count{0, 0}, Count{1, 10}, DefaultTau, 0.05, ErrNoData},
		{"no candidate requests", Count{1, 10}, Count{0, 0}, DefaultTau, 0.05, ErrNoData},
		{"more errors than requests", Count{11, 10}, Count{1, 10}, DefaultTau, 0.05, ErrInvalid},
		{"NaN count", Count{math.NaN(), 10}, Count{1, 10}, DefaultTau, 0.05, ErrInvalid},
		{"infinite trials", Count{1, math.Inf(1)}, Count{1, 10}, DefaultTau, 0.05, ErrInvalid},
		{"negative", Count{-1, 10}, Count{1, 10}, DefaultTau, 0.05, ErrInvalid},
		{"tau zero", Count{1, 10}, Count{1, 10}, 0, 0.05, ErrInvalid},
		{"alpha one", Count{1, 10}, Count{1, 10}, DefaultTau, 1, ErrInvalid},
		{"alpha NaN", Count{1, 10}, Count{1, 10}, DefaultTau, math.NaN(), ErrInvalid},
	}
	for _, c := range cases {
		if _, err := MSPRT(c.base, c.cand, c.tau, c.alpha); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// TestMSPRTExtremes: all requests failing on one side and none on the
// other is as sure as it gets, without overflowing into NaN.
func TestMSPRTExtremes(t *testing.T) {
	s, err := MSPRT(Count{0, 1e6}, Count{1e6, 1e6}, DefaultTau, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if s.PValue != 0 || !math.IsInf(s.Lambda, 1) || s.Diff != 1 || s.Interval[1] != 1 {
		t.Errorf("all vs none: %+v", s)
	}
	s, err = MSPRT(Count{10, 10}, Count{10, 10}, DefaultTau, 0.05)
	if err != nil || s.PValue != 1 || s.Diff != 0 {
		t.Errorf("all fail on both sides: %+v, %v", s, err)
	}
}

func TestMixtureRatio(t *testing.T) {
	near(t, "Λ", MixtureRatio(0.007, 1.6927619306862434e-6, 0.01), 195764.71376884816, 1e-9)
	for _, bad := range [][3]float64{{math.NaN(), 1, 1}, {0, 0, 1}, {0, 1, 0}, {0, -1, 1}, {math.Inf(1), 1, 1}} {
		if r := MixtureRatio(bad[0], bad[1], bad[2]); !math.IsNaN(r) {
			t.Errorf("MixtureRatio(%v) = %g, want NaN", bad, r)
		}
	}
}

func TestKSCumulative(t *testing.T) {
	bounds := []float64{0.01, 0.025, 0.05, 0.1, math.Inf(1)}
	cases := []struct {
		name          string
		base, cand    []float64
		d, gap, at, p float64
	}{
		{"candidate slower", []float64{100, 600, 950, 990, 1000}, []float64{80, 500, 900, 985, 1000}, 0.1, -0.1, 0.025, 9.0799859524961206e-5},
		{"same shape, other scale", []float64{1000, 6000, 9500, 9900, 10000}, []float64{100, 600, 950, 990, 1000}, 0, 0, math.NaN(), 1},
		{"candidate faster, few requests", []float64{10, 60, 95, 99, 100}, []float64{20, 70, 96, 100, 100}, 0.1, 0.1, 0.01, 0.69937419913101563},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := KSCumulative(bounds, c.base, c.cand)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "D", k.D, c.d, 1e-12)
			near(t, "gap", k.Gap, c.gap, 1e-12)
			near(t, "at", k.At, c.at, 0)
			near(t, "p", k.PValue, c.p, 1e-9)
			near(t, "n", k.N, c.base[len(c.base)-1], 0)
			near(t, "m", k.M, c.cand[len(c.cand)-1], 0)
		})
	}
}

func TestKSCumulativeBadInput(t *testing.T) {
	b := []float64{0.1, math.Inf(1)}
	for name, c := range map[string][3][]float64{
		"empty candidate":   {b, {1, 2}, {0, 0}},
		"empty baseline":    {b, {0, 0}, {1, 2}},
		"NaN":               {b, {1, math.NaN()}, {1, 2}},
		"lengths differ":    {b, {1, 2, 3}, {1, 2}},
		"no +Inf bound":     {{0.1, 0.2}, {1, 2}, {1, 2}},
		"no buckets at all": {nil, nil, nil},
	} {
		if _, err := KSCumulative(c[0], c[1], c[2]); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWilson(t *testing.T) {
	z := ZTwoSided(0.05)
	near(t, "z", z, 1.959963984540054, 1e-15)
	cases := []struct {
		c      Count
		lo, hi float64
	}{
		{Count{0, 10}, 0, 0.27753279986288925},
		{Count{10, 10}, 0.72246720013711075, 1},
		{Count{56, 70}, 0.69183355503746936, 0.87695260751637048},
		{Count{3, 7}, 0.15821985525146969, 0.74954163547234281},
	}
	for _, c := range cases {
		lo, hi, err := Wilson(c.c, z)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "low", lo, c.lo, 1e-12)
		near(t, "high", hi, c.hi, 1e-12)
	}
	if _, _, err := Wilson(Count{0, 0}, z); !errors.Is(err, ErrNoData) {
		t.Errorf("n = 0: err = %v", err)
	}
	if _, _, err := Wilson(Count{1, 2}, math.NaN()); !errors.Is(err, ErrInvalid) {
		t.Errorf("z NaN: err = %v", err)
	}
}

func TestNewcombe(t *testing.T) {
	cases := []struct {
		name            string
		base, cand      Count
		alpha           float64
		diff, low, high float64
	}{
		// Newcombe's (a): 56/70 − 48/80 = .2, interval .0524 to .3339.
		{"newcombe a", Count{48, 80}, Count{56, 70}, 0.05, 0.2, 0.052431472402364878, 0.33387265403690598},
		{"newcombe b", Count{3, 10}, Count{9, 10}, 0.05, 0.6, 0.17052272393450288, 0.80901797353548798},
		{"newcombe d, a zero side", Count{0, 29}, Count{5, 56}, 0.05, 0.089285714285714286, -0.038137147903536903, 0.19256001385511162},
		{"newcombe e, both zero", Count{0, 20}, Count{0, 10}, 0.05, 0, -0.16112515805281939, 0.27753279986288925},
		{"newcombe f", Count{0, 10}, Count{0, 10}, 0.05, 0, -0.27753279986288925, 0.27753279986288925},
		{"newcombe h, all vs none", Count{0, 10}, Count{10, 10}, 0.05, 1, 0.60750935043052416, 1},
		{"accuracy drop", Count{900, 1000}, Count{850, 1000}, 0.05, -0.05, -0.079032138168784656, -0.021046197045332299},
		{"accuracy drop, alpha .01", Count{900, 1000}, Count{850, 1000}, 0.01, -0.05, -0.088250762869445687, -0.011880097366425294},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, iv, err := Newcombe(c.base, c.cand, c.alpha)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "diff", d, c.diff, 1e-12)
			near(t, "low", iv[0], c.low, 1e-12)
			near(t, "high", iv[1], c.high, 1e-12)
		})
	}
	if _, _, err := Newcombe(Count{0, 0}, Count{1, 2}, 0.05); !errors.Is(err, ErrNoData) {
		t.Errorf("no baseline labels: err = %v", err)
	}
	if _, _, err := Newcombe(Count{1, 2}, Count{1, 2}, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("alpha 0: err = %v", err)
	}
}

func TestZDiff(t *testing.T) {
	d, iv, p, err := ZDiff(0.86, 0.01, 0.83, 0.012, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "diff", d, -0.03, 1e-12)
	near(t, "low", iv[0], -0.060615616150085347, 1e-12)
	near(t, "high", iv[1], 0.00061561615008534715, 1e-12)
	near(t, "p", p, 0.05478806021494461, 1e-12)
	d, iv, p, err = ZDiff(0.86, 0.01, 0.86, 0, 0.05)
	if err != nil || d != 0 || p != 1 {
		t.Errorf("equal: %g %v %g %v", d, iv, p, err)
	}
	near(t, "half width, one SE zero", iv[1], 0.019599639845400542, 1e-12)
	for name, in := range map[string][4]float64{
		"both SEs zero": {0.8, 0, 0.9, 0},
		"NaN estimate":  {math.NaN(), 0.01, 0.9, 0.01},
		"negative SE":   {0.8, -0.01, 0.9, 0.01},
		"infinite SE":   {0.8, math.Inf(1), 0.9, 0.01},
	} {
		if _, _, _, err := ZDiff(in[0], in[1], in[2], in[3], 0.05); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestZNeedFactor(t *testing.T) {
	near(t, "z_0.8", zQuantile(Power), 0.84162123357291421, 1e-12)
	near(t, "k", ZNeedFactor(0.0001, 0.02, 0.05), 1.9622199335872722, 1e-12)
	near(t, "k, drop", ZNeedFactor(0.0001, -0.02, 0.05), 1.9622199335872722, 1e-12)
	if k := ZNeedFactor(0.0001, 0, 0.05); !math.IsInf(k, 1) {
		t.Errorf("no change to detect: k = %g, want +Inf", k)
	}
	if k := ZNeedFactor(math.NaN(), 0.02, 0.05); !math.IsNaN(k) {
		t.Errorf("NaN variance: k = %g", k)
	}
}

// TestMSPRTNeedFactor checks the defining property: at k the mSPRT's
// 20th-percentile outcome just reaches the bar, a little below k not.
func TestMSPRTNeedFactor(t *testing.T) {
	for _, c := range []struct{ v, delta float64 }{{1e-5, 0.01}, {1e-3, 0.01}, {1e-8, 0.01}, {4e-6, -0.005}} {
		k := MSPRTNeedFactor(c.v, c.delta, DefaultTau, 0.05)
		if !(k > 0) || math.IsInf(k, 0) {
			t.Fatalf("%+v: k = %g", c, k)
		}
		at := func(k float64) float64 {
			vk := c.v / k
			return MixtureRatio(math.Abs(c.delta)-zQuantile(Power)*math.Sqrt(vk), vk, DefaultTau)
		}
		if at(k) < 20*(1-1e-6) || at(k*(1-1e-6)) >= 20 {
			t.Errorf("%+v: k = %g gives Λ %g, just below it %g; want the bar 20 crossed at k", c, k, at(k), at(k*(1-1e-6)))
		}
	}
	if k := MSPRTNeedFactor(1e-5, 0, DefaultTau, 0.05); !math.IsInf(k, 1) {
		t.Errorf("no change: k = %g", k)
	}
	if k := MSPRTNeedFactor(0, 0.01, DefaultTau, 0.05); !math.IsNaN(k) {
		t.Errorf("zero variance: k = %g", k)
	}
}

func TestMore(t *testing.T) {
	// Equal sides of 1000 at .5 %: the alternative is +1pp.
	base, cand := Count{5, 1000}, Count{5, 1000}
	delta := RateChange(base.Rate())
	near(t, "change", delta, 0.01, 0)
	m, err := MSPRTMore(base, cand, delta, DefaultTau, 0.05)
	if err != nil || !(m > 0) {
		t.Fatalf("more = %g, %v", m, err)
	}
	// With that many more on both sides, the counts suffice.
	k := (cand.N + m) / cand.N
	m2, err := MSPRTMore(Count{base.X * k, base.N * k}, Count{cand.X * k, cand.N * k}, delta, DefaultTau, 0.05)
	if err != nil || m2 > 1 {
		t.Errorf("after growing by %g: still %g more, %v", k, m2, err)
	}
	near(t, "change at 4 %", RateChange(0.04), 0.02, 1e-15)
	near(t, "change, unknown rate", RateChange(math.NaN()), 0.01, 0)

	// Labels: independent check of the z formula with shrunk rates.
	pm, err := ProportionMore(Count{900, 1000}, Count{900, 1000}, -0.02, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	pb := 900.5 / 1001
	pc := pb - 0.02
	kz := ZNeedFactor(pb*(1-pb)/1000+pc*(1-pc)/1000, -0.02, 0.05)
	near(t, "labels more", pm, math.Ceil(kz*1000-1000), 0)
	if m, err := ProportionMore(Count{900, 1000}, Count{900, 1e6}, -0.2, 0.05); err != nil || m != 0 {
		t.Errorf("already enough: %g, %v", m, err)
	}
	if m, err := MSPRTMore(Count{5, 1000}, Count{0, 0}, 0.01, DefaultTau, 0.05); err != nil || !(m > 0) {
		t.Errorf("no candidate requests yet: %g, %v", m, err)
	}
	if _, err := MSPRTMore(Count{0, 0}, Count{0, 10}, 0.01, DefaultTau, 0.05); !errors.Is(err, ErrNoData) {
		t.Errorf("no baseline: %v", err)
	}
}

func TestLookAlpha(t *testing.T) {
	near(t, "720 looks", LookAlpha(0.05, 720), 0.05/720, 1e-15)
	near(t, "0 looks", LookAlpha(0.05, 0), 0.05, 0)
}

// FuzzMSPRT: any counts give an error or a p-value in [0, 1], an ordered
// interval inside [−1, 1], and never a panic.
func FuzzMSPRT(f *testing.F) {
	f.Add(50.0, 10000.0, 120.0, 10000.0, 0.01, 0.05)
	f.Add(0.0, 1.0, 1.0, 1.0, 1e-9, 0.5)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.01, 0.05)
	f.Fuzz(func(t *testing.T, xb, nb, xc, nc, tau, alpha float64) {
		s, err := MSPRT(Count{xb, nb}, Count{xc, nc}, tau, alpha)
		if err != nil {
			return
		}
		if !(s.PValue >= 0 && s.PValue <= 1) {
			t.Fatalf("p = %g", s.PValue)
		}
		if !(s.Interval[0] <= s.Interval[1]) || s.Interval[0] < -1 || s.Interval[1] > 1 {
			t.Fatalf("interval %v", s.Interval)
		}
		if _, err := MSPRTMore(Count{xb, nb}, Count{xc, nc}, RateChange(xb/nb), tau, alpha); err != nil {
			t.Fatalf("more: %v", err)
		}
	})
}

// TestNotANumber: NaN and infinities anywhere give an error, never a
// panic or a NaN dressed as a result.
func TestNotANumber(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []Count{{nan, 10}, {1, nan}, {inf, inf}, {1, inf}, {-1, 10}} {
		if _, _, err := Newcombe(c, Count{1, 10}, 0.05); !errors.Is(err, ErrInvalid) {
			t.Errorf("Newcombe(%v): %v", c, err)
		}
		if _, _, err := Wilson(c, 1.96); !errors.Is(err, ErrInvalid) {
			t.Errorf("Wilson(%v): %v", c, err)
		}
		if _, err := ProportionMore(c, Count{1, 10}, -0.02, 0.05); !errors.Is(err, ErrInvalid) {
			t.Errorf("ProportionMore(%v): %v", c, err)
		}
	}
	if _, err := MSPRTMore(Count{1, 10}, Count{1, 10}, nan, DefaultTau, 0.05); err == nil {
		t.Error("MSPRTMore with a NaN change: no error")
	}
	if k := MSPRTNeedFactor(1e-5, 0.01, DefaultTau, nan); !math.IsNaN(k) {
		t.Errorf("NaN alpha: k = %g", k)
	}
	if r := (Count{0, 0}).Rate(); !math.IsNaN(r) {
		t.Errorf("rate of nothing = %g", r)
	}
}
